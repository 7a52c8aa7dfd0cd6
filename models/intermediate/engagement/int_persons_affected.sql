-- depends_on: {{ ref('int_events_changed') }}
-- depends_on: {{ ref('int_identity_assignments') }}
-- depends_on: {{ ref('int_user_ids_clustered') }}
-- depends_on: {{ ref('int_anonymous_ids_resolved') }}
-- depends_on: {{ ref('int_shared_device_activity_resolved') }}

{# The persons an incremental build places again, each from a time on (rebuild_from; null =
    the whole history). A person whose events moved (an identifier whose assignment changed:
    a late identify or alias merged persons, an email crossed the per-email limit and split one,
    a shared device's timeline changed) is rebuilt whole, under its old and its new person_id.
    A person with new, re-sent or replaced events is rebuilt from the start of the first
    session that could reach the earliest of them (ended at most session_timeout_minutes
    before it), so a late event re-forms the sessions around it and nothing earlier moves.
    int_events_sessionized, int_sessions_classified and int_person_days_summarized replace
    exactly these slices. Empty in a full build. -#}
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
        stored.anonymous_id
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
        cast(null as timestamp) as from_ts
    from moved_events
    union all
    select
        person_id,
        cast(null as timestamp) as from_ts
    from moved_restitched
    union all
    select
        person_id,
        event_ts as from_ts
    from new_restitched
    union all
    select
        old_person_id as person_id,
        old_event_ts as from_ts
    from changed
    where old_person_id is not null
),

touched as (
    select
        person_id,
        case when count(*) > count(from_ts) then null else min(from_ts) end as from_ts
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
        touched.from_ts is not null
        and stored.event_ts >= {{ dbt.dateadd('second', -reach_seconds, 'touched.from_ts') }}
    group by stored.person_id
),

final as (
    select
        touched.person_id,
        case
            when reached_starts.first_session_started_at < touched.from_ts
                then reached_starts.first_session_started_at
            else touched.from_ts
        end as rebuild_from
    from touched
    left join reached_starts
        on touched.person_id = reached_starts.person_id
)

select * from final
{%- else %}
select
    cast(null as string) as person_id,
    cast(null as timestamp) as rebuild_from
where false
{%- endif %}
