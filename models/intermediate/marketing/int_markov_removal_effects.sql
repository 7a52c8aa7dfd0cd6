{#- Removal effects of the first-order Markov chain (metrics.md §6), solved exactly in plain
    SQL. The chain's states are (start), the channels, and the absorbing (conversion) and
    (null). Variant `(none)` is the full chain; variant c sends every transition into channel c
    to (null). For every variant at once, the transition matrix T is squared repeatedly
    (T, T², T⁴, …: one join + group by of a tiny table per step, unrolled below), so after k
    steps the (start) row holds the state distribution after 2^k transitions; its mass on
    (conversion) is the absorption probability P once no mass is left on transient states.
    48 squarings cover 2^48 transitions; the model reports the change of P over the last
    squaring and the mass still on transient states, and a data test requires both < 1e-12.
    RE(c) = 1 − P_without_c / P; removal_share = RE(c) / Σ RE. -#}
{%- set n_squarings = 48 -%}

with transitions as (
    select * from {{ ref('int_markov_transitions') }}
),

probabilities as (
    select
        from_state,
        to_state,
        cast(n_transitions as double) / sum(n_transitions) over (partition by from_state) as probability
    from transitions
),

channels as (
    select distinct from_state as channel
    from transitions
    where from_state <> '(start)'
),

variants as (
    select '(none)' as variant
    union all
    select channel as variant from channels
),

absorbing as (
    select state
    from (values ('(conversion)'), ('(null)')) as absorbing (state)
),

step_0 as (
    select
        variants.variant,
        probabilities.from_state,
        case when probabilities.to_state = variants.variant then '(null)' else probabilities.to_state end
            as to_state,
        sum(probabilities.probability) as probability
    from probabilities
    cross join variants
    where probabilities.from_state <> variants.variant
    group by
        variants.variant,
        probabilities.from_state,
        case when probabilities.to_state = variants.variant then '(null)' else probabilities.to_state end
    union all
    select
        variants.variant,
        absorbing.state as from_state,
        absorbing.state as to_state,
        cast(1 as double) as probability
    from variants
    cross join absorbing
),
{%- for k in range(1, n_squarings + 1) %}

step_{{ k }} as (
    select
        left_step.variant,
        left_step.from_state,
        right_step.to_state,
        sum(left_step.probability * right_step.probability) as probability
    from step_{{ k - 1 }} as left_step
    inner join step_{{ k - 1 }} as right_step
        on left_step.variant = right_step.variant and left_step.to_state = right_step.from_state
    group by left_step.variant, left_step.from_state, right_step.to_state
),
{%- endfor %}

start_rows as (
    select
        variants.variant,
        coalesce(sum(case when step_{{ n_squarings }}.to_state = '(conversion)' then step_{{ n_squarings }}.probability end), cast(0 as double))
            as conversion_probability,
        coalesce(sum(case when step_{{ n_squarings }}.to_state not in ('(conversion)', '(null)') then step_{{ n_squarings }}.probability end), cast(0 as double))
            as unabsorbed_mass
    from variants
    left join step_{{ n_squarings }}
        on variants.variant = step_{{ n_squarings }}.variant and step_{{ n_squarings }}.from_state = '(start)'
    group by variants.variant
),

previous_start_rows as (
    select
        variants.variant,
        coalesce(sum(case when step_{{ n_squarings - 1 }}.to_state = '(conversion)' then step_{{ n_squarings - 1 }}.probability end), cast(0 as double))
            as conversion_probability
    from variants
    left join step_{{ n_squarings - 1 }}
        on variants.variant = step_{{ n_squarings - 1 }}.variant and step_{{ n_squarings - 1 }}.from_state = '(start)'
    group by variants.variant
),

solved as (
    select
        start_rows.variant,
        start_rows.conversion_probability,
        start_rows.unabsorbed_mass,
        abs(start_rows.conversion_probability - previous_start_rows.conversion_probability) as last_change
    from start_rows
    inner join previous_start_rows
        on start_rows.variant = previous_start_rows.variant
),

effects as (
    select
        channel_rows.variant as channel,
        full_chain.conversion_probability,
        channel_rows.conversion_probability as conversion_probability_without,
        case
            when full_chain.conversion_probability > 0
                then 1.0 - channel_rows.conversion_probability / full_chain.conversion_probability
        end as raw_removal_effect,
        greatest(full_chain.last_change, channel_rows.last_change) as last_change,
        greatest(full_chain.unabsorbed_mass, channel_rows.unabsorbed_mass) as unabsorbed_mass
    from solved as channel_rows
    cross join solved as full_chain
    where channel_rows.variant <> '(none)' and full_chain.variant = '(none)'
),

-- Removing a channel can only lower P; a difference below 1e-12 is rounding, not an effect.
rounded as (
    select
        *,
        case when raw_removal_effect < 1e-12 then cast(0 as double) else raw_removal_effect end as removal_effect
    from effects
),

final as (
    select
        channel,
        conversion_probability,
        conversion_probability_without,
        removal_effect,
        case
            when sum(removal_effect) over () > 0 then removal_effect / sum(removal_effect) over ()
            else cast(0 as double)
        end as removal_share,
        last_change,
        unabsorbed_mass,
        {{ n_squarings }} as n_squarings
    from rounded
)

select * from final
