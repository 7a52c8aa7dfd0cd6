{#- The n-th (1-based) piece of a text split on a literal delimiter, where n may be a column
    (dbt's own split_part wants a number known at compile time on some engines). -#}
{% macro split_part(text_expr, delimiter_expr, part_expr) -%}
    {{ return(adapter.dispatch('split_part', 'growthlens')(text_expr, delimiter_expr, part_expr)) }}
{%- endmacro %}

{% macro default__split_part(text_expr, delimiter_expr, part_expr) -%}
    split_part({{ text_expr }}, {{ delimiter_expr }}, {{ part_expr }})
{%- endmacro %}
