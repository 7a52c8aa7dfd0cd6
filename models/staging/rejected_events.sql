{#- Raw event rows that could not be used, every raw column as text, with the reason. -#}
with checked as (
    select * from {{ ref('stg_events_checked') }}
),

final as (
    select
        raw_event_id as event_id,
        raw_event_name as event_name,
        raw_event_ts as event_ts,
        raw_received_at as received_at,
        raw_anonymous_id as anonymous_id,
        raw_user_id as user_id,
        raw_account_id as account_id,
        raw_platform as platform,
        raw_utm_source as utm_source,
        raw_utm_medium as utm_medium,
        raw_utm_campaign as utm_campaign,
        raw_utm_content as utm_content,
        raw_utm_term as utm_term,
        raw_referrer as referrer,
        raw_page_url as page_url,
        raw_revenue as revenue,
        raw_currency as currency,
        raw_properties as properties,
        reject_reason
    from checked
    where reject_reason is not null
)

select * from final
