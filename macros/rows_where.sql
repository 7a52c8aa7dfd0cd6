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


{#- rows_where for a condition that also reads other relations, joined to `relation` (named
    `narrow` in `joins` and `condition`) by `joins`: on DuckDB the row ids come from a narrow scan
    joined to them; elsewhere every row is kept here, and the caller applies the same join and
    condition to the rows it reads. -#}
{% macro rows_where_joined(relation, joins, condition) -%}
    {{ return(adapter.dispatch('rows_where_joined', 'growthlens')(relation, joins, condition)) }}
{%- endmacro %}

{% macro default__rows_where_joined(relation, joins, condition) -%}
    1 = 1
{%- endmacro %}

{% macro duckdb__rows_where_joined(relation, joins, condition) -%}
    rowid in (select narrow.rowid from {{ relation }} as narrow {{ joins }} where {{ condition }})
{%- endmacro %}
