{#- Aggregate: the group's values of a text expression, sorted, joined with a separator. -#}
{% macro sorted_text_agg(expr, separator) -%}
    {{ return(adapter.dispatch('sorted_text_agg', 'growthlens')(expr, separator)) }}
{%- endmacro %}

{% macro default__sorted_text_agg(expr, separator) -%}
    {{ dbt.listagg(expr, separator, 'order by ' ~ expr) }}
{%- endmacro %}

{% macro spark__sorted_text_agg(expr, separator) -%}
    array_join(array_sort(collect_list({{ expr }})), {{ separator }})
{%- endmacro %}
