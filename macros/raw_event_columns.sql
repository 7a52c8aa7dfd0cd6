{#- The columns of raw.events in contract order (the order of the "all raw columns as text"
    tie-break among duplicate copies). -#}
{% macro raw_event_columns() -%}
    {{ return(['event_id', 'event_name', 'event_ts', 'received_at', 'anonymous_id', 'user_id',
        'account_id', 'platform', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
        'referrer', 'page_url', 'revenue', 'currency', 'properties']) }}
{%- endmacro %}
