{#- The full timeline of links on shared devices (linked to more than one person): one row per
    (anonymous_id, person, linked_at). -#}
with link_rows as (
    select * from {{ ref('int_anonymous_id_link_rows') }}
    where linked_at is not null
),

devices as (
    select anonymous_id from {{ ref('int_anonymous_ids_resolved') }}
    where is_shared_device
),

user_ids as (
    select * from {{ ref('int_user_ids_clustered') }}
),

final as (
    select distinct
        link_rows.anonymous_id,
        user_ids.root_user_id,
        link_rows.linked_at
    from link_rows
    inner join devices
        on link_rows.anonymous_id = devices.anonymous_id
    inner join user_ids
        on link_rows.user_id = user_ids.user_id
)

select * from final
