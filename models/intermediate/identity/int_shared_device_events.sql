{#- The in-scope accepted events on shared devices (int_anonymous_ids_resolved): the few rows
    the shared-device timeline (int_shared_device_links, int_shared_device_activity_resolved)
    reads, found once for both. A full build takes them from the events. An incremental run
    starts from the stored events with this run's changed events put in their place: the rows
    this table holds, when it ran in step with the session model (the devices still shared keep
    theirs, and only a device shared since is looked up in the stored events, four narrow columns
    filtered on anonymous_id), else the stored events of every shared device. -#}
{{ config(log_runs=true) }}
{%- set since = growthlens.events_processed_through() -%}
{%- set sessionized = growthlens.existing_model_relation('intermediate', 'int_events_sessionized') -%}
{%- set previous = load_relation(this) if execute else none -%}
{%- set incremental = since is not none and sessionized is not none -%}
{%- set columns = ['event_id', 'anonymous_id', 'user_id', 'event_ts'] -%}
{#- On DuckDB: the table materialization there writes the new table before dropping the old
    one, which dbt-spark drops first. -#}
{%- set from_previous = incremental and target.type == 'duckdb' and previous is not none
    and growthlens.in_step_with_sessionizing(this.identifier) -%}
{%- if from_previous -%}
    {%- set unseen = run_query('select count(*) from ' ~ ref('int_anonymous_ids_resolved')
        ~ ' where is_shared_device and anonymous_id not in (select anonymous_id from ' ~ previous ~ ')') -%}
    {%- set has_unseen_devices = unseen.columns[0].values()[0] > 0 -%}
{%- endif %}

-- depends_on: {{ ref('int_events_changed') }}
with devices as (
    select anonymous_id from {{ ref('int_anonymous_ids_resolved') }}
    where is_shared_device
),
{%- if incremental %}

changed as (
    select * from {{ ref('int_events_changed') }}
),

stored_events as (
    select {{ columns | join(', ') }}
    from {{ previous if from_previous else sessionized }}
    where anonymous_id in (select devices.anonymous_id from devices)
    {%- if from_previous and has_unseen_devices %}
    union all
    select {{ columns | join(', ') }}
    from {{ sessionized }}
    where anonymous_id in (
        select devices.anonymous_id from devices
        where devices.anonymous_id not in (select anonymous_id from {{ previous }})
    )
    {%- endif %}
),

events as (
    select stored.{{ columns | join(', stored.') }}
    from stored_events as stored
    left join changed
        on stored.event_id = changed.event_id
    where changed.event_id is null
    union all
    select {{ columns | join(', ') }}
    from changed
    where has_new_version
),
{%- else %}

events as (
    select {{ columns | join(', ') }}
    from {{ ref('int_events_scoped') }}
),
{%- endif %}

final as (
    select events.*
    from events
    inner join devices
        on events.anonymous_id = devices.anonymous_id
)

select * from final
