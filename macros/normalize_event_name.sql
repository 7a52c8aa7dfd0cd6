{#- SQL twin of normalize_name_text: `Signed Up`, `signed-up` and `signed_up` become one name. -#}
{% macro normalize_event_name(expr) -%}
    {{ return(adapter.dispatch('normalize_event_name', 'growthlens')(expr)) }}
{%- endmacro %}

{% macro default__normalize_event_name(expr) -%}
    {#- regexp_replace replaces every match on Spark, Snowflake, BigQuery and Databricks. -#}
    trim(both '_' from regexp_replace(lower(trim({{ expr }})), '[^a-z0-9]+', '_'))
{%- endmacro %}

{% macro duckdb__normalize_event_name(expr) -%}
    trim(regexp_replace(lower(trim({{ expr }})), '[^a-z0-9]+', '_', 'g'), '_')
{%- endmacro %}
