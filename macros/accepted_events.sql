{#- The accepted events (metrics.md §0): the valid rows of stg_events_checked whose event_id has
    no other valid copy, plus each repeated id's first-ranked copy from stg_events_copies_ranked.
    stg_events is this select of every column; readers that need a few columns or a time range
    (the data-quality models) select only `columns` and only the rows meeting `condition` (a
    SQL condition on the columns of both tables, or none), so the scans skip the rest. No shared
    CTE: a filter or a narrow column list is pushed into both branches. -#}
{% macro accepted_events(columns, condition=none) -%}
    select {% for c in columns %}checked.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ ref('stg_events_checked') }} as checked
    left join (select distinct event_id from {{ ref('stg_events_copies_ranked') }}) as copied_ids
        on checked.event_id = copied_ids.event_id
    where
        checked.check_reason is null
        and copied_ids.event_id is null
        {%- if condition is not none %}
        and ({{ condition }})
        {%- endif %}
    union all
    select {{ columns | join(', ') }}
    from {{ ref('stg_events_copies_ranked') }}
    where
        copy_rank = 1
        {%- if condition is not none %}
        and ({{ condition }})
        {%- endif %}
{%- endmacro %}
