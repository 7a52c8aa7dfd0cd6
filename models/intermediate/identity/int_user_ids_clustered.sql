{#- Each user_id with its person's root: the smallest user_id connected to it through any
    number of alias and email hops (connected components, macro user_id_roots: one recursive
    query on DuckDB, label propagation to a fixed point elsewhere). -#}
with user_ids as (
    select user_id from {{ ref('int_user_ids_collected') }}
),

roots as (
    {{ growthlens.user_id_roots(ref('int_user_id_edges')) }}
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
