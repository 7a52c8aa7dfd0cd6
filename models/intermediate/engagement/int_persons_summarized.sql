{#- One row per person with events: what dim_persons needs from all of a person's events (counts,
    first and last sightings, first signup, last return event, latest account). Incremental: the
    affected persons (int_persons_affected, old and new ids of merged or split persons) are
    summarised again from their whole history and replace their rows; a person merged away just
    loses its row (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}
{%- set signup_event = growthlens.setting('signup_event') -%}

-- depends_on: {{ ref('int_persons_affected') }}
with events as (
    select
        person_id,
        person_key,
        event_id,
        event_name,
        anonymous_id,
        account_id,
        is_identified,
        event_ts
    from {{ ref('int_events_sessionized') }}
    {{ growthlens.person_filter(slice_ids) }}
),

event_stats as (
    select
        person_id,
        person_key,
        -- the account of the person's latest event that carries one
        {{ growthlens.latest_value('account_id', ['event_ts', 'event_id']) }} as account_id,
        count(*) as n_events,
        count(distinct anonymous_id) as n_anonymous_ids,
        count(case when not is_identified then 1 end) > 0 as has_unidentified_events,
        min(event_ts) as first_seen_at,
        max(event_ts) as last_seen_at,
        min(case when event_name = {{ growthlens.sql_text(signup_event) }} then event_ts end) as signup_at,
        max(case when {{ growthlens.is_return_event('event_name') }} then event_ts end) as last_active_at
    from events
    group by person_id, person_key
),

final as (
    select
        person_id,
        person_key,
        account_id,
        n_events,
        n_anonymous_ids,
        has_unidentified_events,
        first_seen_at,
        last_seen_at,
        signup_at,
        last_active_at
    from event_stats
)

select * from final
