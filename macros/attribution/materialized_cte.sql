{#- The keyword that makes a CTE computed once, between `name as` and its `(`: DuckDB
    inlines a CTE referenced once, and a long chain of inlined window steps makes its planner
    slow; other engines get nothing (Spark plans the chain in linear size as it is). -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'growthlens')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}
