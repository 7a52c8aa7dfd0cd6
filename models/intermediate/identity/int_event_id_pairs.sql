{{ config(
    materialized='incremental',
    incremental_predicates=[
        "user_id in (select user_id from growthlens_ref_int_events_changed where user_id is not null"
        ~ " union select old_user_id from growthlens_ref_int_events_changed where old_user_id is not null)"],
) }}
-- depends_on: {{ ref('int_events_changed') }}

{# The identity graph's view of the events, small: one row per (user_id, anonymous_id) pair
    seen together on in-scope accepted events carrying a user_id (anonymous_id may be null),
    with how often and when. Identity is recomputed from these rows and the identify/alias
    tables, never from all events. Incremental, per user_id a changed event carries (now or
    before): a user_id that lost an event (its stored version replaced or removed) is counted
    again from the sessionized events plus the changed ones, so a replaced copy is subtracted
    exactly; one that only gained new events adds them to its stored pairs. -#}
{%- set since = growthlens.events_processed_through() if is_incremental() else none -%}
{%- set sessionized = growthlens.existing_model_relation('intermediate', 'int_events_sessionized') -%}

with
{%- if since is not none and sessionized is not none %}
changed as (
    select * from {{ ref('int_events_changed') }}
),

recounted_user_ids as (
    select distinct old_user_id as user_id from changed
    where old_user_id is not null
),

added as (
    select
        user_id,
        anonymous_id,
        event_ts
    from changed
    where
        has_new_version
        and user_id is not null
        and user_id not in (select recounted_user_ids.user_id from recounted_user_ids)
),

events as (
    select
        stored.user_id,
        stored.anonymous_id,
        stored.event_ts
    from {{ sessionized }} as stored
    inner join recounted_user_ids
        on stored.user_id = recounted_user_ids.user_id
    left join changed
        on stored.event_id = changed.event_id
    where changed.event_id is null
    union all
    select
        changed.user_id,
        changed.anonymous_id,
        changed.event_ts
    from changed
    inner join recounted_user_ids
        on changed.user_id = recounted_user_ids.user_id
    where changed.has_new_version
),

added_pairs as (
    select
        user_id,
        anonymous_id,
        n_events,
        first_event_at,
        last_event_at
    from {{ this }}
    where user_id in (select added.user_id from added)
    union all
    select
        user_id,
        anonymous_id,
        1 as n_events,
        event_ts as first_event_at,
        event_ts as last_event_at
    from added
),
{%- else %}
events as (
    select
        user_id,
        anonymous_id,
        event_ts
    from {{ ref('int_events_scoped') }}
    where user_id is not null
),
{%- endif %}

final as (
    select
        user_id,
        anonymous_id,
        count(*) as n_events,
        min(event_ts) as first_event_at,
        max(event_ts) as last_event_at
    from events
    group by user_id, anonymous_id
    {%- if since is not none and sessionized is not none %}
    union all
    select
        user_id,
        anonymous_id,
        cast(sum(n_events) as bigint) as n_events,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at
    from added_pairs
    group by user_id, anonymous_id
    {%- endif %}
)

select * from final
