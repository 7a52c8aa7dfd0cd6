{#- Full builds of the event-grain sort (int_events_sessionized) in slices of persons, so a
    warehouse of 100 M events sorts a fifth of them at a time, within the memory limit, instead
    of one sort of all of them. The setting full_build_slice_events is the most staged events one
    slice should hold; a full build over more staged rows than that runs
    ceil(rows / full_build_slice_events) slices, each the persons of one hash bucket. The
    model's own statement builds bucket 0 and carries the marker written by slice_predicate;
    the post-hook insert_remaining_slices() finds that marker in the compiled SQL of this run
    and inserts buckets 1 .. n-1 with the same SQL. Incremental runs never slice. -#}

{#- How many slices this build of the calling model runs (1 = no slicing). -#}
{% macro full_build_slices(counted) -%}
    {%- set per_slice = growthlens.setting('full_build_slice_events') -%}
    {%- if not execute or is_incremental() or per_slice is none -%}
        {{- return(1) -}}
    {%- endif -%}
    {%- set rows = run_query('select count(*) from ' ~ counted).columns[0].values()[0] | int -%}
    {%- set per_slice = per_slice | int -%}
    {%- if per_slice < 1 -%}
        {{ exceptions.raise_compiler_error(
            "growthlens: full_build_slice_events must be a positive number of events or null, got "
            ~ per_slice) }}
    {%- endif -%}
    {{- return([1, ((rows + per_slice - 1) // per_slice)] | max) -}}
{%- endmacro %}

{#- The predicate that keeps slice 0 of n: the persons whose bucket is 0, ending in the marker
    the post-hook looks for. -#}
{% macro slice_predicate(person_id, slices) -%}
    {{ growthlens.person_bucket(person_id, slices) }} {{ growthlens.slice_marker(0, slices) }}
{%- endmacro %}

{#- The end of slice k's predicate: the bucket compared to k, and a comment naming the count. -#}
{% macro slice_marker(k, slices) -%}
    = {{ k }} /* growthlens_slice of {{ slices }} */
{%- endmacro %}

{#- A stable bucket in 0 .. n-1 of a text key. -#}
{% macro person_bucket(expr, n) -%}
    {{ return(adapter.dispatch('person_bucket', 'growthlens')(expr, n)) }}
{%- endmacro %}

{% macro default__person_bucket(expr, n) -%}
    pmod(hash({{ expr }}), {{ n }})
{%- endmacro %}

{% macro duckdb__person_bucket(expr, n) -%}
    (hash({{ expr }}) % {{ n }})
{%- endmacro %}

{#- Post-hook: when this run's compiled SQL built slice 0 of n, insert slices 1 .. n-1 (same
    SQL, other bucket), naming the columns so the column order of the table does not matter.
    Renders to nothing: the inserts run here, in the model's transaction. -#}
{% macro insert_remaining_slices() -%}
    {%- if execute and model.compiled_code -%}
        {#- slice_marker(0, n), whatever n is -#}
        {%- set found = modules.re.search('= 0 /\\* growthlens_slice of (\\d+) \\*/', model.compiled_code) -%}
        {%- if found -%}
            {%- set slices = found.group(1) | int -%}
            {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | join(', ') -%}
            {%- for k in range(1, slices) -%}
                {%- set slice_sql = model.compiled_code | replace(found.group(0),
                    growthlens.slice_marker(k, slices)) -%}
                {%- do run_query('insert into ' ~ this ~ ' (' ~ columns ~ ') select ' ~ columns
                    ~ ' from (' ~ slice_sql ~ '\n) as growthlens_slice') -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
