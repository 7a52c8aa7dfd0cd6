{#- One row per person with events: what dim_persons needs from all of a person's events (counts,
    first and last sightings, first signup, last return event, latest account). Added up from the
    person's days (int_person_days_summarized) and anonymous ids (int_person_anonymous_ids_seen),
    never from the events themselves. Incremental: the affected persons (int_persons_affected,
    old and new ids of merged or split persons) are added up again and replace their rows; a
    person merged away just loses its row (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}

-- depends_on: {{ ref('int_persons_affected') }}
with person_days as (
    select
        person_id,
        person_key,
        account_id,
        n_events,
        n_unidentified_events,
        first_event_at,
        last_event_at,
        first_signup_at,
        last_return_event_at,
        activity_date
    from {{ ref('int_person_days_summarized') }}
    {{ growthlens.person_filter(slice_ids) }}
),

anonymous_ids as (
    select
        person_id,
        count(*) as n_anonymous_ids
    from {{ ref('int_person_anonymous_ids_seen') }}
    {{ growthlens.person_filter(slice_ids) }}
    group by person_id
),

day_totals as (
    select
        person_id,
        person_key,
        -- the account of the person's latest event that carries one: local days follow event
        -- time, so it is the account of the latest day that has one
        {{ growthlens.latest_value('account_id', ['activity_date']) }} as account_id,
        sum(n_events) as n_events,
        sum(n_unidentified_events) > 0 as has_unidentified_events,
        min(first_event_at) as first_seen_at,
        max(last_event_at) as last_seen_at,
        min(first_signup_at) as signup_at,
        max(last_return_event_at) as last_active_at
    from person_days
    group by person_id, person_key
),

final as (
    select
        day_totals.person_id,
        day_totals.person_key,
        day_totals.account_id,
        cast(day_totals.n_events as bigint) as n_events,
        cast(coalesce(anonymous_ids.n_anonymous_ids, 0) as bigint) as n_anonymous_ids,
        day_totals.has_unidentified_events,
        day_totals.first_seen_at,
        day_totals.last_seen_at,
        day_totals.signup_at,
        day_totals.last_active_at
    from day_totals
    left join anonymous_ids
        on day_totals.person_id = anonymous_ids.person_id
)

select * from final
