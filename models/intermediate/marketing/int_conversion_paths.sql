{#- The path of every conversion (metrics.md §6): the person's touches with
    converted_at - lookback <= touch_ts <= converted_at, in (touch_ts, touch_type_order,
    touch_id) order; when none falls in that window (a session longer than the lookback), the
    converting session's touch alone. Each touch carries what the rule-based models need,
    computed in one ordered window pass per conversion: its position, the number of touches and
    of non-direct touches, its position among the non-direct ones, and its time-decay weight.
    Lookback and half-life are exact 24 h days. -#}
{%- set lookback_seconds = ((growthlens.setting('attribution_lookback_days') | float) * 86400) | int -%}
{%- set half_life_seconds = (growthlens.setting('time_decay_half_life_days') | float) * 86400 -%}
{%- set path_order = 'partition by conversion_id order by touch_ts, touch_type_order, touch_id' -%}
{%- set whole_path = path_order ~ ' rows between unbounded preceding and unbounded following' -%}

with conversions as (
    select
        conversion_id,
        person_id,
        session_id,
        converted_at
    from {{ ref('fct_conversions') }}
),

touches as (
    select
        touch_id,
        person_id,
        channel,
        campaign,
        touch_type_order,
        touch_ts
    from {{ ref('fct_touchpoints') }}
),

-- Hash join on the person, then the window test (both ends inclusive).
in_window as (
    select
        conversions.conversion_id,
        touches.touch_id,
        touches.channel,
        touches.campaign,
        touches.touch_type_order,
        touches.touch_ts,
        conversions.converted_at
    from conversions
    inner join touches
        on conversions.person_id = touches.person_id
    where
        touches.touch_ts <= conversions.converted_at
        and touches.touch_ts >= {{ dbt.dateadd('second', -lookback_seconds, 'conversions.converted_at') }}
),

with_touch as (
    select distinct conversion_id
    from in_window
),

converting_session as (
    select
        conversions.conversion_id,
        touches.touch_id,
        touches.channel,
        touches.campaign,
        touches.touch_type_order,
        touches.touch_ts,
        conversions.converted_at
    from conversions
    left join with_touch
        on conversions.conversion_id = with_touch.conversion_id
    inner join touches
        on conversions.session_id = touches.touch_id
    where with_touch.conversion_id is null
),

path_touches as (
    select
        *,
        case when channel <> 'direct' then 1 else 0 end as is_non_direct_flag,
        -- 2^(-Δ/H); a lone touch older than the lookback gets credit 1 whatever its weight.
        power(2.0, -{{ growthlens.seconds_between('touch_ts', 'converted_at') }} / {{ half_life_seconds }})
            as decay_weight
    from (
        select * from in_window
        union all
        select * from converting_session
    ) as touches
),

final as (
    select
        conversion_id,
        touch_id,
        channel,
        campaign,
        lag(channel) over ({{ path_order }}) as previous_channel,
        row_number() over ({{ path_order }}) as touch_index,
        count(*) over ({{ whole_path }}) as n_touches,
        sum(is_non_direct_flag) over ({{ whole_path }}) as n_non_direct,
        sum(is_non_direct_flag) over ({{ path_order }} rows between unbounded preceding and current row)
            as non_direct_index,
        decay_weight,
        sum(decay_weight * is_non_direct_flag) over ({{ whole_path }}) as non_direct_decay_weight,
        sum(decay_weight) over ({{ whole_path }}) as total_decay_weight,
        is_non_direct_flag = 1 as is_non_direct,
        touch_ts,
        converted_at
    from path_touches
)

select * from final
