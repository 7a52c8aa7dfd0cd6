{#- Incremental building blocks (README "Incremental builds").

    The event-volume models (stg_events_checked, stg_events_copies_ranked, int_event_id_pairs,
    int_events_sessionized, int_sessions_classified, int_person_days_summarized) are
    `incremental` with the strategy `growthlens_replace`: the model's select is materialised
    first (it may read the model's own previous rows through {{ this }}), then the target rows
    matching the model's incremental_predicates are deleted and the new rows inserted. The
    predicates say which slice the select rebuilt (a received_at window, a set of event_ids,
    persons from a time on), so rows that disappear from a slice are removed too. -#}

{% macro get_incremental_growthlens_replace_sql(arg_dict) -%}
    {{ return(adapter.dispatch('growthlens_replace_sql', 'growthlens')(arg_dict)) }}
{%- endmacro %}

{% macro default__growthlens_replace_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set predicates = arg_dict['incremental_predicates'] or [] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- if predicates | length == 0 -%}
        {{ exceptions.raise_compiler_error("growthlens_replace needs incremental_predicates (the rebuilt slice)") }}
    {%- endif -%}
    {%- set match = config.get('unchanged_rows_match') -%}
    {#- A model with unchanged_rows_match keeps the stored rows it found unchanged: a new row
        that carries another batch_loaded_at than this build's is the stored row with the
        same match columns (the model keeps a stamp only for a row whose match columns occur
        once in the rebuilt slice on each side), so that stored row is left as it is and the new
        one not written again. #}
    {%- set match_hash = 'hash(' ~ (match | join(', ')) ~ ')' if match else none %}
    delete from {{ target }}
    where {% for predicate in predicates %}({{ growthlens.resolve_slice_predicate(predicate, target, source) }}){{ ' and ' if not loop.last }}{% endfor %}
    {%- if match_hash %}
        and {{ match_hash }} not in (
            select {{ match_hash }} from {{ source }}
            where batch_loaded_at <> {{ growthlens.batch_stamp() }}
        )
    {%- endif %};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
    {%- if match_hash %}
    where batch_loaded_at = {{ growthlens.batch_stamp() }}
    {%- endif %}
{%- endmacro %}


{#- Tables rebuilt from their whole select on every run (identity, persons), written as a
    difference on DuckDB: config(**growthlens.rewritten_table()). Such a model's select is
    cheap next to writing its rows (compressing a few hundred thousand rows of text takes
    longer than joining them), and an hourly run changes few of them. So the select is
    materialised in memory, each row is matched with the stored row of the same hash, and only
    the stored rows without an equal match are deleted and the new rows without one inserted.
    A row is kept only when its hash occurs once among the stored rows and once among the new
    ones and the two are equal in every column; any other row (a repeated row, a hash two
    different rows share) is deleted and inserted again. So the table holds exactly the select's
    rows, copies included. The first build and a full refresh write the table whole, as do
    other engines (a plain table there). -#}
{% macro rewritten_table(keep_schema_setting=false) -%}
    {%- if target.type != 'duckdb' -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {%- set settings = {'materialized': 'incremental', 'incremental_strategy': 'growthlens_rewrite'} -%}
    {#- A column added to or dropped from the select changes the stored table to match; a mart
        with an enforced contract keeps the project's on_schema_change (keep_schema_setting). -#}
    {%- if not keep_schema_setting -%}
        {%- do settings.update({'on_schema_change': 'sync_all_columns'}) -%}
    {%- endif -%}
    {{ return(settings) }}
{%- endmacro %}

{#- The strategy is DuckDB's only: rewritten_table() gives other engines a plain table. -#}
{% macro get_incremental_growthlens_rewrite_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set names = arg_dict['dest_columns'] | map(attribute='name') | list -%}
    {%- set columns = get_quoted_csv(names) -%}
    {%- set kept = adapter.quote(target.identifier ~ '__kept') -%}
    create or replace temporary table {{ kept }} as
    select
        any_value(stored.growthlens_rowid) as growthlens_rowid,
        stored.growthlens_row_hash
    from (
        select rowid as growthlens_rowid, hash({{ columns }}) as growthlens_row_hash, {{ columns }}
        from {{ target }}
    ) as stored
    inner join (
        select hash({{ columns }}) as growthlens_row_hash, {{ columns }}
        from {{ source }}
    ) as fresh
        on stored.growthlens_row_hash = fresh.growthlens_row_hash
    group by stored.growthlens_row_hash
    {#- One row on each side (the join gives stored count times new count) and equal. #}
    having count(*) = 1 and bool_and(
        {%- for name in names %}
        stored.{{ adapter.quote(name) }} is not distinct from fresh.{{ adapter.quote(name) }}{{ ' and' if not loop.last }}
        {%- endfor %}
    );

    delete from {{ target }}
    where rowid not in (select growthlens_rowid from {{ kept }});

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
    where hash({{ columns }}) not in (select growthlens_row_hash from {{ kept }});

    drop table {{ kept }}
{%- endmacro %}


{#- A staging table of a raw table that has no received_at (stg_identifies), parsed again only
    where the raw rows changed, on DuckDB: config(**growthlens.raw_keyed_table('identifies')).
    Every run still reads the raw table whole, but it hashes each raw row (raw_row_key, over all
    of the table's columns) and parses only the rows whose key the table does not hold as many
    times as the raw table does now (unstaged_raw_rows). Those keys' stored rows are deleted and
    their rows inserted again, and stored rows whose key is no longer in the raw table are
    deleted: so the table holds exactly one parsed row per raw row, copies included. A parsed
    row depends on its raw row only (no var), so an equal key means an equal row. The first
    build and a full refresh parse every row, as do other engines (a plain table there).
    At 10 M events, hashing the 172 k identify rows takes 0.02 s and cleaning them with their
    regular expressions 0.28 s. (The campaign messages were tried too: their cleaning is cheap,
    0.18 s for 390 k rows, and the key bookkeeping cost more than it saved.) -#}
{% macro raw_keyed_table(table_name) -%}
    {%- if target.type != 'duckdb' -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'growthlens_raw_keyed',
        'raw_table': table_name,
        'on_schema_change': 'sync_all_columns',
    }) }}
{%- endmacro %}

{#- The key of a raw row: two 64-bit hashes of all its columns (the second seeded) as one
    128-bit number, so two different raw rows sharing a key is not a practical concern.
    `columns` is raw_columns(table) (none when the table is absent: no rows, any key). -#}
{% macro raw_row_key(columns) -%}
    {{ return(adapter.dispatch('raw_row_key', 'growthlens')(columns)) }}
{%- endmacro %}

{% macro default__raw_row_key(columns) -%}
    {%- if not columns -%}
        cast(null as bigint)
    {%- else -%}
        xxhash64({% for name in columns %}{{ adapter.quote(name) }}{{ ', ' if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__raw_row_key(columns) -%}
    {%- if not columns -%}
        cast(null as uhugeint)
    {%- else -%}
        {%- set quoted = [] -%}
        {%- for name in columns %}{% do quoted.append(adapter.quote(name)) %}{% endfor -%}
        ((hash({{ quoted | join(', ') }})::uhugeint << 64)
            | hash('growthlens', {{ quoted | join(', ') }})::uhugeint)
    {%- endif -%}
{%- endmacro %}

{#- Whether this run of a raw_keyed_table parses only the changed rows: an incremental run on a
    table that has the key column. A table staged before the key existed is parsed whole once
    (on_schema_change then adds the column, empty, and the strategy deletes its rows). -#}
{% macro raw_keyed_incremental() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(growthlens.stored_has_columns(['raw_row_key'])) }}
{%- endmacro %}

{#- Whether the model's stored table ({{ this }}) has every column of `names`: a table built by
    an earlier version may lack a column the model now reads back from it. -#}
{% macro stored_has_columns(names) -%}
    {%- set stored_names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- for name in names if name | lower not in stored_names -%}
        {{ return(false) }}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}

{#- The rows of `relation` (a CTE with raw_row_key) to parse in an incremental run of a
    raw_keyed_table: those whose key occurs a different number of times in the stored table. -#}
{% macro unstaged_raw_rows(relation) -%}
    select {{ relation }}.*
    from {{ relation }}
    where {{ relation }}.raw_row_key in (
        select now_keys.raw_row_key
        from (
            select read_now.raw_row_key, count(*) as n_rows
            from {{ relation }} as read_now
            group by read_now.raw_row_key
        ) as now_keys
        left join (
            select stored.raw_row_key, count(*) as n_rows
            from {{ this }} as stored
            group by stored.raw_row_key
        ) as staged_keys
            on now_keys.raw_row_key = staged_keys.raw_row_key
        where staged_keys.n_rows is distinct from now_keys.n_rows
    )
{%- endmacro %}

{#- The strategy of raw_keyed_table (DuckDB only). -#}
{% macro get_incremental_growthlens_raw_keyed_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set fresh = arg_dict['temp_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set table_name = config.require('raw_table') -%}
    {%- set raw = growthlens.raw_columns(table_name) -%}
    {#- A null key is a row staged before the key existed: parsed again. #}
    delete from {{ target }}
    where raw_row_key in (select raw_row_key from {{ fresh }})
        or raw_row_key is null
        {%- if raw is none %}
        or true
        {%- else %}
        or raw_row_key not in (select {{ growthlens.raw_row_key(raw) }} from {{ source('raw', table_name) }})
        {%- endif %};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ fresh }}
{%- endmacro %}


{#- Predicates are written in dbt_project.yml / config blocks, where refs don't resolve yet:
    `growthlens_new_rows` stands for the freshly selected rows, `growthlens_target` for the
    model's table, `growthlens_ref_<model>` for any model it refs (a `-- depends_on` ref will
    do), `growthlens_affected_persons` for the person ids of int_persons_affected and
    `growthlens_staging_cutoff` for the received_at from which stg_events_checked re-reads
    (staging_cutoff(), a literal, so DuckDB skips the row groups before it). -#}
{% macro resolve_slice_predicate(predicate, target, source) -%}
    {#- A person-keyed mart (or a model with config follows_sessionizing) that is not in step
        with the sessionizing runs is replaced whole. -#}
    {%- if ('growthlens_affected_persons' in predicate or config.get('follows_sessionizing'))
        and not growthlens.persons_incremental() -%}
        {{- return('1 = 1') -}}
    {%- endif -%}
    {%- set resolved = namespace(sql=predicate | replace('growthlens_new_rows', source | string)
        | replace('growthlens_target', target | string)) -%}
    {%- if 'growthlens_staging_cutoff' in resolved.sql -%}
        {%- set cutoff = growthlens.staging_cutoff() -%}
        {%- if cutoff is none -%}
            {{- return('1 = 1') -}}
        {%- endif -%}
        {%- set resolved.sql = resolved.sql | replace('growthlens_staging_cutoff', cutoff) -%}
    {%- endif -%}
    {%- if 'growthlens_affected_persons' in resolved.sql -%}
        {%- set resolved.sql = resolved.sql | replace('growthlens_affected_persons', growthlens.affected_person_ids()) -%}
    {%- endif -%}
    {#- Every model the model depends on may be named; longer names first, so a name that
        extends another is replaced whole. -#}
    {%- set by_length = [] -%}
    {%- for node in model.depends_on.nodes if node.startswith('model.') -%}
        {%- do by_length.append([node.split('.')[-1] | length, node.split('.')[-1]]) -%}
    {%- endfor -%}
    {%- for name in by_length | sort(reverse=true) | map('last') -%}
        {%- if ('growthlens_ref_' ~ name) in resolved.sql -%}
            {%- set resolved.sql = resolved.sql | replace('growthlens_ref_' ~ name, ref(name) | string) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- resolved.sql -}}
{%- endmacro %}


{#- A model's relation by schema and name, or none when it does not exist yet. Used where a
    model reads another model's previous state without a ref (a ref would be a cycle). -#}
{% macro existing_model_relation(schema_name, identifier) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=target.database, schema=schema_name, identifier=identifier)) }}
{%- endmacro %}


{#- max(column) of a relation as a SQL timestamp literal, or none (no relation, empty, or a
    --full-refresh run). Read when the model runs, so it sees the state left by earlier
    models of the same build. -#}
{% macro max_timestamp_literal(relation, column) -%}
    {%- if not execute or relation is none or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(growthlens.timestamp_literal_of('select cast(max(' ~ column ~ ') as string) from ' ~ relation)) }}
{%- endmacro %}


{#- The one value of `query` (a timestamp cast to text) as a SQL timestamp literal, or none. -#}
{% macro timestamp_literal_of(query) -%}
    {%- set value = run_query(query).columns[0].values()[0] -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as timestamp)") }}
{%- endmacro %}


{#- The earliest rebuild_from of the persons of `affected` (a model with person_id and
    rebuild_from) once the earliest-restarting share of them (incremental_early_restart_share)
    is left out, as a SQL timestamp literal; none when no person has one. A restarted slice is
    read in two parts: the stored rows from this time on, which a scan filters before any join,
    and the rows of the few persons restarting earlier. -#}
{% macro recent_restart_from(affected) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(growthlens.timestamp_literal_of(
        'select cast(min(rebuild_from) as string) from ('
        ~ ' select rebuild_from, row_number() over (order by rebuild_from) as restart_rank,'
        ~ ' count(*) over () as n_persons'
        ~ ' from ' ~ affected ~ ' where rebuild_from is not null'
        ~ ') as ranked where restart_rank > n_persons * '
        ~ (growthlens.setting('incremental_early_restart_share') | float))) }}
{%- endmacro %}


{#- The stamp every staging row written by this build carries (batch_loaded_at). -#}
{% macro batch_stamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}


{#- Events already carried into the stitched/sessionized table: the latest staging batch it
    holds. Staging rows stamped later are "changed" for the identity and session models; none
    means those models build in full. -#}
{% macro events_processed_through() -%}
    {%- set relation = growthlens.existing_model_relation(
        generate_schema_name('intermediate', none) | trim, 'int_events_sessionized') -%}
    {{ return(growthlens.max_timestamp_literal(relation, 'batch_loaded_at')) }}
{%- endmacro %}


{#- First received_at an incremental run of stg_events_checked re-reads: the latest received_at
    already staged (not after this build's start) minus incremental_lookback_hours (none = read
    everything). -#}
{% macro staging_cutoff() -%}
    {%- if not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {#- A received_at after this build started is no watermark (a bad clock must not stop
        later rows from being read); such rows sit in every window until then. -#}
    {%- set watermark = growthlens.max_timestamp_literal(
        '(select received_at from ' ~ this ~ ' where received_at <= ' ~ growthlens.batch_stamp() ~ ') as staged',
        'received_at') -%}
    {%- if watermark is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set lookback_hours = growthlens.setting('incremental_lookback_hours') | float -%}
    {{ return(growthlens.timestamp_literal_of('select cast(' ~ watermark ~ ' - interval '
        ~ (lookback_hours * 3600) | int ~ ' second as string)')) }}
{%- endmacro %}


{#- Filter on raw.events.received_at itself (so the scan skips row groups by their min/max),
    for the rows an incremental run re-reads: received at or after the cutoff, or with no
    usable received_at (those are re-judged on every run). -#}
{% macro raw_received_filter(columns, cutoff) -%}
    {%- set data_type = columns.get('received_at', '') -%}
    {%- set column = adapter.quote('received_at') -%}
    {%- if 'TIME ZONE' in data_type or 'TIMESTAMPTZ' in data_type or data_type.startswith('TIMESTAMP') -%}
        {{ column }} >= {{ cutoff }} or {{ column }} is null
    {%- else -%}
        {%- set parsed = growthlens.parse_utc_timestamp(column, data_type) -%}
        {{ parsed }} >= {{ cutoff }} or {{ parsed }} is null
    {%- endif -%}
{%- endmacro %}


{#- Incremental marts keyed by person (README "Incremental builds").

    A mart rebuilt per affected person is `incremental` (the project's default strategy is
    growthlens_replace, and every model's post-hook record_incremental_state() logs incremental
    runs) with the predicate growthlens.person_slice(), i.e. "growthlens_target.person_id in
    (growthlens_affected_persons)", or another key derived from the affected persons. Its select
    reads only the affected persons' rows when persons_incremental() is true, and everything
    otherwise. The affected persons (int_persons_affected) are those changed by the latest
    sessionizing run, so a mart may take only that slice if it was built in that run too: every
    run of int_events_sessionized and of each such mart is logged in
    intermediate.growthlens_incremental_state (model name, run start), and a mart whose last
    run is older than the sessionizing run before this one (a run that built the intermediate
    models but not the mart, or in which the mart failed) is rebuilt whole, as in a full refresh. -#}

{% macro incremental_state_relation(identifier='growthlens_incremental_state') -%}
    {#- No database: Spark has none, and elsewhere the connection's own is meant. -#}
    {{ return(api.Relation.create(
        schema=generate_schema_name('intermediate', none) | trim,
        identifier=identifier)) }}
{%- endmacro %}


{#- on-run-start: the run log, the history settings (macros/history_settings.sql) and, on
    DuckDB, the views' signatures (macros/unchanged_views.sql) exist before any model runs. -#}
{% macro create_incremental_state() -%}
    {%- if execute -%}
        {%- set state = growthlens.incremental_state_relation() -%}
        {%- do adapter.create_schema(state) -%}
        {%- do run_query(growthlens.create_state_table_sql(state, 'model_name string, built_at timestamp')) -%}
        {%- do run_query(growthlens.create_state_table_sql(growthlens.history_settings_relation(),
            'setting_name string, value_hash string')) -%}
        {%- if target.type == 'duckdb' -%}
            {%- do run_query(growthlens.create_state_table_sql(growthlens.view_state_relation(),
                'view_name string, signature string')) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro create_state_table_sql(relation, columns) -%}
    {{ return(adapter.dispatch('create_state_table_sql', 'growthlens')(relation, columns)) }}
{%- endmacro %}

{% macro default__create_state_table_sql(relation, columns) -%}
    create table if not exists {{ relation }} ({{ columns }})
{%- endmacro %}

{% macro spark__create_state_table_sql(relation, columns) -%}
    create table if not exists {{ relation }} ({{ columns }}) using parquet
{%- endmacro %}


{#- post-hook of every model (dbt_project.yml): log this run of an incremental model. -#}
{% macro record_incremental_state() -%}
    {#- A table that reads its own rows back sets config log_runs (int_shared_device_events). -#}
    {%- if execute and (model.config.materialized == 'incremental' or config.get('log_runs')) -%}
    insert into {{ growthlens.incremental_state_relation() }}
    values ('{{ this.identifier }}', {{ growthlens.batch_stamp() }})
    {%- endif -%}
{%- endmacro %}


{#- The incremental_predicates entry of a person-keyed model: its rows of the persons of
    int_persons_affected and, when named, of another person list it refs (a model with a
    person_id column, e.g. marketing's slice). -#}
{% macro person_slice(also=none) -%}
    {%- set predicate = "growthlens_target.person_id in (growthlens_affected_persons)" -%}
    {%- if also is not none -%}
        {%- set predicate = predicate ~ " or growthlens_target.person_id in (select person_id from growthlens_ref_" ~ also ~ ")" -%}
    {%- endif -%}
    {{ return(predicate) }}
{%- endmacro %}


{#- The incremental_predicates entry of a person-keyed model whose rows of a person are
    replaced from the person's rebuild_from on (all of them when null): its rows with ts_column
    at or after restart_from (an expression of affected.rebuild_from), of the persons of
    `persons` (a model with person_id and rebuild_from). A mart using it sets
    follows_sessionizing, so it is replaced whole when not in step. -#}
{% macro person_restart_slice(ts_column, persons='int_persons_affected', restart_from='affected.rebuild_from') -%}
    {{ return(adapter.dispatch('person_restart_slice', 'growthlens')(ts_column, persons, restart_from)) }}
{%- endmacro %}

{% macro default__person_restart_slice(ts_column, persons, restart_from) -%}
    {{ return("exists (select 1 from growthlens_ref_" ~ persons ~ " as affected"
        ~ " where affected.person_id = growthlens_target.person_id"
        ~ " and (affected.rebuild_from is null or growthlens_target." ~ ts_column ~ " >= " ~ restart_from ~ "))") }}
{%- endmacro %}

{#- DuckDB: the same rows by their row ids, from a join (rows_where_joined). A delete whose
    where clause is the correlated `exists` above took four times as long (0.22 against 0.05 s
    for 38 k of fct_touchpoints' 2 M rows at 10 M events). -#}
{% macro duckdb__person_restart_slice(ts_column, persons, restart_from) -%}
    {{ return(growthlens.duckdb__rows_where_joined('growthlens_target',
        'inner join growthlens_ref_' ~ persons ~ ' as affected on narrow.person_id = affected.person_id',
        'affected.rebuild_from is null or narrow.' ~ ts_column ~ ' >= ' ~ restart_from) | trim) }}
{%- endmacro %}


{#- The rows of `relation` (a table with person_id) that person_restart_slice(ts_column,
    persons, restart_from) replaces, as a subquery for a from clause: those of the persons of
    the model `persons` with ts_column at or after restart_from (a non-decreasing expression of
    affected.rebuild_from), and matching `condition` (on {rows}) when given. When the model is
    not restarted (a whole build) only the condition is left. The recent and the early persons
    are read apart (macros/person_rows_from.sql). The model names `persons` in a depends_on
    comment, since a whole build's parse never reaches the ref here.

    The session model stamps every row it writes with sessionized_at. When it ran in this build,
    the slices it replaced, int_persons_affected's persons from their rebuild_from on, are rows
    stamped now, and they lie at the end of its table: so those slices of int_events_sessionized
    are read by that stamp, a filter the scan applies to each row group's min and max, instead
    of a scan of every stored row's person_id. When it did not run in this build (the run log
    says so; a selection without it), the slices are read from its table as above. -#}
{% macro person_restart_rows(relation, persons, ts_column, restarted=true, restart_from='affected.rebuild_from', condition=none) -%}
    {%- if restarted and relation.identifier == 'int_events_sessionized' and persons == 'int_persons_affected'
        and ts_column == 'event_ts' and restart_from == 'affected.rebuild_from'
        and (relation | string) != (this | string) and growthlens.sessionized_in_this_build() %}
    (
        select person_rows.*
        from {{ relation }} as person_rows
        inner join {{ ref(persons) }} as affected
            on person_rows.person_id = affected.person_id
        where
            person_rows.sessionized_at = {{ growthlens.batch_stamp() }}
            and (affected.rebuild_from is null or person_rows.event_ts >= affected.rebuild_from)
            {%- if condition is not none %}
            and ({{ condition | replace('{rows}', 'person_rows') }})
            {%- endif %}
    )
    {%- elif restarted -%}
        {%- set recent_from = growthlens.recent_restart_from(ref(persons)) -%}
        {%- set bound = '{rows}.' ~ ts_column ~ ' >= ' ~ restart_from -%}
        {#- For the persons restarting at or after recent_from, implied by bound. -#}
        {%- set recent_bound = '{rows}.' ~ ts_column ~ ' >= ' ~ restart_from | replace('affected.rebuild_from', recent_from)
            if recent_from is not none else none -%}
    (
        {{- growthlens.person_rows_from(relation, ref(persons), ['*'], 'rebuild_from', bound,
            recent_from, recent_bound, rows_condition=condition) }}
    )
    {%- elif condition is not none -%}
    (select * from {{ relation }} as person_rows where {{ condition | replace('{rows}', 'person_rows') }})
    {%- else -%}
    {{ relation }}
    {%- endif -%}
{%- endmacro %}


{#- Whether int_events_sessionized was built in this build (its run is logged with this
    build's stamp). -#}
{% macro sessionized_in_this_build() -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set logged = run_query("select count(*) from " ~ growthlens.incremental_state_relation()
        ~ " where model_name = 'int_events_sessionized' and built_at = " ~ growthlens.batch_stamp()) -%}
    {{ return(logged.columns[0].values()[0] | int > 0) }}
{%- endmacro %}


{#- The select of the model's own stored rows that a restart keeps: the distinct `columns`
    (person_id first) of the rows of the persons of `persons` from before their rebuild_from.
    Nothing of a person rebuilt whole (rebuild_from null) is kept. -#}
{% macro person_restart_kept(columns, ts_column, persons='int_persons_affected') -%}
    select distinct
        {%- for column in columns %}
        stored.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored
    inner join {{ ref(persons) }} as affected
        on stored.person_id = affected.person_id
    where stored.{{ ts_column }} < affected.rebuild_from
{%- endmacro %}


{#- True when this run of a person-keyed mart may rebuild only the affected persons: the model
    exists, this is not a full refresh, it was built in (or after) the latest sessionizing run
    before this one, and its table has the columns that the model reads back from it (config
    reads_stored_columns: columns never null in the model's rows). A table built by an earlier
    version without them is rebuilt whole: the select sees the column missing, and the delete,
    rendered after on_schema_change added it, sees it empty. -#}
{% macro persons_incremental() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set read_back = config.get('reads_stored_columns') or [] -%}
    {%- if read_back -%}
        {%- if not growthlens.stored_has_columns(read_back) -%}
            {{ return(false) }}
        {%- endif -%}
        {%- set nulls = [] -%}
        {%- for name in read_back -%}
            {%- do nulls.append(adapter.quote(name) ~ ' is null') -%}
        {%- endfor -%}
        {%- set with_nulls = run_query('select count(*) from (select 1 from ' ~ this
            ~ ' where ' ~ nulls | join(' or ') ~ ' limit 1) as unfilled') -%}
        {%- if with_nulls.columns[0].values()[0] > 0 -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(growthlens.in_step_with_sessionizing(this.identifier)) }}
{%- endmacro %}


{#- Whether model_name ran in (or after) the last build before this one that ran the session
    model: then its stored rows are those of the stored events, and this build's changed events
    (int_events_changed: everything staged since the session model last ran) bring them up to
    date. One query: null (never logged) compares as not in step. -#}
{% macro in_step_with_sessionizing(model_name) -%}
    {%- set in_step = run_query(
        "select coalesce("
        ~ "max(case when model_name = '" ~ model_name ~ "' then built_at end)"
        ~ " >= max(case when model_name = 'int_events_sessionized' and built_at < "
        ~ growthlens.batch_stamp() ~ " then built_at end), false)"
        ~ " from " ~ growthlens.incremental_state_relation()) -%}
    {{ return(in_step.columns[0].values()[0] in [true, 1, 'true', 'True']) }}
{%- endmacro %}


{#- The ids of the persons this run rebuilds, as a subquery: int_persons_affected (narrowed by
    config slice_event_names, see affected_person_ids), or with ids='marketing' the persons of
    int_marketing_persons_affected; none when persons_incremental() is false and the model is
    built whole. A model calls it once and hands the result to person_filter. -#}
{% macro person_slice_ids(ids='persons') -%}
    {%- if not growthlens.persons_incremental() -%}
        {{ return(none) }}
    {%- elif ids == 'marketing' -%}
        {{ return(growthlens.marketing_person_ids()) }}
    {%- else -%}
        {{ return(growthlens.affected_person_ids()) }}
    {%- endif -%}
{%- endmacro %}


{#- `<keyword> <column> in (<slice_ids>)`, or nothing when slice_ids is none (a whole build). -#}
{% macro person_filter(slice_ids, keyword='where', column='person_id') -%}
    {%- if slice_ids is not none -%}
        {{ keyword }} {{ column }} in ({{ slice_ids }})
    {%- endif -%}
{%- endmacro %}


{#- The affected persons' ids, for a mart's where clause: `person_id in ({{ growthlens.affected_person_ids() }})`.
    A mart that depends on a few event names only (funnel steps, milestones, conversions) lists
    them in its config as `slice_event_names`; its slice is then the persons whose events moved
    (identity changes: has_moved_events) and the persons with a new, replaced or removed event of
    those names. A person whose only new events are page views keeps its funnel rows. -#}
{% macro affected_person_ids() -%}
    {%- set names = config.get('slice_event_names') -%}
    {%- if names is none -%}
        select person_id from {{ ref('int_persons_affected') }}
    {%- else -%}
        {%- set changed = growthlens.existing_model_relation(generate_schema_name('intermediate', none) | trim, 'int_events_changed') -%}
        {%- set sessionized = growthlens.existing_model_relation(generate_schema_name('intermediate', none) | trim, 'int_events_sessionized') -%}
        select affected.person_id from {{ ref('int_persons_affected') }} as affected
        where affected.has_moved_events
        union
        select stored.person_id from {{ sessionized }} as stored
        where
            stored.sessionized_at = {{ growthlens.batch_stamp() }}
            and stored.event_id in (
                select event_id from {{ changed }}
                where has_new_version and event_name in {{ growthlens.sql_list(names) }}
            )
        union
        select old_person_id from {{ changed }}
        where old_person_id is not null and old_event_name in {{ growthlens.sql_list(names) }}
    {%- endif -%}
{%- endmacro %}
