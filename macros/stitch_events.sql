{#- The person of each event of `events` (a CTE or relation with at least event_id, user_id,
    anonymous_id), as a select of every column of `events` plus root_user_id, person_id,
    person_key and is_identified (metrics.md §1): an event with a user_id belongs to that
    user_id's person; otherwise to its device's person (split in time on shared devices); a
    device linked to nobody is a person of its own. Used by int_events_stitched (every event)
    and by the incremental path of int_events_sessionized (the events it places again); models
    calling it declare `-- depends_on` the three identity models it reads. -#}
{% macro stitch_events(events) -%}
with stitch_resolved as (
    select
        stitch_events_in.*,
        -- Joins stay pure equi-joins (hash joins); which link applies is decided here.
        case
            when stitch_events_in.user_id is not null then stitch_user_ids.root_user_id
            when not stitch_devices.is_shared_device then stitch_devices.first_root_user_id
            else stitch_shared.root_user_id
        end as root_user_id
    from {{ events }} as stitch_events_in
    left join {{ ref('int_user_ids_clustered') }} as stitch_user_ids
        on stitch_events_in.user_id = stitch_user_ids.user_id
    left join {{ ref('int_anonymous_ids_resolved') }} as stitch_devices
        on stitch_events_in.anonymous_id = stitch_devices.anonymous_id
    left join (
        select
            item_id as event_id,
            root_user_id
        from {{ ref('int_shared_device_activity_resolved') }}
        where item_type = 'event'
    ) as stitch_shared
        on stitch_events_in.event_id = stitch_shared.event_id
)

select
    {{ growthlens.hash_id('coalesce(root_user_id, anonymous_id)') }} as person_id,
    coalesce(stitch_resolved.root_user_id, stitch_resolved.anonymous_id) as person_key,
    stitch_resolved.root_user_id is not null as is_identified,
    stitch_resolved.*
from stitch_resolved
{%- endmacro %}
