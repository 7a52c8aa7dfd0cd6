{#- One row per person with a signup × milestone reached (metrics.md §3): the first occurrence
    of each event of milestone_events at or after signup_at, and whether it came before the
    first activation in event order (event_ts, event_id). Incremental: the rows of the persons
    whose events moved or whose milestone, signup or activation events changed are replaced
    (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
    slice_event_names=((growthlens.setting('milestone_events') or [])
        + [growthlens.setting('signup_event'), growthlens.setting('activation_event')]) | reject('none') | list,
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}
{%- set milestones = growthlens.setting('milestone_events') or [] -%}
{%- set window_seconds = (growthlens.setting('activation_window_hours') | float) * 3600 -%}

-- depends_on: {{ ref('int_persons_affected') }}
with events as (
    select
        person_id,
        event_id,
        event_name,
        event_ts
    from {{ ref('fct_events') }}
    where
        event_name in {{ growthlens.sql_list(milestones) }}
        {{ growthlens.person_filter(slice_ids, 'and') }}
),

activation as (
    select
        person_id,
        first_activation_event_id,
        signup_at,
        first_activation_at
    from {{ ref('int_signups_activated') }}
    {{ growthlens.person_filter(slice_ids) }}
),

-- The first occurrence of each milestone at or after signup, by (event_ts, event_id).
first_occurrences as (
    select
        events.person_id,
        events.event_name,
        activation.first_activation_event_id,
        {{ growthlens.earliest_value('events.event_id', ['events.event_ts', 'events.event_id']) }} as event_id,
        activation.signup_at,
        activation.first_activation_at,
        min(events.event_ts) as event_ts
    from events
    inner join activation
        on
            events.person_id = activation.person_id
            and events.event_ts >= activation.signup_at
    group by
        events.person_id,
        events.event_name,
        activation.first_activation_event_id,
        activation.signup_at,
        activation.first_activation_at
),

final as (
    select
        person_id,
        event_id as milestone_event_id,
        event_name as milestone,
        {%- if milestones %}
            cast(case event_name
                {%- for milestone in milestones %}
                    when {{ growthlens.sql_text(milestone) }} then {{ loop.index }}
                {%- endfor %}
            end as integer) as milestone_order,
        {%- else %}
            cast(null as integer) as milestone_order,
        {%- endif %}
        {{ growthlens.seconds_between('signup_at', 'event_ts') }} / 3600.0 as hours_since_signup,
        (
            first_activation_at is null
            or event_ts < first_activation_at
            or (event_ts = first_activation_at and event_id < first_activation_event_id)
        ) as reached_before_activation,
        {{ growthlens.seconds_between('signup_at', 'event_ts') }} <= {{ window_seconds }}
            as is_within_activation_window,
        event_ts as first_reached_at
    from first_occurrences
)

select * from final
