{#- One row per grain (day, week, month), person and local period in which the person has any
    event: whether the person was active in it (a return event), its revenue, and where the
    period stands in the person's history — its number since the person's cohort (metrics.md §5),
    whether it is the person's last active period since the cohort (the "on or after" curve
    counts the person up to it), and its growth accounting status. Sparse: a period without
    events has no row. Everything here depends on the person's own rows only, never on data end,
    so the table is incremental per affected person (macros/incremental.sql): the affected
    persons' rows are replaced whole, and fct_retention / fct_growth_accounting are plain
    aggregates of it. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}
{%- set grains = ['day', 'week', 'month'] %}

-- depends_on: {{ ref('int_persons_affected') }}
with person_days as (
    select
        person_id,
        n_events,
        n_return_events,
        revenue,
        activity_date
    from {{ ref('int_person_days_summarized') }}
    {{ growthlens.person_filter(slice_ids) }}
),

cohorted_persons as (
    select
        person_id,
        cohort_date
    from {{ ref('int_persons_cohorted') }}
    {{ growthlens.person_filter(slice_ids) }}
),

day_periods as (
    select
        person_id,
        n_events,
        n_return_events,
        revenue,
        activity_date as period_start
    from person_days
),

{% for grain in grains if grain != 'day' %}
    {{ grain }}_periods as (
        select
            person_id,
            sum(n_events) as n_events,
            sum(n_return_events) as n_return_events,
            sum(revenue) as revenue,
            {{ growthlens.period_start(grain, 'activity_date') }} as period_start
        from person_days
        group by person_id, {{ growthlens.period_start(grain, 'activity_date') }}
    ),

{% endfor %}
{%- for grain in grains %}
    {{ grain }}_cohorted as (
        select
            periods.person_id,
            periods.n_events,
            periods.n_return_events,
            periods.revenue,
            periods.n_return_events > 0 as is_active,
            periods.period_start,
            cohorts.cohort_start,
            {{ growthlens.period_number(grain, 'cohorts.cohort_start', 'periods.period_start') }} as period_number
        from {{ grain }}_periods as periods
        left join (
            select
                person_id,
                {{ growthlens.period_start(grain, 'cohort_date') }} as cohort_start
            from cohorted_persons
        ) as cohorts
            on periods.person_id = cohorts.person_id
    ),

    -- Where each active {{ grain }} stands among the person's active ones: the previous and the
    -- next active {{ grain }} (none after the last). Inactive periods have neither.
    {{ grain }}_sequenced as (
        select
            person_id,
            n_events,
            n_return_events,
            revenue,
            is_active,
            period_start,
            cohort_start,
            period_number,
            lag(period_start) over (partition by person_id order by period_start) as previous_active_start,
            lead(period_start) over (partition by person_id order by period_start) as next_active_start,
            {{ growthlens.add_periods(grain, -1, 'period_start') }} as previous_period_start,
            {{ growthlens.add_periods(grain, 1, 'period_start') }} as next_period_start
        from {{ grain }}_cohorted
        where is_active
        union all
        select
            person_id,
            n_events,
            n_return_events,
            revenue,
            is_active,
            period_start,
            cohort_start,
            period_number,
            cast(null as date) as previous_active_start,
            cast(null as date) as next_active_start,
            cast(null as date) as previous_period_start,
            cast(null as date) as next_period_start
        from {{ grain }}_cohorted
        where not is_active
    ),

{% endfor %}
unioned as (
    {%- for grain in grains %}
        select
            '{{ grain }}' as grain,
            *
        from {{ grain }}_sequenced
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        grain,
        person_id,
        case
            when not is_active then null
            when previous_active_start is null then 'new'
            when previous_active_start = previous_period_start then 'retained'
            else 'resurrected'
        end as growth_status,
        cast(n_events as bigint) as n_events,
        cast(n_return_events as bigint) as n_return_events,
        cast(revenue as double) as revenue,
        cast(period_number as integer) as period_number,
        is_active,
        -- The last active period, when at or after the cohort start, is the last one since it.
        coalesce(is_active and next_active_start is null and period_start >= cohort_start, false)
            as is_last_active_since_cohort,
        -- Churned in the next period when not active in it.
        coalesce(is_active and coalesce(next_active_start <> next_period_start, true), false)
            as is_churning_next,
        period_start,
        cohort_start
    from unioned
)

select * from final
