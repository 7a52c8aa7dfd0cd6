{#- The path of every conversion (metrics.md §6): the person's touches with
    converted_at - lookback <= touch_ts <= converted_at, in (touch_ts, touch_type_order,
    touch_id) order; when none falls in that window (a session longer than the lookback), the
    converting session's touch alone. Each touch carries what the rule-based models need: its
    position, the number of touches and of non-direct touches, its position among the
    non-direct ones, and its time-decay weight. A path is a contiguous run of the person's
    touches, so positions come from one ordered pass over the touches (sequence number, running
    count of non-direct touches, previous channel) and per-path sums from a group by; the path
    rows themselves are never sorted. Lookback and half-life are exact 24 h days.
    Incremental: a path depends only on its person's touches up to its conversion, so the paths
    of the persons of int_marketing_persons_affected are replaced from the person's rebuild_from
    on (conversions at or after it; fct_touchpoints replaced the touches from it on), reading
    the touches from one lookback before it (positions and counts are differences of running
    values, the same over any unbroken run of touches that holds the path) and the converting
    session's touch (macros/incremental.sql); fct_attribution reads that slice back. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_restart_slice('converted_at', 'int_marketing_persons_affected')],
    follows_sessionizing=true,
) }}
{%- set restarted = growthlens.persons_incremental() -%}
{%- set lookback_seconds = ((growthlens.setting('attribution_lookback_days') | float) * 86400) | int -%}
{%- set half_life_seconds = (growthlens.setting('time_decay_half_life_days') | float) * 86400 -%}
{%- set touch_order = 'partition by person_id order by touch_ts, touch_type_order, touch_id' %}

-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_marketing_persons_affected') }}
with conversions as (
    select
        conversions.conversion_id,
        conversions.person_id,
        conversions.session_id,
        conversions.conversion_event,
        conversions.revenue,
        conversions.is_first_conversion,
        conversions.converted_at
    from {{ growthlens.person_restart_rows(ref('fct_conversions'), 'int_marketing_persons_affected',
        'converted_at', restarted) }} as conversions
),

{%- if restarted %}

-- The touches the rebuilt paths can hold: from one lookback before rebuild_from on, of the
-- persons with a rebuilt conversion (a path holds its own person's touches only, and positions
-- are counted per person), and the converting sessions' touches (a lone touch may be older).
person_touches as (
    select touches.*
    from {{ growthlens.person_restart_rows(ref('fct_touchpoints'), 'int_marketing_persons_affected',
        'touch_ts', restart_from=dbt.dateadd('second', -lookback_seconds, 'affected.rebuild_from')) }} as touches
    where touches.person_id in (select conversions.person_id from conversions)
    union
    select touches.*
    from {{ ref('fct_touchpoints') }} as touches
    where touches.touch_id in (select conversions.session_id from conversions)
),
{%- endif %}

touches as (
    select
        touch_id,
        person_id,
        channel,
        campaign,
        touch_ts,
        case when channel <> 'direct' then 1 else 0 end as is_non_direct_flag,
        row_number() over ({{ touch_order }}) as touch_seq,
        lag(channel) over ({{ touch_order }}) as previous_channel,
        sum(case when channel <> 'direct' then 1 else 0 end) over (
            {{ touch_order }} rows between unbounded preceding and current row
        ) as non_direct_through
    from {{ 'person_touches' if restarted else ref('fct_touchpoints') }}
),

-- Hash join on the person, then the window test (both ends inclusive).
in_window as (
    select
        conversions.conversion_id,
        touches.touch_id,
        conversions.person_id,
        touches.channel,
        touches.campaign,
        touches.is_non_direct_flag,
        touches.touch_seq,
        touches.previous_channel,
        touches.non_direct_through,
        conversions.conversion_event,
        conversions.revenue,
        conversions.is_first_conversion,
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
        conversions.person_id,
        touches.channel,
        touches.campaign,
        touches.is_non_direct_flag,
        touches.touch_seq,
        touches.previous_channel,
        touches.non_direct_through,
        conversions.conversion_event,
        conversions.revenue,
        conversions.is_first_conversion,
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
        -- 2^(-Δ/H); a lone touch older than the lookback gets credit 1 whatever its weight.
        power(2.0, -{{ growthlens.seconds_between('touch_ts', 'converted_at') }} / {{ half_life_seconds }})
            as decay_weight
    from (
        select * from in_window
        union all
        select * from converting_session
    ) as touches
),

path_totals as (
    select
        conversion_id,
        min(touch_seq) as first_touch_seq,
        count(*) as n_touches,
        sum(is_non_direct_flag) as n_non_direct,
        min(non_direct_through - is_non_direct_flag) as non_direct_before,
        sum(decay_weight * is_non_direct_flag) as non_direct_decay_weight,
        sum(decay_weight) as total_decay_weight
    from path_touches
    group by conversion_id
),

final as (
    select
        path_touches.conversion_id,
        path_touches.touch_id,
        path_touches.person_id,
        path_touches.channel,
        path_touches.campaign,
        path_touches.conversion_event,
        case
            when path_touches.touch_seq > path_totals.first_touch_seq then path_touches.previous_channel
        end as previous_channel,
        path_touches.touch_seq - path_totals.first_touch_seq + 1 as touch_index,
        path_totals.n_touches,
        path_totals.n_non_direct,
        path_touches.non_direct_through - path_totals.non_direct_before as non_direct_index,
        path_touches.decay_weight,
        path_totals.non_direct_decay_weight,
        path_totals.total_decay_weight,
        path_touches.revenue,
        path_touches.is_non_direct_flag = 1 as is_non_direct,
        path_touches.is_first_conversion,
        path_touches.touch_ts,
        path_touches.converted_at
    from path_touches
    inner join path_totals
        on path_touches.conversion_id = path_totals.conversion_id
)

select * from final
