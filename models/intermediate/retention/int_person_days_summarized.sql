{{ config(
    materialized='incremental',
    partition_by=growthlens.spark_partition_by('activity_date'),
    incremental_predicates=[
        "exists (select 1 from growthlens_ref_int_persons_affected as affected"
        ~ " where affected.person_id = growthlens_target.person_id"
        ~ " and (affected.rebuild_from is null or growthlens_target.activity_date >= "
        ~ growthlens.to_local_date('affected.rebuild_from') ~ "))"],
) }}
-- depends_on: {{ ref('int_persons_affected') }}

{# One row per person and local day with any event in scope: the day's events, return events
    (metrics.md §5: retention_return_events, else every event not in passive_events), revenue,
    and the first cohort event. The only pass over the event stream made for retention and growth
    accounting: every coarser grain aggregates these sparse rows, never a person × day spine. -#}
{%- set cohort_event = growthlens.setting('retention_cohort_event') -%}
{#- With retention_cohort_event null, a person's cohort starts at their first event. -#}
{%- if cohort_event is none -%}
    {%- set is_cohort_event = 'true' -%}
{%- else -%}
    {%- set is_cohort_event = 'event_name = ' ~ growthlens.sql_text(cohort_event) -%}
{%- endif -%}

with events as (
    select
        events.person_id,
        events.event_name,
        events.revenue,
        events.event_ts,
        events.event_date
    from {{ ref('fct_events') }} as events
    {%- if is_incremental() %}
    inner join {{ ref('int_persons_affected') }} as affected
        on events.person_id = affected.person_id
    where
        affected.rebuild_from is null
        or events.event_date >= {{ growthlens.to_local_date('affected.rebuild_from') }}
    {%- endif %}
),

summarized as (
    select
        person_id,
        count(*) as n_events,
        count(case when {{ growthlens.is_return_event('event_name') }} then 1 end) as n_return_events,
        coalesce(sum(revenue), 0) as revenue,
        min(case when {{ is_cohort_event }} then event_ts end) as first_cohort_event_at,
        event_date as activity_date
    from events
    group by person_id, event_date
),

final as (
    select
        person_id,
        n_events,
        n_return_events,
        revenue,
        n_return_events > 0 as is_active,
        first_cohort_event_at,
        activity_date
    from summarized
)

select * from final
