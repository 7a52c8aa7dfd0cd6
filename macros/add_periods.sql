{#- The local date n days / weeks / months after a period start (a date). -#}
{% macro add_periods(grain, n, date_expr) -%}
    cast({{ dbt.dateadd(grain, n, date_expr) }} as date)
{%- endmacro %}
