{{ config(**growthlens.rewritten_table()) }}
{#- Links between a device and a person, one row per (anonymous_id, user_id) with the first and
    last time a row showed it. The full timeline of links is kept for shared devices only
    (int_shared_device_links), where it decides who owns each anonymous event. -#}
with link_rows as (
    select
        anonymous_id,
        user_id,
        1 as n_links,
        linked_at as first_linked_at,
        linked_at as last_linked_at
    from {{ ref('int_anonymous_id_link_rows') }}
    where linked_at is not null
    union all
    select
        anonymous_id,
        user_id,
        n_events as n_links,
        first_event_at as first_linked_at,
        last_event_at as last_linked_at
    from {{ ref('int_event_id_pairs') }}
    where anonymous_id is not null
),

user_ids as (
    select * from {{ ref('int_user_ids_clustered') }}
),

per_user as (
    select
        anonymous_id,
        user_id,
        cast(sum(n_links) as bigint) as n_links,
        min(first_linked_at) as first_linked_at,
        max(last_linked_at) as last_linked_at
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
