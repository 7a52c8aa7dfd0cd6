{#- The local start date of the day / week (Monday) / month containing a local date. -#}
{% macro period_start(grain, date_expr) -%}
    {%- if grain == 'day' -%}
        cast({{ date_expr }} as date)
    {%- elif grain in ['week', 'month'] -%}
        {#- date_trunc('week') is the ISO (Monday) week on DuckDB, Spark, Snowflake and BigQuery's isoweek. -#}
        cast({{ dbt.date_trunc(grain, date_expr) }} as date)
    {%- else -%}
        {{ exceptions.raise_compiler_error("growthlens.period_start: grain must be day, week or month, not '" ~ grain ~ "'") }}
    {%- endif -%}
{%- endmacro %}
