{#- Exact elapsed seconds (fractional) from timestamp a to timestamp b. -#}
{% macro seconds_between(a, b) -%}
    {{ return(adapter.dispatch('seconds_between', 'growthlens')(a, b)) }}
{%- endmacro %}

{% macro default__seconds_between(a, b) -%}
    cast(unix_micros({{ b }}) - unix_micros({{ a }}) as double) / 1000000
{%- endmacro %}

{% macro duckdb__seconds_between(a, b) -%}
    ((epoch_us({{ b }}) - epoch_us({{ a }})) / 1000000.0)
{%- endmacro %}
