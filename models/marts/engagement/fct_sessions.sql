{#- One row per session: a maximal run of a person's events at most session_timeout_minutes
    apart, with its first event's campaign fields and its channel. A view: the sessions are kept
    (incrementally) by int_sessions_classified, and a copy would be rewritten on every run. -#}
{{ config(materialized='view') }}
with sessions as (
    select * from {{ ref('int_sessions_classified') }}
),

final as (
    select
        session_id,
        person_id,
        first_event_id,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        referrer,
        referrer_host,
        landing_page,
        platform,
        cast(n_events as bigint) as n_events,
        {{ growthlens.seconds_between('started_at', 'ended_at') }} as duration_seconds,
        started_at,
        ended_at
    from sessions
)

select * from final
