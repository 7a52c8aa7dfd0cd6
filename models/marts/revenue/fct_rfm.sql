{#- One row per purchaser: the recency / frequency / monetary summary that BG/NBD and
    Gamma-Gamma models take, in days of the local calendar (metrics.md §8). Transactions are
    events with revenue > 0 (refunds left out), grouped by local date. The per-purchaser summary
    is kept incrementally (int_purchasers_summarized); this view adds t, the age at data end (one
    row of int_data_end_resolved). -#}
{{ config(materialized='view') }}
with purchasers as (
    select * from {{ ref('int_purchasers_summarized') }}
),

bounds as (
    select {{ growthlens.to_local_date('data_end_at') }} as data_end_date
    from {{ ref('int_data_end_resolved') }}
),

final as (
    select
        purchasers.person_id,
        purchasers.frequency,
        purchasers.recency,
        cast({{ dbt.datediff('purchasers.first_purchase_date', 'bounds.data_end_date', 'day') }} as integer) as t,
        purchasers.monetary_value,
        purchasers.n_purchases,
        purchasers.total_revenue,
        purchasers.first_purchase_date,
        purchasers.last_purchase_date
    from purchasers
    cross join bounds
)

select * from final
