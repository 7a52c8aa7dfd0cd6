{#- Written after `name as` in a CTE that is read twice but is cheap to compute twice (a
    projection of rows already at hand): DuckDB otherwise materialises such a CTE, which here
    costs more than the second computation and holds the rest of the query to one thread.
    Elsewhere nothing (Spark inlines CTEs itself). -#}
{% macro inline_cte() -%}
    {{ return(adapter.dispatch('inline_cte', 'growthlens')()) }}
{%- endmacro %}

{% macro default__inline_cte() -%}
{%- endmacro %}

{% macro duckdb__inline_cte() -%}
    not materialized
{%- endmacro %}
