{#- Incremental data-quality tables (README "Incremental builds").

    The per-event checks and the daily volumes are kept in two incremental tables,
    int_quality_event_flags (keyed by event_id) and int_quality_daily_volumes (keyed by UTC
    day). Each run, int_quality_events_changed lists the event_ids with a valid row staged since
    both tables were last built (every valid row of such an id: its accepted version now and
    its other copies, one of which was the accepted version before), and the two tables replace
    those ids' flags and those days' counts. Their own runs are logged in
    intermediate.growthlens_incremental_state (post-hook record_incremental_state), so a run that
    staged events without building them (a selection, a failure) is simply taken up by their
    next run. The flags table logs itself under a name carrying a fingerprint of what its checks
    read besides the events (the tracking plan's rows and the vars tracking_plan and
    event_name_convention), so a changed plan or convention rebuilds it. When either table is
    missing, was never logged (under this fingerprint), or the run is a --full-refresh,
    quality_events_processed_through() is none and both tables are rebuilt whole. -#}

{#- The names the two tables are logged under in intermediate.growthlens_incremental_state. -#}
{% macro quality_incremental_models() -%}
    {{ return(['int_quality_event_flags@' ~ growthlens.quality_checks_fingerprint(), 'int_quality_daily_volumes']) }}
{%- endmacro %}


{#- A short hash of the check configuration the per-event flags depend on (the selected tracking
    plan's rows, tracking_plan, event_name_convention). Models calling it depend on the seed
    tracking_plan (a `-- depends_on` ref will do). -#}
{% macro quality_checks_fingerprint() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set plan_name = growthlens.setting('tracking_plan') -%}
    {%- set parts = [plan_name | string, growthlens.setting('event_name_convention') | string] -%}
    {%- if plan_name is not none -%}
        {%- set result = run_query('select event_name, property, type, is_required, allowed_values, pattern'
            ~ ' from ' ~ ref('tracking_plan') ~ ' where plan = ' ~ growthlens.sql_text(plan_name)) -%}
        {%- set rows = [] -%}
        {%- for row in result.rows -%}
            {%- do rows.append(row.values() | map('string') | join(' | ')) -%}
        {%- endfor -%}
        {%- do parts.append(rows | sort | join(' ; ')) -%}
    {%- endif -%}
    {{ return(local_md5(parts | join(' // '))[:16]) }}
{%- endmacro %}


{#- post-hook of int_quality_event_flags: log this run under the name with the fingerprint (a
    plain insert ... values, as record_incremental_state). -#}
{% macro record_quality_flags_state() -%}
    insert into {{ growthlens.incremental_state_relation() }}
    values ('{{ this.identifier }}@{{ growthlens.quality_checks_fingerprint() }}', {{ growthlens.batch_stamp() }})
{%- endmacro %}


{#- The latest staging batch both quality tables have taken in (the earlier of their last runs
    before this one), as a SQL timestamp literal; none = rebuild them whole. -#}
{% macro quality_events_processed_through() -%}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set schema_name = generate_schema_name('intermediate', none) | trim -%}
    {%- set names = growthlens.quality_incremental_models() -%}
    {%- for name in names -%}
        {%- if growthlens.existing_model_relation(schema_name, name.split('@')[0]) is none -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set state = growthlens.incremental_state_relation() -%}
    {%- set result = run_query(
        "select cast(min(last_built_at) as string), count(*) from ("
        ~ " select model_name, max(built_at) as last_built_at from " ~ state
        ~ " where model_name in ('" ~ names | join("', '") ~ "')"
        ~ " and built_at < " ~ growthlens.batch_stamp()
        ~ " group by model_name) as last_runs") -%}
    {%- set value = result.columns[0].values()[0] -%}
    {%- if value is none or (result.columns[1].values()[0] | int) < names | length -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as timestamp)") }}
{%- endmacro %}


{#- True when this run of a quality table may replace only the changed slice. -#}
{% macro quality_incremental() -%}
    {{ return(is_incremental() and growthlens.quality_events_processed_through() is not none) }}
{%- endmacro %}

