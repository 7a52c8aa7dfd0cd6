{#- Accepted events: one row per distinct event_id, names normalised, ids cleaned, revenue in
    the reporting currency. Rows whose id never repeats come straight from the checked table;
    of a repeated id, the first-ranked valid copy. -#}
{%- set columns = ['event_id', 'event_name', 'event_name_raw', 'anonymous_id', 'user_id', 'account_id',
    'platform', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'referrer',
    'page_url', 'currency_code', 'properties', 'revenue_original', 'revenue', 'is_properties_malformed',
    'is_unknown_currency', 'event_ts', 'received_at'] -%}

with checked as (
    select * from {{ ref('stg_events_checked') }}
),

copies as (
    select * from {{ ref('stg_events_copies_ranked') }}
),

final as (
    select {{ columns | join(', ') }}
    from checked
    where check_reason is null and not is_copy_candidate
    union all
    select {{ columns | join(', ') }}
    from copies
    where copy_rank = 1
)

select * from final
