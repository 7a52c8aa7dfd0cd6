{#- One row per person with a cohort event (metrics.md §5): the first retention_cohort_event
    (with that var null, the first accepted event) and its local date. Incremental per affected
    person (macros/incremental.sql): the affected persons' rows are replaced. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}

-- depends_on: {{ ref('int_persons_affected') }}
with person_days as (
    select
        person_id,
        first_cohort_event_at
    from {{ ref('int_person_days_summarized') }}
    {{ growthlens.person_filter(slice_ids) }}
),

first_cohort_events as (
    select
        person_id,
        min(first_cohort_event_at) as cohort_event_at
    from person_days
    where first_cohort_event_at is not null
    group by person_id
),

final as (
    select
        person_id,
        cohort_event_at,
        {{ growthlens.to_local_date('cohort_event_at') }} as cohort_date
    from first_cohort_events
)

select * from final
