{#- A select of `columns` from `relation` (a wide table of events with person_id) for each person
    of `persons` (a relation or CTE with person_id and `from_column`): the person's rows where
    `bound` holds, or all of them when from_column is null. `bound` is a condition on the row
    ({rows}) and the person (`affected`), e.g. "{rows}.event_ts >= affected.rebuild_from".

    An incremental run restarts most persons within the last hours, and few of the stored rows
    lie after that. With `recent_from` (a literal time, or none) the persons whose from_column
    is at or after it are read by a scan that `recent_bound` (a condition on {rows} alone,
    implied by `bound` for those persons) filters before any join, so DuckDB skips the row
    groups that lie before it. The other persons, few but with long histories, are found on a
    narrow scan and their rows fetched by row id (rows_where_joined); elsewhere the join and
    condition below keep their rows. `rows_condition` (on {rows} alone, or none) narrows every
    person's rows, the whole histories too. -#}
{% macro person_rows_from(relation, persons, columns, from_column, bound, recent_from=none, recent_bound=none, rows_condition=none) -%}
    {%- set person_from = 'affected.' ~ from_column -%}
    {#- Without recent_from every person is read the early way. -#}
    {%- set is_early = person_from ~ ' is null or ' ~ person_from ~ ' < ' ~ recent_from if recent_from is not none else 'true' -%}
    {%- set early = '(' ~ is_early ~ ') and (' ~ person_from ~ ' is null or (' ~ bound ~ '))'
        ~ (' and (' ~ rows_condition ~ ')' if rows_condition is not none else '') -%}
    {%- if recent_from is not none %}
    select {% for c in columns %}person_rows.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ relation }} as person_rows
    inner join {{ persons }} as affected
        on person_rows.person_id = affected.person_id
    where
        ({{ recent_bound | replace('{rows}', 'person_rows') }})
        {%- if rows_condition is not none %}
        and ({{ rows_condition | replace('{rows}', 'person_rows') }})
        {%- endif %}
        and {{ person_from }} >= {{ recent_from }}
        and ({{ bound | replace('{rows}', 'person_rows') }})
    union all
    {%- endif %}
    select {% for c in columns %}person_rows.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    from (
        select * from {{ relation }}
        where {{ growthlens.rows_where_joined(relation,
            'inner join ' ~ persons ~ ' as affected on narrow.person_id = affected.person_id',
            early | replace('{rows}', 'narrow')) }}
    ) as person_rows
    inner join {{ persons }} as affected
        on person_rows.person_id = affected.person_id
    where {{ early | replace('{rows}', 'person_rows') }}
{%- endmacro %}
