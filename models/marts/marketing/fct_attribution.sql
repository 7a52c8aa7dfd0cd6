{#- Conversion credit per touch for the rule-based models and per channel for the Markov model
    (metrics.md §6). Rule-based credits come from each path row's positions and weights
    (int_conversion_paths) in one pass; Markov credits from the removal effects of
    int_markov_removal_effects. Zero-credit rows are not written. -#}
with paths as (
    select * from {{ ref('int_conversion_paths') }}
),

conversions as (
    select
        revenue,
        is_first_conversion
    from {{ ref('fct_conversions') }}
),

removal_effects as (
    select * from {{ ref('int_markov_removal_effects') }}
),

models as (
    select model_name
    from (
        values
        ('first_touch'), ('last_touch'), ('last_non_direct'), ('linear'), ('time_decay'), ('position_based')
    ) as models (model_name)
),

-- Linear, time decay and position based spread over the non-direct touches when the path has
-- any, else over all touches: m eligible touches, k = this touch's rank among them.
eligible as (
    select
        *,
        n_non_direct = 0 or is_non_direct as is_eligible,
        case when n_non_direct > 0 then n_non_direct else n_touches end as n_eligible,
        case when n_non_direct > 0 then non_direct_index else touch_index end as eligible_index,
        case when n_non_direct > 0 then non_direct_decay_weight else total_decay_weight end
            as eligible_decay_weight
    from paths
),

rule_credits as (
    select
        eligible.conversion_id,
        eligible.touch_id,
        models.model_name as model,
        eligible.channel,
        eligible.campaign,
        eligible.conversion_event,
        eligible.revenue,
        eligible.is_first_conversion,
        eligible.converted_at,
        cast(case models.model_name
            when 'first_touch' then case when eligible.touch_index = 1 then 1.0 else 0.0 end
            when 'last_touch' then case when eligible.touch_index = eligible.n_touches then 1.0 else 0.0 end
            when 'last_non_direct'
                then case
                    when eligible.n_non_direct = 0 and eligible.touch_index = eligible.n_touches then 1.0
                    when eligible.is_non_direct and eligible.non_direct_index = eligible.n_non_direct then 1.0
                    else 0.0
                end
            when 'linear' then case when eligible.is_eligible then 1.0 / eligible.n_eligible else 0.0 end
            when 'time_decay'
                then case
                    when not eligible.is_eligible then 0.0
                    when eligible.n_eligible = 1 then 1.0
                    else eligible.decay_weight / eligible.eligible_decay_weight
                end
            when 'position_based' then case
                when not eligible.is_eligible then 0.0
                when eligible.n_eligible = 1 then 1.0
                when eligible.n_eligible = 2 then 0.5
                when eligible.eligible_index = 1 or eligible.eligible_index = eligible.n_eligible then 0.4
                else 0.2 / (eligible.n_eligible - 2)
            end
        end as double) as credit
    from eligible
    cross join models
),

markov_totals as (
    select
        count(*) as n_conversions,
        count(case when is_first_conversion then 1 end) as n_first_conversions,
        sum(coalesce(revenue, 0)) as revenue
    from conversions
),

markov_credits as (
    select
        cast(null as string) as conversion_id,
        cast(null as string) as touch_id,
        'markov' as model,
        removal_effects.channel,
        cast(null as string) as campaign,
        cast(null as string) as conversion_event,
        markov_totals.n_conversions * removal_effects.removal_share as credit,
        markov_totals.revenue * removal_effects.removal_share as revenue_credit,
        markov_totals.n_first_conversions * removal_effects.removal_share as first_conversion_credit,
        cast(null as boolean) as is_first_conversion,
        cast(null as timestamp) as converted_at
    from removal_effects
    cross join markov_totals
    where removal_effects.removal_share > 0
),

final as (
    select
        conversion_id,
        touch_id,
        model,
        channel,
        campaign,
        conversion_event,
        credit,
        credit * revenue as revenue_credit,
        case when is_first_conversion then credit else cast(0 as double) end as first_conversion_credit,
        is_first_conversion,
        converted_at
    from rule_credits
    where credit > 0
    union all
    select * from markov_credits
)

select * from final
