{#- Transition counts of the first-order Markov chain over channel paths (metrics.md §6), one
    chain over all conversion events: the sums of the per-person counts of
    int_person_transitions_counted (converting paths (start) → c1 → … → cn → (conversion),
    non-converting paths (start) → c1 → … → cn → (null); repeated channels stay as self-loops).
    Rebuilt on every run from that per-person table, so an incremental build never re-reads
    the paths of persons that did not change. -#}
with person_transitions as (
    select * from {{ ref('int_person_transitions_counted') }}
),

final as (
    select
        from_state,
        to_state,
        cast(sum(n_transitions) as bigint) as n_transitions
    from person_transitions
    group by from_state, to_state
)

select * from final
