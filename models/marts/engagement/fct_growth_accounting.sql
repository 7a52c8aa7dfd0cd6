{#- Growth accounting (metrics.md §5) per week and month: active persons split into new (first
    active period), retained (active in the previous period too) and resurrected, plus the
    persons churned since the previous period and the quick ratio. Rows run from the first period
    with any activity to the period containing data end, periods without activity included. -#}
{%- set grains = ['week', 'month'] -%}

with person_periods as (
    select
        grain,
        person_id,
        period_start
    from {{ ref('int_person_periods_active') }}
    where is_active
),

data_end as (
    select
        data_end_at,
        {{ growthlens.to_local_date('data_end_at') }} as data_end_date
    from (select {{ growthlens.data_end() }} as data_end_at) as bounds
),

sequenced as (
    {%- for grain in grains %}
        select
            grain,
            person_id,
            period_start,
            lag(period_start) over (partition by person_id order by period_start) as previous_active_start,
            lead(period_start) over (partition by person_id order by period_start) as next_active_start,
            {{ growthlens.add_periods(grain, -1, 'period_start') }} as previous_period_start,
            {{ growthlens.add_periods(grain, 1, 'period_start') }} as next_period_start
        from person_periods
        where grain = '{{ grain }}'
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

classified as (
    select
        grain,
        person_id,
        case
            when previous_active_start is null then 'new'
            when previous_active_start = previous_period_start then 'retained'
            else 'resurrected'
        end as status,
        -- Churned in the next period when not active in it.
        coalesce(next_active_start <> next_period_start, true) as is_churning_next,
        period_start,
        next_period_start
    from sequenced
),

period_counts as (
    select
        grain,
        period_start,
        count(*) as active,
        count(case when status = 'new' then 1 end) as new,
        count(case when status = 'retained' then 1 end) as retained,
        count(case when status = 'resurrected' then 1 end) as resurrected
    from classified
    group by grain, period_start
),

churn_counts as (
    select
        grain,
        next_period_start as period_start,
        count(*) as churned
    from classified
    where is_churning_next
    group by grain, next_period_start
),

first_periods as (
    select
        grain,
        min(period_start) as first_period_start
    from person_periods
    where grain in {{ growthlens.sql_list(grains) }}
    group by grain
),

-- The small calendar: each period from the first with activity to the one containing data end.
calendar as (
    {%- for grain in grains %}
        select
            first_periods.grain,
            first_periods.first_period_start,
            {{ growthlens.unnest_range(growthlens.period_number(
                grain,
                'first_periods.first_period_start',
                growthlens.period_start(grain, 'data_end.data_end_date')
            )) }} as period_offset
        from first_periods
        cross join data_end
        where first_periods.grain = '{{ grain }}'
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

calendar_dated as (
    {%- for grain in grains %}
        select
            grain,
            {{ growthlens.add_periods(grain, 'period_offset', 'first_period_start') }} as period_start,
            {{ growthlens.local_date_start_at(growthlens.add_periods(grain, 'period_offset + 1', 'first_period_start')) }}
                as period_end_at
        from calendar
        where grain = '{{ grain }}'
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

joined as (
    select
        calendar_dated.grain,
        coalesce(period_counts.active, 0) as active,
        coalesce(period_counts.new, 0) as new,
        coalesce(period_counts.retained, 0) as retained,
        coalesce(period_counts.resurrected, 0) as resurrected,
        coalesce(churn_counts.churned, 0) as churned,
        calendar_dated.period_start,
        calendar_dated.period_end_at
    from calendar_dated
    left join period_counts
        on
            calendar_dated.grain = period_counts.grain
            and calendar_dated.period_start = period_counts.period_start
    left join churn_counts
        on
            calendar_dated.grain = churn_counts.grain
            and calendar_dated.period_start = churn_counts.period_start
),

final as (
    select
        joined.grain,
        joined.period_start,
        cast(joined.active as bigint) as active,
        cast(joined.new as bigint) as new,
        cast(joined.retained as bigint) as retained,
        cast(joined.resurrected as bigint) as resurrected,
        cast(joined.churned as bigint) as churned,
        case
            when joined.churned = 0 then null
            else cast(joined.new + joined.resurrected as double) / joined.churned
        end as quick_ratio,
        joined.period_end_at <= data_end.data_end_at as is_complete,
        joined.period_end_at
    from joined
    cross join data_end
)

select * from final
