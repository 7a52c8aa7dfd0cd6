{#- A model's previous table, readable while the model rebuilds itself. DuckDB builds the new
    table beside the old one, so the old one is read in place; Spark (parquet) drops the old
    table before creating the new one, so there it is first copied to <model>__previous (the
    copy runs when the model is rendered, before the materialization starts). -#}
{% macro previous_state(relation) -%}
    {{ return(adapter.dispatch('previous_state', 'growthlens')(relation)) }}
{%- endmacro %}

{% macro default__previous_state(relation) -%}
    {{ return(relation) }}
{%- endmacro %}

{% macro spark__previous_state(relation) -%}
    {%- if relation is none or not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set copy = relation.incorporate(path={'identifier': relation.identifier ~ '__previous'}) -%}
    {%- do growthlens.replace_work_table(copy, 'select * from ' ~ relation) -%}
    {{ return(copy) }}
{%- endmacro %}
