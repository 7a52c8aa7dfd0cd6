{#- "Influencer users are cheap but churn sooner": retention and revenue per person by acquisition
    channel (dim_persons.acquisition_channel, the first touch), side by side.

    Run on the loyalty scenario:
        dbt build --vars '{scenario: loyalty}'
        dbt compile --vars '{scenario: loyalty}' --select retention_and_revenue_by_acquisition_channel
        then run target/compiled/growthlens/analyses/retention_and_revenue_by_acquisition_channel.sql

    Definitions are those of fct_retention (metrics.md §5): a person's cohort is their first
    retention_cohort_event (or first event), periods are local weeks / months, and "active" means a
    return event. A channel's rate only counts persons whose period is fully observed (the period
    ends at or before data end), so recent cohorts don't drag a channel down. Revenue per person
    stands in for LTV until the LTV mart exists: revenue of the person's events in the first 30 × 24 h
    after the cohort event (persons with those 30 days observed), and to date (all persons). -#}
{%- set revenue_window_days = 30 -%}

with persons as (
    select
        person_id,
        coalesce(acquisition_channel, '(none)') as acquisition_channel
    from {{ ref('dim_persons') }}
),

cohorted as (
    select * from {{ ref('int_persons_cohorted') }}
),

person_periods as (
    select * from {{ ref('int_person_periods_active') }}
    where is_active and grain in ('week', 'month')
),

events as (
    select
        person_id,
        revenue,
        event_ts
    from {{ ref('fct_events') }}
    where revenue is not null
),

data_end as (
    select {{ growthlens.data_end() }} as data_end_at
),

members as (
    select
        cohorted.person_id,
        persons.acquisition_channel,
        cohorted.cohort_event_at,
        {{ growthlens.period_start('week', 'cohorted.cohort_date') }} as cohort_week,
        {{ growthlens.period_start('month', 'cohorted.cohort_date') }} as cohort_month
    from cohorted
    inner join persons
        on cohorted.person_id = persons.person_id
),

observed as (
    select
        members.*,
        {{ growthlens.local_date_start_at(growthlens.add_periods('week', 2, 'members.cohort_week')) }}
        <= data_end.data_end_at as is_week_1_observed,
        {{ growthlens.local_date_start_at(growthlens.add_periods('week', 5, 'members.cohort_week')) }}
        <= data_end.data_end_at as is_week_4_observed,
        {{ growthlens.local_date_start_at(growthlens.add_periods('month', 2, 'members.cohort_month')) }}
        <= data_end.data_end_at as is_month_1_observed,
        {{ dbt.dateadd('day', revenue_window_days, 'members.cohort_event_at') }}
        <= data_end.data_end_at as is_revenue_window_observed
    from members
    cross join data_end
),

activity as (
    select
        members.person_id,
        max(case
            when
                person_periods.grain = 'week'
                and person_periods.period_start = {{ growthlens.add_periods('week', 1, 'members.cohort_week') }}
                then 1
            else 0
        end) as is_active_week_1,
        max(case
            when
                person_periods.grain = 'week'
                and person_periods.period_start = {{ growthlens.add_periods('week', 4, 'members.cohort_week') }}
                then 1
            else 0
        end) as is_active_week_4,
        max(case
            when
                person_periods.grain = 'week'
                and person_periods.period_start >= {{ growthlens.add_periods('week', 4, 'members.cohort_week') }}
                then 1
            else 0
        end) as is_active_week_4_or_after,
        max(case
            when
                person_periods.grain = 'month'
                and person_periods.period_start = {{ growthlens.add_periods('month', 1, 'members.cohort_month') }}
                then 1
            else 0
        end) as is_active_month_1
    from members
    inner join person_periods
        on members.person_id = person_periods.person_id
    group by members.person_id
),

revenue as (
    select
        members.person_id,
        sum(events.revenue) as revenue_to_date,
        sum(case
            when events.event_ts < {{ dbt.dateadd('day', revenue_window_days, 'members.cohort_event_at') }}
                then events.revenue
        end) as revenue_window
    from members
    inner join events
        on members.person_id = events.person_id
    group by members.person_id
),

per_person as (
    select
        observed.person_id,
        observed.acquisition_channel,
        observed.is_week_1_observed,
        observed.is_week_4_observed,
        observed.is_month_1_observed,
        observed.is_revenue_window_observed,
        coalesce(activity.is_active_week_1, 0) as is_active_week_1,
        coalesce(activity.is_active_week_4, 0) as is_active_week_4,
        coalesce(activity.is_active_week_4_or_after, 0) as is_active_week_4_or_after,
        coalesce(activity.is_active_month_1, 0) as is_active_month_1,
        coalesce(revenue.revenue_window, 0) as revenue_window,
        coalesce(revenue.revenue_to_date, 0) as revenue_to_date
    from observed
    left join activity
        on observed.person_id = activity.person_id
    left join revenue
        on observed.person_id = revenue.person_id
),

by_channel as (
    select
        acquisition_channel,
        count(*) as persons,
        avg(case when is_week_1_observed then is_active_week_1 end) as week_1_retention,
        avg(case when is_week_4_observed then is_active_week_4 end) as week_4_retention,
        avg(case when is_week_4_observed then is_active_week_4_or_after end) as week_4_on_or_after,
        avg(case when is_month_1_observed then is_active_month_1 end) as month_1_retention,
        avg(case when is_revenue_window_observed then revenue_window end) as revenue_{{ revenue_window_days }}d_per_person,
        avg(revenue_to_date) as revenue_to_date_per_person,
        count(case when is_week_4_observed then 1 end) as persons_week_4_observed,
        count(case when is_month_1_observed then 1 end) as persons_month_1_observed
    from per_person
    group by acquisition_channel
),

final as (
    select
        acquisition_channel,
        persons,
        round(week_1_retention, 3) as week_1_retention,
        round(week_4_retention, 3) as week_4_retention,
        round(week_4_on_or_after, 3) as week_4_on_or_after,
        round(month_1_retention, 3) as month_1_retention,
        round(revenue_{{ revenue_window_days }}d_per_person, 2) as revenue_{{ revenue_window_days }}d_per_person,
        round(revenue_to_date_per_person, 2) as revenue_to_date_per_person,
        persons_week_4_observed,
        persons_month_1_observed
    from by_channel
)

select * from final
order by week_4_retention desc nulls last
