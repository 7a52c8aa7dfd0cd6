{#- Events cut into sessions: a new session starts at a person's first event and at every event
    that follows the previous one by more than session_timeout_minutes (event order is
    event_ts, then event_id). Sessions may cross midnight. -#}
{%- set timeout_seconds = (growthlens.setting('session_timeout_minutes') | float) * 60 -%}

with events as (
    select * from {{ ref('int_events_stitched') }}
),

gaps as (
    select
        *,
        lag(event_ts) over (partition by person_id order by event_ts, event_id) as previous_event_ts
    from events
),

flagged as (
    select
        *,
        previous_event_ts is null
        or {{ growthlens.seconds_between('previous_event_ts', 'event_ts') }} > {{ timeout_seconds }}
            as is_session_start
    from gaps
),

numbered as (
    select
        *,
        last_value(case when is_session_start then event_id end ignore nulls) over (
            partition by person_id
            order by event_ts, event_id
            rows between unbounded preceding and current row
        ) as session_start_event_id
    from flagged
),

final as (
    select
        {{ growthlens.hash_id("person_id || '|' || session_start_event_id") }} as session_id,
        numbered.* exclude (previous_event_ts, session_start_event_id),
        {{ growthlens.to_local_date('event_ts') }} as event_date
    from numbered
)

select * from final
