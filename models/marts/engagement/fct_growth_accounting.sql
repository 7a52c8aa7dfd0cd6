{#- Growth accounting (metrics.md §5) per week and month: active persons split into new (first
    active period), retained (active in the previous period too) and resurrected, plus the
    persons churned since the previous period and the quick ratio. Rows run from the first period
    with any activity to the period containing data end, periods without activity included. Each
    active person period comes classified from int_person_periods_active (incremental per
    person), so this is one aggregate over it plus a small calendar, rebuilt on every run. -#}
{%- set grains = ['week', 'month'] -%}

with person_periods as (
    select
        grain,
        growth_status,
        is_churning_next,
        period_start
    from {{ ref('int_person_periods_active') }}
    where is_active and grain in {{ growthlens.sql_list(grains) }}
),

data_end as (
    select
        data_end_at,
        {{ growthlens.to_local_date('data_end_at') }} as data_end_date
    from {{ ref('int_data_end_resolved') }}
),

-- One pass over the active person periods, each already classified (int_person_periods_active).
period_counts as (
    select
        grain,
        period_start,
        count(*) as active,
        count(case when growth_status = 'new' then 1 end) as new,
        count(case when growth_status = 'retained' then 1 end) as retained,
        count(case when growth_status = 'resurrected' then 1 end) as resurrected,
        count(case when is_churning_next then 1 end) as churning_next
    from person_periods
    group by grain, period_start
),

-- Persons active in a period and not in the next one churned in the next one.
churn_counts as (
    {%- for grain in grains %}
        select
            grain,
            {{ growthlens.add_periods(grain, 1, 'period_start') }} as period_start,
            churning_next as churned
        from period_counts
        where grain = '{{ grain }}'
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

first_periods as (
    select
        grain,
        min(period_start) as first_period_start
    from period_counts
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
