{#- "Data end" of metrics.md §0: the var as_of when set, else the latest accepted event_ts. -#}
{% macro data_end() -%}
    {%- set as_of = growthlens.setting('as_of') -%}
    {%- if as_of is not none -%}
        cast({{ growthlens.sql_text(as_of) }} as timestamp)
    {%- else -%}
        (select max(event_ts) from {{ ref('stg_events') }})
    {%- endif -%}
{%- endmacro %}
