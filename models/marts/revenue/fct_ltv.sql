{#- One row per person seen in the events: cohort month, acquisition channel, and cumulative
    value (revenue × ltv_gross_margin) at 7/30/90/180/365 days after first_seen_at (metrics.md §8).
    A horizon that ends after data end is not observable yet: its value is null, never zero. The
    per-person sums are kept incrementally (int_persons_revenue_summed); this view joins them to
    every person of dim_persons (acquisition can change without new events) and applies data
    end (one row of int_data_end_resolved) and the margin: per-person tables only, nothing to
    rebuild per run. -#}
{{ config(materialized='view') }}
{%- set horizons = [7, 30, 90, 180, 365] -%}
{%- set margin = growthlens.setting('ltv_gross_margin') | float -%}

with persons as (
    select
        person_id,
        acquisition_channel,
        is_identified,
        first_seen_at
    from {{ ref('dim_persons') }}
    where first_seen_at is not null
),

person_revenue as (
    select * from {{ ref('int_persons_revenue_summed') }}
),

bounds as (
    select data_end_at from {{ ref('int_data_end_resolved') }}
),

final as (
    select
        persons.person_id,
        persons.acquisition_channel,
        {{ growthlens.period_start('month', growthlens.to_local_date('persons.first_seen_at')) }} as cohort_month,
        {%- for n in horizons %}
        case
            when {{ dbt.dateadd('day', n, 'persons.first_seen_at') }} <= bounds.data_end_at
                then cast(coalesce(person_revenue.revenue_d{{ n }}, 0) * {{ margin }} as double)
        end as revenue_d{{ n }},
        {%- endfor %}
        cast(coalesce(person_revenue.revenue_total, 0) * {{ margin }} as double) as revenue_total,
        cast(coalesce(person_revenue.n_revenue_events, 0) as bigint) as n_revenue_events,
        persons.is_identified,
        persons.first_seen_at
    from persons
    cross join bounds
    left join person_revenue
        on persons.person_id = person_revenue.person_id
)

select * from final
