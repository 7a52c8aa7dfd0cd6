{#- Accepted events: one row per distinct event_id, names normalised, ids cleaned, revenue in
    the reporting currency. A valid row whose id has no other valid copy comes straight from the
    checked table; of a repeated id, the first-ranked valid copy (macros/accepted_events.sql). -#}
{%- set columns = ['event_id', 'event_name', 'event_name_raw', 'anonymous_id', 'user_id', 'account_id',
    'platform', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'referrer',
    'page_url', 'currency_code', 'properties', 'revenue_original', 'revenue', 'is_properties_malformed',
    'is_unknown_currency', 'event_ts', 'received_at'] -%}

with final as (
    {{ growthlens.accepted_events(columns) }}
)

select * from final
