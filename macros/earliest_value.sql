{#- The value of `value` on the row that sorts first by the columns `order_by` (a list; the
    last column breaks ties) among a group's rows whose `value` is not null: the mirror of
    latest_value, one aggregate instead of a row_number() window over the group's rows. -#}
{% macro earliest_value(value, order_by) -%}
    {{ return(adapter.dispatch('earliest_value', 'growthlens')(value, order_by)) }}
{%- endmacro %}

{% macro default__earliest_value(value, order_by) -%}
    min_by({{ value }}, case when {{ value }} is not null then struct({{ order_by | join(', ') }}) end)
{%- endmacro %}

{% macro duckdb__earliest_value(value, order_by) -%}
    arg_min({{ value }}, case when {{ value }} is not null then row({{ order_by | join(', ') }}) end)
{%- endmacro %}
