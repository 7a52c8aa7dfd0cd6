{#- The columns of raw.events in contract order (the order of the "all raw columns as text"
    tie-break among duplicate copies). -#}
{% macro raw_event_columns() -%}
    {{ return(['event_id', 'event_name', 'event_ts', 'received_at', 'anonymous_id', 'user_id',
        'account_id', 'platform', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
        'referrer', 'page_url', 'revenue', 'currency', 'properties']) }}
{%- endmacro %}


{#- The columns of an accepted event as staging gives them (stg_events), in order; the models
    that carry staged events on (int_events_changed, int_events_sessionized) add
    batch_loaded_at, and stg_events_checked adds check_reason after properties. -#}
{% macro accepted_event_columns() -%}
    {{ return(['event_id', 'event_name', 'event_name_raw', 'anonymous_id', 'user_id', 'account_id',
        'platform', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'referrer',
        'page_url', 'currency_code', 'properties', 'revenue_original', 'revenue', 'is_properties_malformed',
        'is_unknown_currency', 'event_ts', 'received_at']) }}
{%- endmacro %}


{#- The columns that tell whether stg_events_checked would stage a row as before: a staged row
    is a function of its raw text, the settings (a change of which needs --full-refresh) and
    the exchange rates. -#}
{% macro staged_event_match_columns() -%}
    {%- set columns = ['check_reason', 'revenue', 'is_unknown_currency'] -%}
    {%- for name in growthlens.raw_event_columns() %}{% do columns.append('raw_' ~ name) %}{% endfor -%}
    {{ return(columns) }}
{%- endmacro %}
