{#- Transition counts of the first-order Markov chain (metrics.md §6) per person: the steps of
    the person's converting paths, (start) → c1 → … → cn → (conversion) for every conversion
    (int_conversion_paths), and of the person's non-converting path: the touches after the last
    conversion (all touches if none), within the lookback before the last touch,
    (start) → c1 → … → cn → (null); a person with no touch after the last conversion has none.
    Repeated channels stay (self-loops). Every path belongs to one person, so the chain's counts
    (int_markov_transitions) are the sums of these rows. Incremental: the persons of
    int_marketing_persons_affected are replaced (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice('int_marketing_persons_affected')],
) }}
{%- set slice_ids = growthlens.person_slice_ids('marketing') -%}
{%- set lookback_seconds = ((growthlens.setting('attribution_lookback_days') | float) * 86400) | int %}

-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_marketing_persons_affected') }}
with paths as (
    select
        person_id,
        channel,
        previous_channel,
        touch_index,
        n_touches
    from {{ ref('int_conversion_paths') }}
    {{ growthlens.person_filter(slice_ids) }}
),

conversions as (
    select
        person_id,
        max(converted_at) as last_converted_at
    from {{ ref('fct_conversions') }}
    {{ growthlens.person_filter(slice_ids) }}
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
    {{ growthlens.person_filter(slice_ids) }}
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
        person_id,
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
        person_id,
        coalesce(previous_channel, '(start)') as from_state,
        channel as to_state
    from paths
    union all
    -- out of the last touch of a converting path
    select
        person_id,
        channel as from_state,
        '(conversion)' as to_state
    from paths
    where touch_index = n_touches
    union all
    select
        person_id,
        coalesce(previous_channel, '(start)') as from_state,
        channel as to_state
    from non_converting
    union all
    select
        person_id,
        channel as from_state,
        '(null)' as to_state
    from non_converting
    where is_last_touch
),

final as (
    select
        person_id,
        from_state,
        to_state,
        count(*) as n_transitions
    from steps
    group by person_id, from_state, to_state
)

select * from final
