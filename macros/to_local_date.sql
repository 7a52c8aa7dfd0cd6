{#- The local calendar date, in reporting_timezone, of a naive UTC timestamp. In UTC the date is
    a plain cast, which skips a time-zone conversion per row. -#}
{% macro to_local_date(ts) -%}
    {%- if growthlens.setting('reporting_timezone') | upper in ['UTC', 'ETC/UTC', 'Z'] -%}
        cast({{ ts }} as date)
    {%- else -%}
        {{ return(adapter.dispatch('to_local_date', 'growthlens')(ts)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__to_local_date(ts) -%}
    cast(from_utc_timestamp({{ ts }}, {{ growthlens.sql_text(growthlens.setting('reporting_timezone')) }}) as date)
{%- endmacro %}

{% macro duckdb__to_local_date(ts) -%}
    cast(timezone({{ growthlens.sql_text(growthlens.setting('reporting_timezone')) }}, timezone('UTC', {{ ts }})) as date)
{%- endmacro %}
