{#- Columns of a raw table as {lower name: upper data type}, or none when the table is absent.
    Optional tables and columns of the raw contract may be missing; staging models use this to
    fill what is missing with typed nulls instead of failing. -#}
{% macro raw_columns(table_name) -%}
    {%- if not execute -%}
        {{- return({}) -}}
    {%- endif -%}
    {%- set src = source('raw', table_name) -%}
    {%- set relation = adapter.get_relation(database=src.database, schema=src.schema, identifier=src.identifier) -%}
    {%- if relation is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for col in adapter.get_columns_in_relation(relation) -%}
        {%- do columns.update({col.name | lower: col.data_type | upper}) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{%- endmacro %}
