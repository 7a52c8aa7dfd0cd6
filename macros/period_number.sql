{#- Periods from one period start to another (metrics.md §0): days = date difference; weeks =
    difference of the Monday week starts / 7 (never datediff 'week', which counts Sunday
    boundaries on DuckDB); months = 12·Δyear + Δmonth (both arguments are firsts of months). -#}
{% macro period_number(grain, from_start, to_start) -%}
    {%- if grain == 'day' -%}
        cast({{ dbt.datediff(from_start, to_start, 'day') }} as integer)
    {%- elif grain == 'week' -%}
        cast({{ dbt.datediff(from_start, to_start, 'day') }} / 7 as integer)
    {%- elif grain == 'month' -%}
        cast({{ dbt.datediff(from_start, to_start, 'month') }} as integer)
    {%- else -%}
        {{ exceptions.raise_compiler_error("growthlens.period_number: grain must be day, week or month, not '" ~ grain ~ "'") }}
    {%- endif -%}
{%- endmacro %}
