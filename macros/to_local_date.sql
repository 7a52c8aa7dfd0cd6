{#- The local calendar date, in reporting_timezone, of a naive UTC timestamp. -#}
{% macro to_local_date(ts) -%}
    {{ return(adapter.dispatch('to_local_date', 'growthlens')(ts)) }}
{%- endmacro %}

{% macro default__to_local_date(ts) -%}
    cast(from_utc_timestamp({{ ts }}, {{ growthlens.sql_text(growthlens.setting('reporting_timezone')) }}) as date)
{%- endmacro %}

{% macro duckdb__to_local_date(ts) -%}
    cast(timezone({{ growthlens.sql_text(growthlens.setting('reporting_timezone')) }}, timezone('UTC', {{ ts }})) as date)
{%- endmacro %}
