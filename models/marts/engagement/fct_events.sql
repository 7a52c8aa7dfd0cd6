{{ config(materialized='view') }}

{#- Every accepted event (up to data end) with its person and session. -#}
with events as (
    select * from {{ ref('int_events_sessionized') }}
),

final as (
    select
        event_id,
        person_id,
        session_id,
        event_name,
        anonymous_id,
        user_id,
        account_id,
        platform,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer,
        page_url,
        currency_code,
        properties,
        revenue,
        revenue_original,
        is_identified,
        is_session_start,
        event_ts,
        received_at,
        event_date
    from events
)

select * from final
