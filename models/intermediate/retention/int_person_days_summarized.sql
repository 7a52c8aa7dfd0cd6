{{ config(
    materialized='incremental',
    partition_by=growthlens.spark_partition_by('activity_date'),
    incremental_predicates=[growthlens.person_restart_slice(
        'activity_date', restart_from=growthlens.to_local_date('affected.rebuild_from'))],
) }}
-- depends_on: {{ ref('int_persons_affected') }}

{# One row per person and local day with any event in scope: the day's events, return events
    (metrics.md §5: retention_return_events, else every event not in passive_events), revenue,
    and the first cohort event; and the day's part of the person's summary (int_persons_summarized:
    first and last event, first signup, last return event, latest account, unidentified events).
    The only pass over the event stream made for retention, growth accounting and the person
    summaries: every coarser grain aggregates these sparse rows, never a person × day spine. -#}
{%- set signup_event = growthlens.setting('signup_event') -%}
{%- set cohort_event = growthlens.setting('retention_cohort_event') -%}
{#- With retention_cohort_event null, a person's cohort starts at their first event. -#}
{%- if cohort_event is none -%}
    {%- set is_cohort_event = 'true' -%}
{%- else -%}
    {%- set is_cohort_event = 'event_name = ' ~ growthlens.sql_text(cohort_event) -%}
{%- endif -%}

-- In an incremental run, the affected persons' events from the local day of their restart on
-- (whole days, since a day's row sums all of its events).
with events as (
    select
        person_id,
        person_key,
        event_id,
        account_id,
        event_name,
        revenue,
        is_identified,
        event_ts,
        event_date
    from {{ growthlens.person_restart_rows(ref('int_events_sessionized'), 'int_persons_affected',
        'event_date', is_incremental(), restart_from=growthlens.to_local_date('affected.rebuild_from')) }} as events
),

summarized as (
    select
        person_id,
        person_key,
        -- the account of the day's latest event that carries one
        {{ growthlens.latest_value('account_id', ['event_ts', 'event_id']) }} as account_id,
        count(*) as n_events,
        count(case when {{ growthlens.is_return_event('event_name') }} then 1 end) as n_return_events,
        count(case when not is_identified then 1 end) as n_unidentified_events,
        coalesce(sum(revenue), 0) as revenue,
        min(case when {{ is_cohort_event }} then event_ts end) as first_cohort_event_at,
        min(event_ts) as first_event_at,
        max(event_ts) as last_event_at,
        min(case when event_name = {{ growthlens.sql_text(signup_event) }} then event_ts end) as first_signup_at,
        max(case when {{ growthlens.is_return_event('event_name') }} then event_ts end) as last_return_event_at,
        event_date as activity_date
    from events
    group by person_id, person_key, event_date
),

final as (
    select
        person_id,
        person_key,
        account_id,
        n_events,
        n_return_events,
        n_unidentified_events,
        revenue,
        n_return_events > 0 as is_active,
        first_cohort_event_at,
        first_event_at,
        last_event_at,
        first_signup_at,
        last_return_event_at,
        activity_date
    from summarized
)

select * from final
