{#- One row per purchaser (a person with an event of revenue > 0): the part of the BG/NBD summary
    that does not depend on data end — frequency, recency and monetary value in days of the local
    calendar (metrics.md §8), plus counts and dates. fct_rfm adds t (age up to data end).
    Incremental per affected person (macros/incremental.sql): the affected persons' rows are
    replaced. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}

-- depends_on: {{ ref('int_persons_affected') }}
with purchases as (
    select
        person_id,
        revenue,
        event_date
    from {{ ref('int_revenue_events_filtered') }}
    where
        revenue > 0
        {{ growthlens.person_filter(slice_ids, 'and') }}
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
        person_id,
        cast(frequency as integer) as frequency,
        cast({{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }} as integer) as recency,
        cast(case
            when frequency > 0 then repeat_revenue / frequency
            else 0
        end as double) as monetary_value,
        cast(n_purchases as bigint) as n_purchases,
        cast(total_revenue as double) as total_revenue,
        first_purchase_date,
        last_purchase_date
    from summarized
)

select * from final
