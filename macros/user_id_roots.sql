{#- Connected components of the user_id graph: a select of (user_id, root_user_id) for every
    user_id that appears in `edges` (a relation with columns user_id_a, user_id_b, undirected),
    where root_user_id is the smallest user_id of its component (metrics.md §1).
    DuckDB walks the graph in one recursive query whose `union` drops rows already reached.
    Engines whose recursive queries only allow `union all` (Spark) would loop on every cycle,
    so there the labels are propagated round by round into work tables until no label changes:
    each round gives every id the smallest label among itself and its neighbours, then the label
    of its label (pointer jumping), so long chains converge in few rounds. -#}
{% macro user_id_roots(edges) -%}
    {{ return(adapter.dispatch('user_id_roots', 'growthlens')(edges)) }}
{%- endmacro %}

{% macro duckdb__user_id_roots(edges) -%}
    {#- `union` (not `union all`) drops rows already reached, so cycles end the walk. -#}
    with recursive directed_edges as (
        select user_id_a as from_id, user_id_b as to_id from {{ edges }}
        union
        select user_id_b as from_id, user_id_a as to_id from {{ edges }}
    ),

    linked_ids as (
        select distinct from_id as user_id from directed_edges
    ),

    reached (user_id, label) as (
        select user_id, user_id as label from linked_ids
        union
        select directed_edges.to_id as user_id, reached.label
        from reached
        inner join directed_edges on reached.user_id = directed_edges.from_id
    )

    select user_id, min(label) as root_user_id
    from reached
    group by user_id
{%- endmacro %}

{% macro default__user_id_roots(edges, max_rounds=64) -%}
    {%- set base = this.incorporate(path={'identifier': this.identifier ~ '__labels'}) -%}
    {%- set neighbours_sql -%}
        select user_id_a as from_id, user_id_b as to_id from {{ edges }}
        union
        select user_id_b as from_id, user_id_a as to_id from {{ edges }}
        union
        select user_id_a as from_id, user_id_a as to_id from {{ edges }}
        union
        select user_id_b as from_id, user_id_b as to_id from {{ edges }}
    {%- endset -%}
    {%- if not execute -%}
        {{ return('select cast(null as ' ~ dbt.type_string() ~ ') as user_id, cast(null as ' ~ dbt.type_string() ~ ') as root_user_id') }}
    {%- endif -%}
    {%- set state = namespace(current=none, done=false) -%}
    {%- set neighbours = this.incorporate(path={'identifier': this.identifier ~ '__neighbours'}) -%}
    {%- do growthlens.replace_work_table(neighbours, neighbours_sql) -%}
    {%- set first = this.incorporate(path={'identifier': this.identifier ~ '__labels_0'}) -%}
    {%- do growthlens.replace_work_table(first,
        'select from_id as user_id, min(to_id) as label from ' ~ neighbours ~ ' group by from_id') -%}
    {%- set state.current = first -%}
    {%- for round in range(1, max_rounds + 1) if not state.done -%}
        {%- set next = this.incorporate(path={'identifier': this.identifier ~ '__labels_' ~ (round % 2)}) -%}
        {%- set step_sql -%}
            with spread as (
                select neighbours.from_id as user_id, min(labels.label) as label
                from {{ neighbours }} as neighbours
                inner join {{ state.current }} as labels on neighbours.to_id = labels.user_id
                group by neighbours.from_id
            )
            select spread.user_id, least(spread.label, jumped.label) as label
            from spread
            inner join {{ state.current }} as jumped on spread.label = jumped.user_id
        {%- endset -%}
        {%- do growthlens.replace_work_table(next, step_sql) -%}
        {%- set changed = run_query('select count(*) from ' ~ next ~ ' as next_labels inner join '
            ~ state.current ~ ' as previous_labels on next_labels.user_id = previous_labels.user_id'
            ~ ' where next_labels.label <> previous_labels.label').columns[0].values()[0] -%}
        {%- set state.current = next -%}
        {%- if changed == 0 -%}
            {%- set state.done = true -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not state.done -%}
        {{ exceptions.raise_compiler_error("growthlens.user_id_roots: labels still changing after " ~ max_rounds ~ " rounds") }}
    {%- endif -%}
    select user_id, label as root_user_id from {{ state.current }}
{%- endmacro %}

{#- (Re)create a work table from a select (run now, in the model's schema). -#}
{% macro replace_work_table(relation, sql) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query(dbt.create_table_as(false, relation, sql)) -%}
{%- endmacro %}
