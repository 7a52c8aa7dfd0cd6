{{ config(**growthlens.rewritten_table()) }}
{#- Each linked anonymous_id with the persons it is linked to. A device linked to one person
    belongs to it entirely; a device linked to several (`shared_device`) is split in time
    downstream and never merges them. -#}
with links as (
    select * from {{ ref('int_anonymous_id_links') }}
),

per_person as (
    select
        anonymous_id,
        root_user_id,
        count(distinct user_id) as n_user_ids,
        min(first_linked_at) as first_linked_at,
        max(last_linked_at) as last_linked_at
    from links
    group by anonymous_id, root_user_id
),

ranked as (
    select
        *,
        count(*) over (partition by anonymous_id) as n_persons,
        row_number() over (partition by anonymous_id order by first_linked_at, root_user_id) as first_rank,
        row_number() over (partition by anonymous_id order by last_linked_at desc, root_user_id desc) as last_rank
    from per_person
),

final as (
    select
        anonymous_id,
        max(case when first_rank = 1 then root_user_id end) as first_root_user_id,
        max(case when last_rank = 1 then root_user_id end) as latest_root_user_id,
        cast(sum(n_user_ids) as bigint) as n_user_ids,
        max(n_persons) as n_persons,
        max(n_persons) > 1 as is_shared_device
    from ranked
    group by anonymous_id
)

select * from final
