{#- Transition counts of the first-order Markov chain over channel paths (metrics.md §6), one
    chain over all conversion events. Converting paths: the channels of each conversion's path
    (int_conversion_paths), (start) → c1 → … → cn → (conversion). Non-converting paths: each
    person's touches after their last conversion (all touches if none), within the lookback
    before their last touch, (start) → c1 → … → cn → (null); a person with no touch after the
    last conversion has none. Repeated channels stay (self-loops). -#}
{%- set lookback_seconds = ((growthlens.setting('attribution_lookback_days') | float) * 86400) | int -%}

with paths as (
    select
        channel,
        previous_channel,
        touch_index,
        n_touches
    from {{ ref('int_conversion_paths') }}
),

conversions as (
    select
        person_id,
        max(converted_at) as last_converted_at
    from {{ ref('fct_conversions') }}
    group by person_id
),

touches as (
    select
        touch_id,
        person_id,
        channel,
        touch_type_order,
        touch_ts
    from {{ ref('fct_touchpoints') }}
),

after_last_conversion as (
    select
        touches.touch_id,
        touches.person_id,
        touches.channel,
        touches.touch_type_order,
        touches.touch_ts,
        max(touches.touch_ts) over (partition by touches.person_id) as last_touch_ts
    from touches
    left join conversions
        on touches.person_id = conversions.person_id
    where conversions.last_converted_at is null or touches.touch_ts > conversions.last_converted_at
),

non_converting as (
    select
        channel,
        lag(channel) over (partition by person_id order by touch_ts, touch_type_order, touch_id)
            as previous_channel,
        lead(touch_id) over (partition by person_id order by touch_ts, touch_type_order, touch_id) is null
            as is_last_touch
    from after_last_conversion
    where touch_ts >= {{ dbt.dateadd('second', -lookback_seconds, 'last_touch_ts') }}
),

steps as (
    -- into each touch of a converting path
    select
        coalesce(previous_channel, '(start)') as from_state,
        channel as to_state
    from paths
    union all
    -- out of the last touch of a converting path
    select
        channel as from_state,
        '(conversion)' as to_state
    from paths
    where touch_index = n_touches
    union all
    select
        coalesce(previous_channel, '(start)') as from_state,
        channel as to_state
    from non_converting
    union all
    select
        channel as from_state,
        '(null)' as to_state
    from non_converting
    where is_last_touch
),

final as (
    select
        from_state,
        to_state,
        count(*) as n_transitions
    from steps
    group by from_state, to_state
)

select * from final
