{#- Activity on shared devices that carries no user_id (anonymous events, identify rows with an
    email only), each given to the person whose link on that device is the latest at or before
    it; activity before the device's first link goes to its first linked person. -#}
with events as (
    select * from {{ ref('int_shared_device_events') }}
    where user_id is null
),

identifies as (
    select * from {{ ref('stg_identifies') }}
    where user_id is null and identified_at is not null
),

devices as (
    select * from {{ ref('int_anonymous_ids_resolved') }}
    where is_shared_device
),

links as (
    select * from {{ ref('int_shared_device_links') }}
),

-- At equal times a link sorts before the activity it explains ("at or before").
timeline as (
    select
        anonymous_id,
        linked_at as happened_at,
        0 as kind,
        root_user_id,
        cast(null as string) as item_type,
        cast(null as string) as item_id
    from links
    union all
    -- already the shared devices' events only
    select
        anonymous_id,
        event_ts as happened_at,
        1 as kind,
        cast(null as string) as root_user_id,
        'event' as item_type,
        event_id as item_id
    from events
    union all
    select
        identifies.anonymous_id,
        identifies.identified_at as happened_at,
        1 as kind,
        cast(null as string) as root_user_id,
        'identify' as item_type,
        identifies.identify_id as item_id
    from identifies
    inner join devices
        on identifies.anonymous_id = devices.anonymous_id
),

carried as (
    select
        *,
        {{ growthlens.last_value_ignore_nulls("root_user_id") }} over (
            partition by anonymous_id
            order by happened_at, kind, root_user_id
            rows between unbounded preceding and current row
        ) as owner_root_user_id
    from timeline
),

final as (
    select
        carried.item_type,
        carried.item_id,
        carried.anonymous_id,
        carried.happened_at,
        coalesce(carried.owner_root_user_id, devices.first_root_user_id) as root_user_id
    from carried
    inner join devices
        on carried.anonymous_id = devices.anonymous_id
    where carried.kind = 1
)

select * from final
