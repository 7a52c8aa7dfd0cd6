{#- Events cut into sessions: a new session starts at a person's first event and at every event
    that follows the previous one by more than session_timeout_minutes (event order is
    event_ts, then event_id). Sessions may cross midnight. Every window below shares one
    partitioning and order, so the whole model costs one sort of the events; the session
    boundaries it flags (start, end, position) let sessions be summarised from their first and
    last rows instead of grouping every event again. -#}
{%- set timeout_seconds = (growthlens.setting('session_timeout_minutes') | float) * 60 -%}

with events as (
    select * from {{ ref('int_events_stitched') }}
),

neighbours as (
    select
        *,
        lag(event_ts) over person_history as previous_event_ts,
        lead(event_ts) over person_history as next_event_ts,
        row_number() over person_history as event_index
    from events
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
        session_id,
        person_id,
        person_key,
        is_identified,
        event_id,
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
        event_index,
        is_properties_malformed,
        is_unknown_currency,
        is_session_start,
        is_session_end,
        event_ts,
        received_at,
        {{ growthlens.to_local_date('event_ts') }} as event_date
    from numbered
)

select * from final
