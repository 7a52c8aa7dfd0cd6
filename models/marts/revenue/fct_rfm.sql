{#- One row per purchaser: the recency / frequency / monetary summary that BG/NBD and
    Gamma-Gamma models take, in days of the local calendar (metrics.md §8). Transactions are
    events with revenue > 0 (refunds left out), grouped by local date. -#}
with purchases as (
    select
        person_id,
        revenue,
        event_date
    from {{ ref('int_revenue_events_filtered') }}
    where revenue > 0
),

bounds as (
    select {{ growthlens.to_local_date(growthlens.data_end()) }} as data_end_date
),

purchase_days as (
    select
        person_id,
        event_date as purchase_date,
        sum(revenue) as day_revenue,
        count(*) as n_purchases
    from purchases
    group by person_id, event_date
),

dated as (
    select
        person_id,
        purchase_date,
        day_revenue,
        n_purchases,
        min(purchase_date) over (partition by person_id) as first_purchase_date
    from purchase_days
),

summarized as (
    select
        person_id,
        count(*) - 1 as frequency,
        sum(n_purchases) as n_purchases,
        sum(day_revenue) as total_revenue,
        -- Repeat value only: the first purchase date is left out of monetary_value.
        sum(case when purchase_date > first_purchase_date then day_revenue end) as repeat_revenue,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date
    from dated
    group by person_id
),

final as (
    select
        summarized.person_id,
        cast(summarized.frequency as integer) as frequency,
        cast({{ dbt.datediff('summarized.first_purchase_date', 'summarized.last_purchase_date', 'day') }} as integer)
            as recency,
        cast({{ dbt.datediff('summarized.first_purchase_date', 'bounds.data_end_date', 'day') }} as integer) as t,
        cast(case
            when summarized.frequency > 0 then summarized.repeat_revenue / summarized.frequency
            else 0
        end as double) as monetary_value,
        cast(summarized.n_purchases as bigint) as n_purchases,
        cast(summarized.total_revenue as double) as total_revenue,
        summarized.first_purchase_date,
        summarized.last_purchase_date
    from summarized
    cross join bounds
)

select * from final
