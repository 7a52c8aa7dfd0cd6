{#- The instant (naive UTC timestamp) at which a local date of reporting_timezone begins. On a
    day whose local midnight falls in a daylight-saving gap, the first instant of that day. -#}
{% macro local_date_start_at(date_expr) -%}
    {{ return(adapter.dispatch('local_date_start_at', 'growthlens')(date_expr)) }}
{%- endmacro %}

{% macro default__local_date_start_at(date_expr) -%}
    to_utc_timestamp(cast({{ date_expr }} as timestamp), {{ growthlens.sql_text(growthlens.setting('reporting_timezone')) }})
{%- endmacro %}

{% macro duckdb__local_date_start_at(date_expr) -%}
    timezone('UTC', timezone({{ growthlens.sql_text(growthlens.setting('reporting_timezone')) }}, cast({{ date_expr }} as timestamp)))
{%- endmacro %}
