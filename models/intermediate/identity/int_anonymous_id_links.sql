{#- Links between a device and a person, one row per (anonymous_id, user_id) with the first and
    last time a row showed it. The full timeline of links is kept for shared devices only
    (int_shared_device_links), where it decides who owns each anonymous event. -#}
with link_rows as (
    select * from {{ ref('int_anonymous_id_link_rows') }}
    where linked_at is not null
),

user_ids as (
    select * from {{ ref('int_user_ids_clustered') }}
),

per_user as (
    select
        anonymous_id,
        user_id,
        count(*) as n_links,
        min(linked_at) as first_linked_at,
        max(linked_at) as last_linked_at
    from link_rows
    group by anonymous_id, user_id
),

final as (
    select
        per_user.anonymous_id,
        per_user.user_id,
        user_ids.root_user_id,
        per_user.n_links,
        per_user.first_linked_at,
        per_user.last_linked_at
    from per_user
    inner join user_ids
        on per_user.user_id = user_ids.user_id
)

select * from final
