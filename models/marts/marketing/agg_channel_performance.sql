{#- Per attribution model and channel (metrics.md §6): attributed conversions and revenue, ad
    spend of the channel over the data range (local dates of the first accepted event to data
    end), cost per first conversion and return on ad spend. A channel with spend but no credit
    in a model still gets a row (0 conversions), since that is what a spend review looks for. -#}
with attribution as (
    select * from {{ ref('fct_attribution') }}
),

spend as (
    select * from {{ ref('int_ad_spend_classified') }}
),

data_range as (
    select
        {{ growthlens.to_local_date('min(event_ts)') }} as first_date,
        {{ growthlens.to_local_date(growthlens.data_end()) }} as last_date
    from {{ ref('fct_events') }}
),

models as (
    select model
    from (
        values
        ('first_touch'), ('last_touch'), ('last_non_direct'), ('linear'), ('time_decay'),
        ('position_based'), ('markov')
    ) as models (model)
),

credited as (
    select
        model,
        channel,
        sum(credit) as conversions,
        sum(coalesce(revenue_credit, 0)) as revenue,
        sum(first_conversion_credit) as first_conversions
    from attribution
    group by model, channel
),

channel_spend as (
    select
        spend.channel,
        sum(spend.spend) as spend
    from spend
    cross join data_range
    where spend.spend_date >= data_range.first_date and spend.spend_date <= data_range.last_date
    group by spend.channel
),

cells as (
    select
        model,
        channel
    from credited
    union
    select
        models.model,
        channel_spend.channel
    from channel_spend
    cross join models
    where channel_spend.spend > 0
),

joined as (
    select
        cells.model,
        cells.channel,
        coalesce(credited.conversions, 0) as conversions,
        coalesce(credited.revenue, 0) as revenue,
        coalesce(credited.first_conversions, 0) as first_conversions,
        channel_spend.spend
    from cells
    left join credited
        on cells.model = credited.model and cells.channel = credited.channel
    left join channel_spend
        on cells.channel = channel_spend.channel
),

final as (
    select
        model,
        channel,
        cast(conversions as double) as conversions,
        cast(first_conversions as double) as first_conversions,
        cast(revenue as double) as revenue,
        cast(spend as double) as spend,
        cast(case when spend > 0 and first_conversions > 0 then spend / first_conversions end as double) as cac,
        cast(case when spend > 0 then revenue / spend end as double) as roas
    from joined
)

select * from final
