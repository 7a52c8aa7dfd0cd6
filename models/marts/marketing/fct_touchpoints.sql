{#- Marketing touches of a person: every session at its start. At equal touch_ts a message
    click sorts before a session (touch_order), since the click opens the session. -#}
with sessions as (
    select * from {{ ref('int_sessions_classified') }}
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
)

select * from final
