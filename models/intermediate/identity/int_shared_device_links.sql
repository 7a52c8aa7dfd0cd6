{#- The full timeline of links on shared devices (linked to more than one person): one row per
    (anonymous_id, person, linked_at). Their events come from
    int_shared_device_events. -#}
with devices as (
    select anonymous_id from {{ ref('int_anonymous_ids_resolved') }}
    where is_shared_device
),

link_rows as (
    select
        anonymous_id,
        user_id,
        linked_at
    from {{ ref('int_anonymous_id_link_rows') }}
    where linked_at is not null
    union all
    select
        anonymous_id,
        user_id,
        event_ts as linked_at
    from {{ ref('int_shared_device_events') }}
    where user_id is not null and event_ts is not null
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
