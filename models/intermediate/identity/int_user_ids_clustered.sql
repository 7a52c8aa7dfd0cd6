{#- Each user_id with its person's root: the smallest user_id connected to it through any
    number of alias and email hops. The recursive walk spreads every label through its
    component in one statement, so a chain of any length converges in a single build. -#}
with recursive user_ids as (
    select user_id from {{ ref('int_user_ids_collected') }}
),

directed_edges as (
    select
        user_id_a as from_id,
        user_id_b as to_id
    from {{ ref('int_user_id_edges') }}
    union
    select
        user_id_b as from_id,
        user_id_a as to_id
    from {{ ref('int_user_id_edges') }}
),

linked_ids as (
    select distinct from_id as user_id from directed_edges
),

-- `union` (not `union all`) drops rows already reached, so cycles end the walk.
reached (user_id, label) as (
    select
        user_id,
        user_id as label
    from linked_ids
    union
    select
        directed_edges.to_id as user_id,
        reached.label
    from reached
    inner join directed_edges
        on reached.user_id = directed_edges.from_id
),

roots as (
    select
        user_id,
        min(label) as root_user_id
    from reached
    group by user_id
),

final as (
    select
        user_ids.user_id,
        coalesce(roots.root_user_id, user_ids.user_id) as root_user_id
    from user_ids
    left join roots
        on user_ids.user_id = roots.user_id
)

select * from final
