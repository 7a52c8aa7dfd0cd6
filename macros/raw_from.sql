{#- The FROM target of a staging model: the raw table, or an empty row set when an optional
    raw table is absent, so dependent marts build empty instead of failing. -#}
{% macro raw_from(columns, table_name) -%}
    {%- if columns is none -%}
        (select 1 as no_rows) as absent_{{ table_name }} where false
    {%- else -%}
        {{ source('raw', table_name) }}
    {%- endif -%}
{%- endmacro %}
