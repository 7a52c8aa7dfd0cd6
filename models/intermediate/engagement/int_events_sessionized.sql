{{ config(
    materialized='incremental',
    partition_by=growthlens.spark_partition_by('event_date'),
    incremental_predicates=[
        "event_id in (select event_id from growthlens_new_rows"
        ~ " union all select event_id from growthlens_ref_int_events_changed)"],
    post_hook=["{{ growthlens.insert_remaining_slices() }}"],
) }}
-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_events_changed') }}
-- depends_on: {{ ref('int_user_ids_clustered') }}
-- depends_on: {{ ref('int_anonymous_ids_resolved') }}
-- depends_on: {{ ref('int_shared_device_activity_resolved') }}

{# Events cut into sessions: a new session starts at a person's first event and at every event
    that follows the previous one by more than session_timeout_minutes (event order is
    event_ts, then event_id). Sessions may cross midnight. Every window below shares one
    partitioning and order, so the whole model costs one sort of the events; the session
    boundaries it flags (start, end, position in the session) let sessions be summarised from
    their first and last rows instead of grouping every event again.
    Incremental: the slices of int_persons_affected (from the start of the first session a
    new, replaced or moved event could reach) are taken from this table, joined with
    the changed events (int_events_changed), stitched again with today's identity graph and cut
    into sessions again; those rows replace the slices.
    A full build over more than full_build_slice_events staged rows sorts the persons in
    slices (macros/full_build_slices.sql). -#}
{%- set timeout_seconds = (growthlens.setting('session_timeout_minutes') | float) * 60 -%}
{%- set since = growthlens.events_processed_through() if is_incremental() else none -%}
{%- set staged_columns = growthlens.accepted_event_columns() + ['batch_loaded_at'] -%}

{%- if since is not none %}
{%- set source_sql = '(' ~ growthlens.stitch_events('pool') ~ ')' %}
{%- else %}
{%- set slices = growthlens.full_build_slices(ref('stg_events_checked')) %}
{%- if slices > 1 %}
{%- set source_sql = '(select * from ' ~ ref('int_events_stitched') ~ ' where '
    ~ growthlens.slice_predicate('person_id', slices) ~ ')' %}
{%- else %}
{%- set source_sql = ref('int_events_stitched') %}
{%- endif %}
{%- endif %}

-- The windows run over the narrow key columns only; the wide rows join back once at the end
-- (two references to the stitched events, so no wide intermediate result is materialised;
-- on DuckDB that needs the common_subplan optimizer off, macros/run_settings.sql).
with
{%- if since is not none %}
changed as (
    select * from {{ ref('int_events_changed') }}
),

{#- Most persons restart within the last hours, and the stored rows from then on are few
    (macros/person_rows_from.sql). #}
stored_slices as (
    select * from {{ growthlens.person_restart_rows(this, 'int_persons_affected', 'event_ts') }} as stored
),

pool as (
    select {% for c in staged_columns %}stored.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    from stored_slices as stored
    left join changed
        on stored.event_id = changed.event_id
    where changed.event_id is null
    union all
    select {{ staged_columns | join(', ') }}
    from changed
    where has_new_version
),
{%- endif %}

events as (
    select * from {{ source_sql }} as stitched_events
),

neighbours as (
    select
        person_id,
        event_id,
        event_ts,
        lag(event_ts) over person_history as previous_event_ts,
        lead(event_ts) over person_history as next_event_ts,
        row_number() over person_history as event_index
    from {{ source_sql }} as stitched_keys
    window person_history as (partition by person_id order by event_ts, event_id)
),

flagged as (
    select
        *,
        previous_event_ts is null
        or {{ growthlens.seconds_between('previous_event_ts', 'event_ts') }} > {{ timeout_seconds }}
            as is_session_start,
        next_event_ts is null
        or {{ growthlens.seconds_between('event_ts', 'next_event_ts') }} > {{ timeout_seconds }}
            as is_session_end
    from neighbours
),

numbered as (
    select
        *,
        -- The id is hashed on session starts only and carried forward to the other events;
        -- the start's position and time are carried as running maxima (both only grow).
        {{ growthlens.last_value_ignore_nulls("case when is_session_start then " ~ growthlens.hash_id("person_id || '|' || event_id") ~ " end") }} over session_carry as session_id,
        event_index - max(case when is_session_start then event_index end) over session_carry + 1
            as session_event_index,
        max(case when is_session_start then event_ts end) over session_carry as session_started_at
    from flagged
    window session_carry as (
        partition by person_id
        order by event_ts, event_id
        rows between unbounded preceding and current row
    )
),

final as (
    select
        numbered.session_id,
        events.person_id,
        events.person_key,
        events.is_identified,
        events.event_id,
        events.event_name,
        events.event_name_raw,
        events.anonymous_id,
        events.user_id,
        events.root_user_id,
        events.account_id,
        events.platform,
        events.utm_source,
        events.utm_medium,
        events.utm_campaign,
        events.utm_content,
        events.utm_term,
        events.referrer,
        events.page_url,
        events.currency_code,
        events.properties,
        events.revenue_original,
        events.revenue,
        numbered.session_event_index,
        events.is_properties_malformed,
        events.is_unknown_currency,
        numbered.is_session_start,
        numbered.is_session_end,
        numbered.session_started_at,
        events.event_ts,
        events.received_at,
        {{ growthlens.to_local_date('events.event_ts') }} as event_date,
        {#- A full build carries every staged row, so it holds this build's batch. #}
        {{ 'events.batch_loaded_at' if since is not none else growthlens.batch_stamp() }} as batch_loaded_at,
        {{ growthlens.batch_stamp() }} as sessionized_at
    from events
    inner join numbered
        on events.event_id = numbered.event_id
)

select * from final
