{#- A where clause that keeps the rows of `relation` matching `condition`, for a select that
    reads few of its many rows and every column (a wide table of events). On DuckDB the
    condition is judged on a narrow scan and the matching rows are fetched by their row ids,
    instead of decoding every column of every row to keep a handful; elsewhere it is the
    condition itself. -#}
{% macro rows_where(relation, condition) -%}
    {{ return(adapter.dispatch('rows_where', 'growthlens')(relation, condition)) }}
{%- endmacro %}

{% macro default__rows_where(relation, condition) -%}
    {{ condition }}
{%- endmacro %}

{% macro duckdb__rows_where(relation, condition) -%}
    rowid in (select rowid from {{ relation }} where {{ condition }})
{%- endmacro %}
