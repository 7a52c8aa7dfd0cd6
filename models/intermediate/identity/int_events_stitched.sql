{{ config(materialized='view') }}

{#- Every in-scope accepted event with its person. An event with a user_id belongs to that
    user_id's person; otherwise to its device's person (split in time on shared devices); a
    device linked to nobody is a person of its own. person_key is the smallest user_id of the
    person, or the anonymous_id of an anonymous person. -#}
with events as (
    select * from {{ ref('int_events_scoped') }}
),

user_ids as (
    select * from {{ ref('int_user_ids_clustered') }}
),

devices as (
    select * from {{ ref('int_anonymous_ids_resolved') }}
),

shared_activity as (
    select
        item_id as event_id,
        root_user_id
    from {{ ref('int_shared_device_activity_resolved') }}
    where item_type = 'event'
),

resolved as (
    select
        events.*,
        -- Joins stay pure equi-joins (hash joins); which link applies is decided here.
        case
            when events.user_id is not null then user_ids.root_user_id
            when not devices.is_shared_device then devices.first_root_user_id
            else shared_activity.root_user_id
        end as root_user_id
    from events
    left join user_ids
        on events.user_id = user_ids.user_id
    left join devices
        on events.anonymous_id = devices.anonymous_id
    left join shared_activity
        on events.event_id = shared_activity.event_id
),

final as (
    select
        {{ growthlens.hash_id('coalesce(root_user_id, anonymous_id)') }} as person_id,
        coalesce(resolved.root_user_id, resolved.anonymous_id) as person_key,
        resolved.root_user_id is not null as is_identified,
        resolved.*
    from resolved
)

select * from final
