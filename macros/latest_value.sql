{#- The value of `value` on the row that sorts last by the columns `order_by` (a list; the
    last column breaks ties) among a group's rows whose `value` is not null (null when every
    row's is): one aggregate beside the group's others instead of a row_number() window and a
    join, so no sort of the group's rows. Rows with a null value get a null ordering key,
    which both engines' aggregates skip. -#}
{% macro latest_value(value, order_by) -%}
    {{ return(adapter.dispatch('latest_value', 'growthlens')(value, order_by)) }}
{%- endmacro %}

{% macro default__latest_value(value, order_by) -%}
    max_by({{ value }}, case when {{ value }} is not null then struct({{ order_by | join(', ') }}) end)
{%- endmacro %}

{% macro duckdb__latest_value(value, order_by) -%}
    arg_max({{ value }}, case when {{ value }} is not null then row({{ order_by | join(', ') }}) end)
{%- endmacro %}
