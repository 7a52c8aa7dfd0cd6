{#- One row per cohort month (local month of first_seen_at) and acquisition channel: average
    value at each horizon over the persons observable that long, that channel's ad spend in that
    month, CAC, LTV:CAC at 90 days and payback days (metrics.md §8). -#}
{%- set horizons = [7, 30, 90, 180, 365] -%}

with ltv as (
    select * from {{ ref('fct_ltv') }}
),

ad_spend as (
    select
        channel,
        spend,
        spend_date
    from {{ ref('int_ad_spend_classified') }}
),

cells as (
    select
        cohort_month,
        acquisition_channel,
        count(*) as persons,
        {%- for n in horizons %}
        count(revenue_d{{ n }}) as persons_d{{ n }},
        avg(revenue_d{{ n }}) as avg_revenue_d{{ n }},
        {%- endfor %}
        sum(revenue_total) as revenue_total
    from ltv
    group by cohort_month, acquisition_channel
),

-- spend_date is a calendar date of the ad platform's report: its month is taken as it is. A
-- row without a channel gets the one its utm parameters give (int_ad_spend_classified).
monthly_spend as (
    select
        channel,
        {{ growthlens.period_start('month', 'spend_date') }} as spend_month,
        sum(spend) as spend
    from ad_spend
    group by channel, {{ growthlens.period_start('month', 'spend_date') }}
),

costed as (
    select
        cells.*,
        cast(coalesce(monthly_spend.spend, 0) as double) as spend,
        -- No spend (none recorded, or a total of 0) means no acquisition cost to divide.
        case
            when monthly_spend.spend <> 0 then monthly_spend.spend / cells.persons
        end as cac
    from cells
    left join monthly_spend
        on
            cells.acquisition_channel = monthly_spend.channel
            and cells.cohort_month = monthly_spend.spend_month
),

final as (
    select
        cohort_month,
        acquisition_channel,
        persons,
        {%- for n in horizons %}
        persons_d{{ n }},
        {%- endfor %}
        {%- for n in horizons %}
        avg_revenue_d{{ n }},
        {%- endfor %}
        revenue_total,
        spend,
        cac,
        avg_revenue_d90 / cac as ltv_to_cac_d90,
        -- The first horizon whose average value covers the cost; an unobservable horizon (null
        -- average) never counts.
        cast(case
            when cac is null then null
            {%- for n in horizons %}
            when avg_revenue_d{{ n }} >= cac then {{ n }}
            {%- endfor %}
        end as integer) as payback_days
    from costed
)

select * from final
