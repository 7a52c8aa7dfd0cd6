{#- Accepted events: one row per distinct event_id, names normalised, ids cleaned, revenue in
    the reporting currency. -#}
with checked as (
    select * from {{ ref('stg_events_checked') }}
),

final as (
    select
        event_id,
        event_name,
        event_name_raw,
        anonymous_id,
        user_id,
        account_id,
        platform,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        referrer,
        page_url,
        currency_code,
        properties,
        revenue_original,
        revenue,
        is_properties_malformed,
        is_unknown_currency,
        event_ts,
        received_at
    from checked
    where reject_reason is null
)

select * from final
