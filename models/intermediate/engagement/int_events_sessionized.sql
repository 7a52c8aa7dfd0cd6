{#- Events cut into sessions: a new session starts at a person's first event and at every event
    that follows the previous one by more than session_timeout_minutes (event order is
    event_ts, then event_id). Sessions may cross midnight. Every window below shares one
    partitioning and order, so the whole model costs one sort of the events; the session
    boundaries it flags (start, end, position) let sessions be summarised from their first and
    last rows instead of grouping every event again. -#}
{%- set timeout_seconds = (growthlens.setting('session_timeout_minutes') | float) * 60 -%}

-- The windows run over the narrow key columns only; the wide rows join back once at the end
-- (two references to the stitched view, so no wide intermediate result is materialised).
with events as (
    select * from {{ ref('int_events_stitched') }}
),

neighbours as (
    select
        person_id,
        event_id,
        event_ts,
        lag(event_ts) over person_history as previous_event_ts,
        lead(event_ts) over person_history as next_event_ts,
        row_number() over person_history as event_index
    from {{ ref('int_events_stitched') }}
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
        -- The id is hashed on session starts only and carried forward to the other events.
        last_value(
            case when is_session_start then {{ growthlens.hash_id("person_id || '|' || event_id") }} end
            ignore nulls
        ) over (
            partition by person_id
            order by event_ts, event_id
            rows between unbounded preceding and current row
        ) as session_id
    from flagged
),

final as (
    select
        numbered.session_id,
        events.person_id,
        events.person_key,
        events.is_identified,
        events.event_id,
        event_name,
        event_name_raw,
        anonymous_id,
        user_id,
        root_user_id,
        account_id,
        platform,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        referrer,
        page_url,
        currency_code,
        properties,
        revenue_original,
        revenue,
        numbered.event_index,
        is_properties_malformed,
        is_unknown_currency,
        numbered.is_session_start,
        numbered.is_session_end,
        events.event_ts,
        received_at,
        {{ growthlens.to_local_date('events.event_ts') }} as event_date
    from events
    inner join numbered
        on events.event_id = numbered.event_id
)

select * from final
