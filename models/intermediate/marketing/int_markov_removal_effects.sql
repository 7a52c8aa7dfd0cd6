{#- Removal effects of the first-order Markov chain (metrics.md §6), solved exactly in plain
    SQL. The chain's states are (start), the channels, and the absorbing (conversion) and
    (null). Variant `(none)` is the full chain; variant c sends every transition into channel c
    to (null). For every variant at once, the channels are eliminated one by one from the
    transition matrix (Gaussian elimination of the absorbing chain: removing transient state k
    adds p(i→k)·p(k→j)/(1 − p(k→k)) to every p(i→j)), so once every channel is gone
    p((start)→(conversion)) is exactly the absorption probability P. Each elimination step is
    one window pass over the dense matrix of the previous step (no self-join), so the unrolled
    steps form a linear chain (DuckDB computes each step once; Spark needs more analyzer passes,
    see markov_session_settings). max_channels bounds the unrolled steps; a data test fails the
    build when there are more channels than that (raise it here if your rules have more).
    RE(c) = 1 − P_without_c / P; removal_share = RE(c) / Σ RE. -#}
{{ config(pre_hook="{{ growthlens.markov_session_settings() }}") }}
{%- set max_channels = 24 -%}

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
    select
        channel,
        dense_rank() over (order by channel) as channel_rank
    from (
        select distinct from_state as channel
        from transitions
        where from_state <> '(start)'
    ) as distinct_channels
),

variants as (
    select '(none)' as variant
    union all
    select channel as variant from channels
),

from_states as (
    select
        '(start)' as state,
        0 as state_rank
    union all
    select
        channel as state,
        channel_rank as state_rank
    from channels
),

to_states as (
    select
        channel as state,
        channel_rank as state_rank
    from channels
    union all
    select
        '(conversion)' as state,
        0 as state_rank
    union all
    select
        '(null)' as state,
        0 as state_rank
),

-- Variant c: transitions into c go to (null); c itself is never entered, so its row is dropped.
redirected as (
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
),

-- Dense: every (start or channel) × (channel or absorbing) pair, zeros included, so elimination
-- never has to create a row.
step_0 as (
    select
        variants.variant,
        from_states.state as from_state,
        from_states.state_rank as from_rank,
        to_states.state as to_state,
        to_states.state_rank as to_rank,
        coalesce(redirected.probability, cast(0 as double)) as probability
    from variants
    cross join from_states
    cross join to_states
    left join redirected
        on
            variants.variant = redirected.variant
            and from_states.state = redirected.from_state
            and to_states.state = redirected.to_state
),
{%- for k in range(1, max_channels + 1) %}

step_{{ k }} as {{ growthlens.cte_hint(materialized=true) }} (
    select
        variant,
        from_state,
        from_rank,
        to_state,
        to_rank,
        case
            when from_rank = {{ k }} or to_rank = {{ k }} then cast(0 as double)
            when pivot_loop < 1 then probability + into_pivot * out_of_pivot / (1 - pivot_loop)
            else probability
        end as probability
    from (
        select
            *,
            sum(case when to_rank = {{ k }} then probability else 0 end) over (partition by variant, from_state)
                as into_pivot,
            sum(case when from_rank = {{ k }} then probability else 0 end) over (partition by variant, to_state)
                as out_of_pivot,
            sum(case when from_rank = {{ k }} and to_rank = {{ k }} then probability else 0 end) over (
                partition by variant
            ) as pivot_loop
        from step_{{ k - 1 }}
    ) as pivoted
),
{%- endfor %}

solved as (
    select
        variants.variant,
        coalesce(max(step_{{ max_channels }}.probability), cast(0 as double)) as conversion_probability
    from variants
    left join step_{{ max_channels }}
        on
            variants.variant = step_{{ max_channels }}.variant
            and step_{{ max_channels }}.from_state = '(start)'
            and step_{{ max_channels }}.to_state = '(conversion)'
    group by variants.variant
),

n_channels as (
    select count(*) as n_channels from channels
),

effects as (
    select
        channel_rows.variant as channel,
        full_chain.conversion_probability,
        channel_rows.conversion_probability as conversion_probability_without,
        case
            when full_chain.conversion_probability > 0
                then 1.0 - channel_rows.conversion_probability / full_chain.conversion_probability
        end as raw_removal_effect
    from solved as channel_rows
    cross join solved as full_chain
    where channel_rows.variant <> '(none)' and full_chain.variant = '(none)'
),

-- Removing a channel can only lower P; a difference below 1e-12 is rounding, not an effect.
rounded as (
    select
        *,
        case when raw_removal_effect < 1e-12 then cast(0 as double) else raw_removal_effect end
            as removal_effect
    from effects
),

final as (
    select
        rounded.channel,
        rounded.conversion_probability,
        rounded.conversion_probability_without,
        rounded.removal_effect,
        case
            when sum(rounded.removal_effect) over () > 0
                then rounded.removal_effect / sum(rounded.removal_effect) over ()
            else cast(0 as double)
        end as removal_share,
        n_channels.n_channels,
        {{ max_channels }} as max_channels
    from rounded
    cross join n_channels
)

select * from final
