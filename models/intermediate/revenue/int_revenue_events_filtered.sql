{#- The events that carry money (revenue not null and not zero, refunds included), with their
    person, instant and local date: a narrow table read by the revenue models, so the wide event
    stream is scanned once for them. Incremental per affected person (macros/incremental.sql): an
    event changes only with its person (old and new person_id of a moved event are both
    affected), so the affected persons' rows are replaced. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}

-- depends_on: {{ ref('int_persons_affected') }}
with events as (
    select
        event_id,
        person_id,
        revenue,
        event_ts,
        event_date
    from {{ ref('fct_events') }}
    where
        revenue is not null and revenue <> 0
        {{ growthlens.person_filter(slice_ids, 'and') }}
),

final as (
    select
        event_id,
        person_id,
        revenue,
        event_ts,
        event_date
    from events
)

select * from final
