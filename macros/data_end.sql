{#- "Data end" of metrics.md §0: the var as_of when set (ISO-8601, an offset is honoured,
    none means UTC), else the latest accepted event_ts. -#}
{% macro data_end() -%}
    {%- set as_of = growthlens.setting('as_of') -%}
    {%- if as_of is not none -%}
        {{ growthlens.parse_utc_timestamp(growthlens.sql_text(as_of | string), 'VARCHAR') }}
    {%- else -%}
        (select max(event_ts) from {{ ref('stg_events') }})
    {%- endif -%}
{%- endmacro %}
