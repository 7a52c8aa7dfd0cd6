{#- Accepted events: one row per distinct event_id, names normalised, ids cleaned, revenue in
    the reporting currency. A valid row whose id has no other valid copy comes straight from the
    checked table; of a repeated id, the first-ranked valid copy. -#}
{%- set columns = ['event_id', 'event_name', 'event_name_raw', 'anonymous_id', 'user_id', 'account_id',
    'platform', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'referrer',
    'page_url', 'currency_code', 'properties', 'revenue_original', 'revenue', 'is_properties_malformed',
    'is_unknown_currency', 'event_ts', 'received_at'] -%}

with checked as (
    select * from {{ ref('stg_events_checked') }}
    where check_reason is null
),

copies as (
    select * from {{ ref('stg_events_copies_ranked') }}
),

copied_ids as (
    select distinct event_id from copies
),

singles as (
    select checked.*
    from checked
    left join copied_ids
        on checked.event_id = copied_ids.event_id
    where copied_ids.event_id is null
),

final as (
    select {{ columns | join(', ') }}
    from singles
    union all
    select {{ columns | join(', ') }}
    from copies
    where copy_rank = 1
)

select * from final
