{{ config(**growthlens.rewritten_table()) }}
{#- Identify rows with the person they describe: by user_id, else by the device (split in time
    on shared devices), else by an email linked to a person. Rows that reach no person (an
    unlinked device with no events, an email typed with no user_id) have a null person_key. -#}
with identifies as (
    select
        identify_id,
        anonymous_id,
        user_id,
        email,
        email_sha256,
        traits,
        is_traits_malformed,
        identified_at
    from {{ ref('stg_identifies') }}
),

user_ids as (
    select * from {{ ref('int_user_ids_clustered') }}
),

devices as (
    select * from {{ ref('int_anonymous_ids_resolved') }}
),

shared_activity as (
    select distinct
        item_id as identify_id,
        anonymous_id,
        happened_at,
        root_user_id
    from {{ ref('int_shared_device_activity_resolved') }}
    where item_type = 'identify'
),

emails as (
    select * from {{ ref('int_emails_linked') }}
    where not is_over_limit and any_user_id is not null
),

email_roots as (
    select
        emails.email,
        user_ids.root_user_id
    from emails
    inner join user_ids
        on emails.any_user_id = user_ids.user_id
),

-- Devices that are persons of their own (an event of theirs reaches no user_id): the person
-- summaries hold them with the device as person_key, so the events are not scanned here.
anonymous_persons as (
    select person_key as anonymous_id
    from {{ ref('int_persons_summarized') }}
    where has_unidentified_events
),

-- Joins stay pure equi-joins (hash joins); which link applies is decided here.
final as (
    select
        case
            when identifies.user_id is not null then user_ids.root_user_id
            when devices.anonymous_id is not null and not devices.is_shared_device then devices.first_root_user_id
            when devices.anonymous_id is not null then shared_activity.root_user_id
            when anonymous_persons.anonymous_id is not null then anonymous_persons.anonymous_id
            when identifies.anonymous_id is null then email_roots.root_user_id
        end as person_key,
        identifies.*
    from identifies
    left join user_ids
        on identifies.user_id = user_ids.user_id
    left join devices
        on identifies.anonymous_id = devices.anonymous_id
    left join shared_activity
        on
            identifies.anonymous_id = shared_activity.anonymous_id
            and identifies.identified_at = shared_activity.happened_at
            and coalesce(identifies.identify_id, '') = coalesce(shared_activity.identify_id, '')
    left join anonymous_persons
        on identifies.anonymous_id = anonymous_persons.anonymous_id
    left join email_roots
        on identifies.email = email_roots.email
)

select * from final
