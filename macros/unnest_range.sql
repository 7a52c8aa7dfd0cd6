{#- A select-list expression that turns each row into one row per integer 0..upper_expr
    (no row when upper_expr is null or negative): small calendars (cohort × period) only. -#}
{% macro unnest_range(upper_expr) -%}
    {{ return(adapter.dispatch('unnest_range', 'growthlens')(upper_expr)) }}
{%- endmacro %}

{% macro default__unnest_range(upper_expr) -%}
    {#- sequence(0, -1) counts down on Spark: guard it. -#}
    explode(case when {{ upper_expr }} >= 0 then sequence(0, cast({{ upper_expr }} as int)) else array() end)
{%- endmacro %}

{% macro duckdb__unnest_range(upper_expr) -%}
    unnest(generate_series(0, cast({{ upper_expr }} as bigint)))
{%- endmacro %}
