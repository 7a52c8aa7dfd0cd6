{#- The value of `value` on the row that sorts last by the columns `order_by` (a list; the
    last column breaks ties) among a group's rows: one aggregate instead of a row_number()
    window and a join, so no sort of the group's rows. Rows where `value` is null should be
    filtered out by the caller when a null must not win. -#}
{% macro latest_value(value, order_by) -%}
    {{ return(adapter.dispatch('latest_value', 'growthlens')(value, order_by)) }}
{%- endmacro %}

{% macro default__latest_value(value, order_by) -%}
    max_by({{ value }}, struct({{ order_by | join(', ') }}))
{%- endmacro %}

{% macro duckdb__latest_value(value, order_by) -%}
    arg_max({{ value }}, row({{ order_by | join(', ') }}))
{%- endmacro %}
