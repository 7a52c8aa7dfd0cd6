{#- One row per person with a signup_event (metrics.md §3): first signup, first activation at or
    after it, time to value and its bucket, activation events in the first 7 days; everything of
    fct_activation that depends only on the person's signup and activation events. Incremental:
    the persons whose events moved or whose signup or activation events changed
    (int_persons_affected narrowed by slice_event_names) are computed again from their whole
    history and replace their rows (macros/incremental.sql); the data-end and dim_persons
    columns are added by the view fct_activation. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
    slice_event_names=[growthlens.setting('signup_event'), growthlens.setting('activation_event')]
        | reject('none') | list,
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}
{%- set signup_event = growthlens.setting('signup_event') -%}
{%- set activation_event = growthlens.setting('activation_event') -%}
{%- set window_seconds = (growthlens.setting('activation_window_hours') | float) * 3600 -%}
{#- Bucket edges fixed by the metric's definition (the bucket names carry them). -#}
{%- set three_days_seconds = 72 * 3600 -%}
{%- set seven_days_seconds = 7 * 24 * 3600 -%}

-- depends_on: {{ ref('int_persons_affected') }}
with events as (
    select
        person_id,
        event_id,
        event_name,
        properties,
        event_ts
    from {{ ref('fct_events') }}
    where
        event_name in {{ growthlens.sql_list([signup_event, activation_event] | reject('none') | list) }}
        {{ growthlens.person_filter(slice_ids, 'and') }}
),

signups as (
    select
        person_id,
        event_id,
        properties,
        event_ts,
        row_number() over (partition by person_id order by event_ts, event_id) as signup_rank
    from events
    where event_name = {{ growthlens.sql_text(signup_event) }}
),

first_signups as (
    select
        person_id,
        event_id as signup_event_id,
        properties as signup_properties,
        event_ts as signup_at
    from signups
    where signup_rank = 1
),

activations_after_signup as (
    select
        first_signups.person_id,
        events.event_id,
        events.event_ts,
        {{ growthlens.seconds_between('first_signups.signup_at', 'events.event_ts') }} as seconds_since_signup
    from first_signups
    inner join events
        on
            first_signups.person_id = events.person_id
            and events.event_name = {{ growthlens.sql_text(activation_event) }}
            and events.event_ts >= first_signups.signup_at
),

activation_stats as (
    select
        person_id,
        {{ growthlens.earliest_value('event_id', ['event_ts', 'event_id']) }} as first_activation_event_id,
        count(*) as n_activation_events,
        count(case when seconds_since_signup <= {{ window_seconds }} then 1 end) as n_activation_events_in_window,
        count(case when seconds_since_signup < {{ seven_days_seconds }} then 1 end) as n_activation_events_7d,
        min(event_ts) as first_activation_at
    from activations_after_signup
    group by person_id
),

joined as (
    select
        first_signups.person_id,
        first_signups.signup_event_id,
        activation_stats.first_activation_event_id,
        first_signups.signup_properties,
        {{ growthlens.seconds_between('first_signups.signup_at', 'activation_stats.first_activation_at') }}
            as seconds_to_activation,
        coalesce(activation_stats.n_activation_events_in_window, 0) as n_activation_events_in_window,
        coalesce(activation_stats.n_activation_events_7d, 0) as n_activation_events_7d,
        coalesce(activation_stats.n_activation_events, 0) as n_activation_events,
        first_signups.signup_at,
        activation_stats.first_activation_at
    from first_signups
    left join activation_stats
        on first_signups.person_id = activation_stats.person_id
),

final as (
    select
        person_id,
        signup_event_id,
        first_activation_event_id,
        signup_properties,
        case
            when first_activation_at is null then 'never'
            when seconds_to_activation <= {{ window_seconds }} then 'within_window'
            when seconds_to_activation <= {{ three_days_seconds }} then 'within_3_days'
            else 'later'
        end as time_to_value_bucket,
        seconds_to_activation / 3600.0 as hours_to_activation,
        n_activation_events_in_window,
        n_activation_events_7d,
        n_activation_events,
        coalesce(seconds_to_activation <= {{ window_seconds }}, false) as is_activated,
        signup_at,
        first_activation_at
    from joined
)

select * from final
