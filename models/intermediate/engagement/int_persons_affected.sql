-- depends_on: {{ ref('int_events_changed') }}
-- depends_on: {{ ref('int_identity_assignments') }}
-- depends_on: {{ ref('int_user_ids_clustered') }}
-- depends_on: {{ ref('int_anonymous_ids_resolved') }}
-- depends_on: {{ ref('int_shared_device_activity_resolved') }}

{# The persons an incremental build places again, each from a time on (rebuild_from). Events
    move between persons when an identifier's assignment changes (a late identify or alias
    merged persons, an email crossed the per-email limit and split one, a shared device's
    timeline changed); an event can also be new, re-sent or replaced. Each such event restarts
    the person it left and the person it joins at its event_ts (has_moved_events marks the
    persons of moved events), and a person is rebuilt from the start of the first session that
    could reach its earliest restart (ended at most session_timeout_minutes before it): the
    sessions around an event that came or went are formed again and nothing earlier changes,
    since every event before it kept its person. A merged root moves all of a person's events,
    so that person is rebuilt from its first event. int_events_sessionized,
    int_sessions_classified and int_person_days_summarized replace exactly these slices. Empty
    in a full build. -#}
{%- set since = growthlens.events_processed_through() -%}
{%- set sessionized = growthlens.existing_model_relation('intermediate', 'int_events_sessionized') -%}
{#- One second wider than the timeout: a wider slice re-forms the same sessions. -#}
{%- set reach_seconds = ((growthlens.setting('session_timeout_minutes') | float) * 60) | int + 1 -%}

{%- if since is not none and sessionized is not none %}
with changed as (
    select * from {{ ref('int_events_changed') }}
),

changed_identifiers as (
    select * from {{ ref('int_identity_assignments') }}
    where is_changed
),

moved_events as (
    select
        stored.event_id,
        stored.person_id as old_person_id,
        stored.user_id,
        stored.anonymous_id,
        stored.event_ts
    from {{ sessionized }} as stored
    where
        stored.user_id in (
            select identifier_value from changed_identifiers
            where identifier_type = 'user_id'
        )
        or (stored.user_id is null and stored.anonymous_id in (
            select identifier_value from changed_identifiers
            where identifier_type = 'anonymous_id'
        ))
),

moved_restitched as (
    {{ growthlens.stitch_events('moved_events') }}
),

new_versions as (
    select
        event_id,
        user_id,
        anonymous_id,
        event_ts
    from changed
    where has_new_version
),

new_restitched as (
    {{ growthlens.stitch_events('new_versions') }}
),

touches as (
    select
        old_person_id as person_id,
        event_ts as from_ts,
        1 as is_moved
    from moved_events
    union all
    select
        person_id,
        event_ts as from_ts,
        1 as is_moved
    from moved_restitched
    union all
    select
        person_id,
        event_ts as from_ts,
        0 as is_moved
    from new_restitched
    union all
    select
        old_person_id as person_id,
        old_event_ts as from_ts,
        0 as is_moved
    from changed
    where old_person_id is not null
),

touched as (
    select
        person_id,
        min(from_ts) as from_ts,
        max(is_moved) = 1 as has_moved_events
    from touches
    group by person_id
),

-- The first session that could reach from_ts: sessions of the stored events at most the
-- timeout before it (sessions end on their last event, so that event is among them).
reached_starts as (
    select
        stored.person_id,
        min(stored.session_started_at) as first_session_started_at
    from {{ sessionized }} as stored
    inner join touched
        on stored.person_id = touched.person_id
    where
        stored.event_ts >= {{ dbt.dateadd('second', -reach_seconds, 'touched.from_ts') }}
    group by stored.person_id
),

final as (
    select
        touched.person_id,
        case
            when reached_starts.first_session_started_at < touched.from_ts
                then reached_starts.first_session_started_at
            else touched.from_ts
        end as rebuild_from,
        touched.has_moved_events
    from touched
    left join reached_starts
        on touched.person_id = reached_starts.person_id
)

select * from final
{%- else %}
select
    cast(null as string) as person_id,
    cast(null as timestamp) as rebuild_from,
    false as has_moved_events
where false
{%- endif %}
