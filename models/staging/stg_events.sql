{#- Accepted events: one row per distinct event_id, names normalised, ids cleaned, revenue in
    the reporting currency. A valid row whose id has no other valid copy comes straight from the
    checked table; of a repeated id, the first-ranked valid copy. -#}
{%- set columns = ['event_id', 'event_name', 'event_name_raw', 'anonymous_id', 'user_id', 'account_id',
    'platform', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'referrer',
    'page_url', 'currency_code', 'properties', 'revenue_original', 'revenue', 'is_properties_malformed',
    'is_unknown_currency', 'event_ts', 'received_at'] -%}

{#- No shared CTE: a filter or a narrow column list of a reader (the shared-device models read a
    few devices' rows) is pushed into both branches, so the checked table is not read whole. -#}
with final as (
    select {% for c in columns %}checked.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ ref('stg_events_checked') }} as checked
    left join (select distinct event_id from {{ ref('stg_events_copies_ranked') }}) as copied_ids
        on checked.event_id = copied_ids.event_id
    where checked.check_reason is null and copied_ids.event_id is null
    union all
    select {{ columns | join(', ') }}
    from {{ ref('stg_events_copies_ranked') }}
    where copy_rank = 1
)

select * from final
