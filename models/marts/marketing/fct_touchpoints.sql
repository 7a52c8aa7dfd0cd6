{#- Marketing touches of a person (metrics.md §2): every session at its start, plus every
    `clicked` campaign message that reaches a person (channel = the campaign's channel,
    campaign = campaign_id; int_message_clicks_deduplicated). At equal touch_ts a message click
    sorts before a session (touch_type_order 0 before 1), since the click opens the session.
    Incremental: the touches of int_marketing_persons_affected (persons with changed events or
    changed clicks) are replaced from the person's rebuild_from on, the time from which
    int_sessions_classified replaced its sessions (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_restart_slice('touch_ts', 'int_marketing_persons_affected')],
    follows_sessionizing=true,
) }}
{%- set restarted = growthlens.persons_incremental() %}

-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_marketing_persons_affected') }}
with sessions as (
    select sessions.*
    from {{ growthlens.person_restart_rows(ref('int_sessions_classified'), 'int_marketing_persons_affected',
        'started_at', restarted) }} as sessions
),

click_touches as (
    select clicks.*
    from {{ growthlens.person_restart_rows(ref('int_message_clicks_deduplicated'), 'int_marketing_persons_affected',
        'touch_ts', restarted) }} as clicks
),

session_touches as (
    select
        session_id as touch_id,
        person_id,
        'session' as touch_type,
        channel,
        utm_source as source,
        utm_medium as medium,
        utm_campaign as campaign,
        1 as touch_type_order,
        started_at as touch_ts
    from sessions
),

final as (
    select * from session_touches
    union all
    select
        touch_id,
        person_id,
        touch_type,
        channel,
        source,
        medium,
        campaign,
        touch_type_order,
        touch_ts
    from click_touches
)

select * from final
