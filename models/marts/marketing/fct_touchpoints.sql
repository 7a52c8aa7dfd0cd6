{#- Marketing touches of a person (metrics.md §2): every session at its start, plus every
    `clicked` campaign message that reaches a person (channel = the campaign's channel,
    campaign = campaign_id). At equal touch_ts a message click sorts before a session
    (touch_type_order 0 before 1), since the click opens the session. -#}
with sessions as (
    select * from {{ ref('int_sessions_classified') }}
),

messages as (
    select * from {{ ref('int_campaign_messages_resolved') }}
    where event_type = 'clicked' and is_resolved
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

-- One touch per message event id (a tool that re-sends an event id counts once: the earliest).
click_rows as (
    select
        message_id,
        person_id,
        campaign_id,
        campaign_channel,
        message_at,
        row_number() over (partition by message_id order by message_at, person_id, campaign_id) as copy_rank
    from messages
),

click_touches as (
    select
        message_id as touch_id,
        person_id,
        'message_click' as touch_type,
        coalesce(campaign_channel, 'other') as channel,
        cast(null as string) as source,
        campaign_channel as medium,
        campaign_id as campaign,
        0 as touch_type_order,
        message_at as touch_ts
    from click_rows
    where copy_rank = 1
),

final as (
    select * from session_touches
    union all
    select * from click_touches
)

select * from final
