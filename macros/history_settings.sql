{#- Vars that change history (README "When to run dbt build --full-refresh").

    An incremental build keeps the stored rows of every person and day it does not touch, so a
    changed session timeout, time zone, funnel or event list would apply to the new rows only,
    and the marts would no longer equal a full refresh. The values these vars had at the last
    whole build are kept (as hashes) in intermediate.growthlens_history_settings; an incremental
    `dbt run` or `dbt build` that finds one of them changed stops before any model runs and names
    it. A whole build (every model, with --full-refresh or into an empty warehouse) that
    succeeds records the values it used. -#}

{% macro history_setting_names() -%}
    {{ return([
        'as_of', 'session_timeout_minutes', 'reporting_timezone', 'max_clock_skew_hours',
        'min_event_date', 'reporting_currency', 'funnels', 'signup_event', 'activation_event',
        'milestone_events', 'conversion_events', 'retention_cohort_event',
        'retention_return_events', 'passive_events', 'attribution_lookback_days',
        'time_decay_half_life_days',
    ]) }}
{%- endmacro %}


{% macro history_settings_relation() -%}
    {{ return(growthlens.incremental_state_relation('growthlens_history_settings')) }}
{%- endmacro %}


{#- Each history var with a hash of its value as this run resolves it (scenario defaults
    included). -#}
{% macro current_history_settings() -%}
    {%- set current = {} -%}
    {%- for name in growthlens.history_setting_names() -%}
        {%- do current.update({name: local_md5(tojson(growthlens.setting(name)))}) -%}
    {%- endfor -%}
    {{ return(current) }}
{%- endmacro %}


{#- Whether this run built every model of the project, all of them successfully (from
    on-run-end's results; ephemeral models are not run). Whatever the selection syntax: a build
    that excludes only the data tests counts, one that leaves out a model does not. -#}
{% macro built_every_model(results) -%}
    {%- set built = [] -%}
    {%- for result in results if result.node.resource_type == 'model' and result.status == 'success' -%}
        {%- do built.append(result.node.unique_id) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.materialized != 'ephemeral' -%}
        {%- if node.unique_id not in built -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}


{#- on-run-start, after create_incremental_state() made the table: stop an incremental run
    whose history vars differ from the last whole build's. Runs for `dbt run` and `dbt build`
    only; nothing is compared before the first recorded whole build. -#}
{% macro check_history_settings() -%}
    {%- if not execute or flags.WHICH not in ['run', 'build'] or flags.FULL_REFRESH -%}
        {{ return('') }}
    {%- endif -%}
    {%- set stored = {} -%}
    {%- for row in run_query('select setting_name, value_hash from '
        ~ growthlens.history_settings_relation()).rows -%}
        {%- do stored.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set changed = [] -%}
    {%- for name, value_hash in growthlens.current_history_settings().items() -%}
        {%- if name in stored and stored[name] != value_hash -%}
            {%- do changed.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if changed -%}
        {{ exceptions.raise_compiler_error(
            "growthlens: " ~ (changed | join(', ')) ~ (" differs" if changed | length == 1 else " differ")
            ~ " from the last whole build of this warehouse. An incremental build would apply the"
            ~ " change to new rows only, so the marts would no longer equal a full build. Run"
            ~ " `dbt build --full-refresh` with the new value, or pass the old one.") }}
    {%- endif -%}
{%- endmacro %}


{#- on-run-end: record the history vars of a whole build that succeeded (every model built),
    either as a full refresh or while nothing was recorded yet (a first build). -#}
{% macro record_history_settings(results) -%}
    {%- if not execute or flags.WHICH not in ['run', 'build'] or not growthlens.built_every_model(results) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set relation = growthlens.history_settings_relation() -%}
    {%- if not flags.FULL_REFRESH
        and run_query('select count(*) from ' ~ relation).columns[0].values()[0] | int > 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set rows = [] -%}
    {%- for name, value_hash in growthlens.current_history_settings().items() -%}
        {%- do rows.append("('" ~ name ~ "', '" ~ value_hash ~ "')") -%}
    {%- endfor -%}
    {%- do run_query(adapter.dispatch('replace_history_settings_sql', 'growthlens')(relation, rows)) -%}
{%- endmacro %}


{% macro default__replace_history_settings_sql(relation, rows) -%}
    delete from {{ relation }};
    insert into {{ relation }} values {{ rows | join(', ') }}
{%- endmacro %}

{#- Spark's parquet tables take no delete: the table is written again. -#}
{% macro spark__replace_history_settings_sql(relation, rows) -%}
    insert overwrite table {{ relation }} values {{ rows | join(', ') }}
{%- endmacro %}
