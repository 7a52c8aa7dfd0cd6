{#- The local date n days / weeks / months after a period start (a date). n may be an
    expression: it is parenthesised, so `k + 1` weeks is 7·(k + 1) days on every engine. -#}
{% macro add_periods(grain, n, date_expr) -%}
    cast({{ dbt.dateadd(grain, '(' ~ n ~ ')', date_expr) }} as date)
{%- endmacro %}
