{{ config(**growthlens.rewritten_table(keep_schema_setting=true)) }}
{#- One row per identifier (user_id, anonymous_id, email_sha256) with the person it belongs to.
    A shared device is listed with its latest linked person (its other persons are in
    identity_conflicts); an email above the per-email user_id limit is not listed. -#}
with user_ids as (
    select * from {{ ref('int_user_ids_collected') }}
),

clusters as (
    select * from {{ ref('int_user_ids_clustered') }}
),

devices as (
    select * from {{ ref('int_anonymous_ids_resolved') }}
),

identifies as (
    select * from {{ ref('int_identifies_resolved') }}
),

emails as (
    select * from {{ ref('int_emails_linked') }}
    where not is_over_limit
),

user_id_rows as (
    select
        'user_id' as identifier_type,
        user_ids.user_id as identifier_value,
        clusters.root_user_id as person_key,
        user_ids.first_seen_at,
        user_ids.last_seen_at
    from user_ids
    inner join clusters
        on user_ids.user_id = clusters.user_id
),

device_sightings as (
    select
        anonymous_id,
        first_seen_at as seen_at
    from {{ ref('int_device_sightings') }}
    union all
    select
        anonymous_id,
        last_seen_at as seen_at
    from {{ ref('int_device_sightings') }}
    union all
    select
        anonymous_id,
        identified_at as seen_at
    from identifies
    where anonymous_id is not null and person_key is not null
    union all
    select
        anonymous_id,
        first_linked_at as seen_at
    from {{ ref('int_anonymous_id_links') }}
    union all
    select
        anonymous_id,
        last_linked_at as seen_at
    from {{ ref('int_anonymous_id_links') }}
),

device_rows as (
    select
        'anonymous_id' as identifier_type,
        device_sightings.anonymous_id as identifier_value,
        coalesce(max(devices.latest_root_user_id), device_sightings.anonymous_id) as person_key,
        min(device_sightings.seen_at) as first_seen_at,
        max(device_sightings.seen_at) as last_seen_at
    from device_sightings
    left join devices
        on device_sightings.anonymous_id = devices.anonymous_id
    group by device_sightings.anonymous_id
),

email_person as (
    select
        identifies.email,
        identifies.person_key,
        row_number() over (
            partition by identifies.email
            order by identifies.identified_at desc nulls last, identifies.identify_id desc
        ) as recency_rank
    from identifies
    where identifies.email is not null and identifies.person_key is not null
),

email_rows as (
    select
        'email_sha256' as identifier_type,
        emails.email_sha256 as identifier_value,
        coalesce(clusters.root_user_id, email_person.person_key) as person_key,
        emails.first_seen_at,
        emails.last_seen_at
    from emails
    left join clusters
        on emails.any_user_id = clusters.user_id
    left join email_person
        on emails.email = email_person.email and email_person.recency_rank = 1
    where coalesce(clusters.root_user_id, email_person.person_key) is not null
),

all_rows as (
    select * from user_id_rows
    union all
    select * from device_rows
    union all
    select * from email_rows
),

final as (
    select
        identifier_type,
        identifier_value,
        {{ growthlens.hash_id('person_key') }} as person_id,
        first_seen_at,
        last_seen_at
    from all_rows
)

select * from final
