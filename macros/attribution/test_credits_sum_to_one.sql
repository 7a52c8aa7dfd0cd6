{#- Generic test on an attribution table: in every model, the credits of every conversion of
    `conversions` sum to 1 (within `tolerance`); a conversion with no credit fails too. A
    channel-level model (its rows have no conversion_id, e.g. markov) must instead give
    credits summing to the number of conversions. -#}
{% test credits_sum_to_one(model, conversions, tolerance=1e-9) %}
with credits as (
    select * from {{ model }}
),

conversion_ids as (
    select conversion_id from {{ conversions }}
),

n_conversions as (
    select count(*) as n_conversions from conversion_ids
),

per_conversion as (
    select
        model,
        conversion_id,
        sum(credit) as total_credit
    from credits
    where conversion_id is not null
    group by model, conversion_id
),

conversion_level_models as (
    select distinct model from credits where conversion_id is not null
),

conversion_level_failures as (
    select
        conversion_level_models.model,
        conversion_ids.conversion_id,
        per_conversion.total_credit
    from conversion_level_models
    cross join conversion_ids
    left join per_conversion
        on
            conversion_level_models.model = per_conversion.model
            and conversion_ids.conversion_id = per_conversion.conversion_id
    where per_conversion.total_credit is null or abs(per_conversion.total_credit - 1) > {{ tolerance }}
),

channel_level_failures as (
    select
        credits.model,
        cast(null as string) as conversion_id,
        sum(credits.credit) as total_credit
    from credits
    cross join n_conversions
    where credits.conversion_id is null
    group by credits.model, n_conversions.n_conversions
    having abs(sum(credits.credit) - n_conversions.n_conversions) > {{ tolerance }} * n_conversions.n_conversions
),

orphan_credits as (
    select
        per_conversion.model,
        per_conversion.conversion_id,
        per_conversion.total_credit
    from per_conversion
    left join conversion_ids
        on per_conversion.conversion_id = conversion_ids.conversion_id
    where conversion_ids.conversion_id is null
)

select * from conversion_level_failures
union all
select * from channel_level_failures
union all
select * from orphan_credits
{% endtest %}
