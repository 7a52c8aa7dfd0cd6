{#- Identifiers the graph refused to merge through: emails typed with more than
    identity_max_user_ids_per_email user_ids (`shared_email`, they link nothing) and devices
    linked to several persons (`shared_device`, their events are split in time). -#}
with emails as (
    select * from {{ ref('int_emails_linked') }}
    where is_over_limit
),

devices as (
    select * from {{ ref('int_anonymous_ids_resolved') }}
    where is_shared_device
),

device_links as (
    select
        anonymous_id,
        min(first_linked_at) as first_seen_at,
        max(last_linked_at) as last_seen_at
    from {{ ref('int_anonymous_id_links') }}
    group by anonymous_id
),

final as (
    select
        'email_sha256' as identifier_type,
        email_sha256 as identifier_value,
        'shared_email' as conflict_type,
        n_user_ids,
        cast(null as bigint) as n_persons,
        first_seen_at,
        last_seen_at
    from emails
    union all
    select
        'anonymous_id' as identifier_type,
        devices.anonymous_id as identifier_value,
        'shared_device' as conflict_type,
        devices.n_user_ids,
        devices.n_persons,
        device_links.first_seen_at,
        device_links.last_seen_at
    from devices
    inner join device_links
        on devices.anonymous_id = device_links.anonymous_id
)

select * from final
