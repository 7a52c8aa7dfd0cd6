{#- "Data end" of metrics.md §0: the var as_of when set (ISO-8601, an offset is honoured,
    none means UTC), else the latest accepted event_ts. Without as_of every accepted event is in
    int_events_sessionized (each has an identifier, so a person), and one column of that table
    is far cheaper to read than the accepted-events view (checked rows less replaced copies).
    Models upstream of int_events_sessionized call this only when as_of is set. -#}
{% macro data_end() -%}
    {%- set as_of = growthlens.setting('as_of') -%}
    {%- if as_of is not none -%}
        {{ growthlens.parse_utc_timestamp(growthlens.sql_text(as_of | string), 'VARCHAR') }}
    {%- else -%}
        (select max(event_ts) from {{ ref('int_events_sessionized') }})
    {%- endif -%}
{%- endmacro %}
