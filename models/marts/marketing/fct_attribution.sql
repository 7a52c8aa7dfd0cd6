{#- Conversion credit per touch for the rule-based models and per channel for the Markov model
    (metrics.md §6). Rule-based credits come from each path row's positions and weights
    (int_conversion_paths), one select per model; Markov credits from the removal effects of
    int_markov_removal_effects. Zero-credit rows are not written. Incremental: a rule-based
    credit depends only on its path, so the rows of the conversions int_conversion_paths
    replaced (those of the persons of int_marketing_persons_affected from their rebuild_from on)
    are replaced; the Markov rows (global) are replaced on every run (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[
        growthlens.person_restart_slice('converted_at', 'int_marketing_persons_affected')
        ~ " or growthlens_target.model = 'markov'"],
    follows_sessionizing=true,
) }}
{%- set restarted = growthlens.persons_incremental() %}
{#- The path columns every rule-based model carries from `eligible`. -#}
{%- set path_columns -%}
conversion_id, touch_id, person_id, channel, campaign, conversion_event, revenue, is_first_conversion, converted_at
{%- endset %}

-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_marketing_persons_affected') }}
with paths as (
    select paths.*
    from {{ growthlens.person_restart_rows(ref('int_conversion_paths'), 'int_marketing_persons_affected',
        'converted_at', restarted) }} as paths
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

-- One select per model, each keeping only the touches it credits (no zero-credit rows).
first_touch as (
    select
        {{ path_columns }},
        'first_touch' as model,
        cast(1 as double) as credit
    from eligible
    where touch_index = 1
),

last_touch as (
    select
        {{ path_columns }},
        'last_touch' as model,
        cast(1 as double) as credit
    from eligible
    where touch_index = n_touches
),

last_non_direct as (
    select
        {{ path_columns }},
        'last_non_direct' as model,
        cast(1 as double) as credit
    from eligible
    where
        (n_non_direct = 0 and touch_index = n_touches)
        or (is_non_direct and non_direct_index = n_non_direct)
),

linear as (
    select
        {{ path_columns }},
        'linear' as model,
        cast(1 as double) / n_eligible as credit
    from eligible
    where is_eligible
),

time_decay as (
    select
        {{ path_columns }},
        'time_decay' as model,
        case
            when n_eligible = 1 then cast(1 as double)
            else decay_weight / eligible_decay_weight
        end as credit
    from eligible
    where is_eligible
),

position_based as (
    select
        {{ path_columns }},
        'position_based' as model,
        case
            when n_eligible = 1 then cast(1 as double)
            when n_eligible = 2 then cast(0.5 as double)
            when eligible_index = 1 or eligible_index = n_eligible then cast(0.4 as double)
            else cast(0.2 as double) / (n_eligible - 2)
        end as credit
    from eligible
    where is_eligible
),

rule_credits as (
    select * from first_touch
    union all
    select * from last_touch
    union all
    select * from last_non_direct
    union all
    select * from linear
    union all
    select * from time_decay
    union all
    select * from position_based
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
        cast(null as timestamp) as converted_at,
        cast(null as string) as person_id
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
        converted_at,
        person_id
    from rule_credits
    where credit > 0
    union all
    select * from markov_credits
)

select * from final
