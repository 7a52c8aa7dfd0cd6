{#- The in-scope accepted events on shared devices (int_anonymous_ids_resolved): the few rows
    the shared-device timeline (int_shared_device_links, int_shared_device_activity_resolved)
    reads, found once for both. A full build takes them from the events; an incremental run from
    the sessionized events stored by the last run (four narrow columns, filtered on anonymous_id
    before the others are read) with this run's changed events put in their place. -#}
{%- set since = growthlens.events_processed_through() -%}
{%- set sessionized = growthlens.existing_model_relation('intermediate', 'int_events_sessionized') -%}

-- depends_on: {{ ref('int_events_changed') }}
with devices as (
    select anonymous_id from {{ ref('int_anonymous_ids_resolved') }}
    where is_shared_device
),
{%- if since is not none and sessionized is not none %}

changed as (
    select * from {{ ref('int_events_changed') }}
),

events as (
    select
        stored.event_id,
        stored.anonymous_id,
        stored.user_id,
        stored.event_ts
    from (
        select
            event_id,
            anonymous_id,
            user_id,
            event_ts
        from {{ sessionized }}
        where anonymous_id in (select devices.anonymous_id from devices)
    ) as stored
    left join changed
        on stored.event_id = changed.event_id
    where changed.event_id is null
    union all
    select
        event_id,
        anonymous_id,
        user_id,
        event_ts
    from changed
    where has_new_version
),
{%- else %}

events as (
    select
        event_id,
        anonymous_id,
        user_id,
        event_ts
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
