{#- The keyword between a CTE's `name as` and its `(` that says whether DuckDB computes it once
    (materialized=true) or where it is used (false). DuckDB inlines a CTE referenced once (a long
    chain of inlined window steps then makes its planner slow) and materialises one referenced
    twice (which holds a cheap projection of rows already at hand to one thread). Other engines
    get nothing: Spark inlines CTEs and plans such a chain in linear size. -#}
{% macro cte_hint(materialized=true) -%}
    {{ return(adapter.dispatch('cte_hint', 'growthlens')(materialized)) }}
{%- endmacro %}

{% macro default__cte_hint(materialized) -%}
{%- endmacro %}

{% macro duckdb__cte_hint(materialized) -%}
    {{ 'materialized' if materialized else 'not materialized' }}
{%- endmacro %}
