{#- Cohort retention (metrics.md §5) at the day, week and month grains in one table: one row per
    grain, cohort and period number from 0 to the period containing data end, with the "return
    on" (active_persons) and "on or after" (retained_on_or_after) curves and the cohort's revenue.
    Sparse member activity (int_person_periods_active, which already numbers each person's periods
    from their cohort) is aggregated per cohort and period; only the small cohort × period
    calendar is dense, so that periods without activity show zeros. A full rebuild on every run,
    but of small tables only (person periods and persons, no events): is_complete and the last
    period follow data end. -#}
{%- set grains = ['day', 'week', 'month'] -%}

with member_periods as (
    select
        grain,
        revenue,
        period_number,
        is_active,
        is_last_active_since_cohort,
        cohort_start
    from {{ ref('int_person_periods_active') }}
    where period_number >= 0
),

cohorted_persons as (
    select cohort_date from {{ ref('int_persons_cohorted') }}
),

data_end as (
    select
        data_end_at,
        {{ growthlens.to_local_date('data_end_at') }} as data_end_date
    from {{ ref('int_data_end_resolved') }}
),

cohort_sizes as (
    {%- for grain in grains %}
        select
            '{{ grain }}' as grain,
            {{ growthlens.period_start(grain, 'cohort_date') }} as cohort_start,
            count(*) as cohort_size
        from cohorted_persons
        group by {{ growthlens.period_start(grain, 'cohort_date') }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

-- The small calendar: every cohort with n = 0 .. the period containing data end.
cohort_periods as (
    {%- for grain in grains %}
        select
            cohort_sizes.grain,
            cohort_sizes.cohort_size,
            cohort_sizes.cohort_start,
            {{ growthlens.unnest_range(growthlens.period_number(
                grain,
                'cohort_sizes.cohort_start',
                growthlens.period_start(grain, 'data_end.data_end_date')
            )) }} as period_number
        from cohort_sizes
        cross join data_end
        where cohort_sizes.grain = '{{ grain }}'
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

cohort_periods_dated as (
    {%- for grain in grains %}
        select
            grain,
            cohort_size,
            cohort_start,
            period_number,
            {{ growthlens.add_periods(grain, 'period_number', 'cohort_start') }} as period_start,
            {{ growthlens.local_date_start_at(growthlens.add_periods(grain, 'period_number + 1', 'cohort_start')) }}
                as period_end_at
        from cohort_periods
        where grain = '{{ grain }}'
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

-- One pass over the members' periods: "return on" counts, revenue, and the members whose last
-- active period it is (each counts in retained_on_or_after(n) for every n up to it).
period_activity as (
    select
        grain,
        cohort_start,
        period_number,
        count(case when is_active then 1 end) as active_persons,
        count(case when is_last_active_since_cohort then 1 end) as n_last_active,
        sum(revenue) as revenue
    from member_periods
    group by grain, cohort_start, period_number
),

joined as (
    select
        cohort_periods_dated.grain,
        cohort_periods_dated.cohort_size,
        coalesce(period_activity.active_persons, 0) as active_persons,
        coalesce(period_activity.n_last_active, 0) as n_last_active,
        coalesce(period_activity.revenue, 0) as revenue,
        cohort_periods_dated.cohort_start,
        cohort_periods_dated.period_number,
        cohort_periods_dated.period_start,
        cohort_periods_dated.period_end_at
    from cohort_periods_dated
    left join period_activity
        on
            cohort_periods_dated.grain = period_activity.grain
            and cohort_periods_dated.cohort_start = period_activity.cohort_start
            and cohort_periods_dated.period_number = period_activity.period_number
),

curves as (
    select
        *,
        sum(n_last_active) over (
            partition by grain, cohort_start
            order by period_number desc
            rows between unbounded preceding and current row
        ) as retained_on_or_after,
        sum(revenue) over (
            partition by grain, cohort_start
            order by period_number
            rows between unbounded preceding and current row
        ) as cumulative_revenue
    from joined
),

final as (
    select
        curves.grain,
        curves.cohort_start,
        cast(curves.period_number as integer) as period_number,
        curves.period_start,
        cast(curves.cohort_size as bigint) as cohort_size,
        cast(curves.active_persons as bigint) as active_persons,
        cast(curves.retained_on_or_after as bigint) as retained_on_or_after,
        cast(curves.active_persons as double) / curves.cohort_size as active_rate,
        cast(curves.retained_on_or_after as double) / curves.cohort_size as retained_on_or_after_rate,
        cast(curves.revenue as double) as revenue,
        cast(curves.cumulative_revenue as double) as cumulative_revenue,
        cast(curves.cumulative_revenue as double) / curves.cohort_size as cumulative_revenue_per_member,
        curves.period_end_at <= data_end.data_end_at as is_complete,
        curves.period_end_at
    from curves
    cross join data_end
)

select * from final
