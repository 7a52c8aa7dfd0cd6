{{ config(materialized='ephemeral') }}

{#- Every row other than an event that links an anonymous_id to a user_id, with its time:
    identify rows carrying both ids, identify rows capturing an email on the device (email
    within the limit and typed with a user_id), and alias rows whose previous_id is not a
    user_id. Events carrying both ids come in as (user_id, anonymous_id) pairs
    (int_event_id_pairs) for the aggregated links, and one by one for shared devices only.
    Inlined into the aggregated links and the shared-device timeline. -#}
with

identifies as (
    select * from {{ ref('stg_identifies') }}
    where anonymous_id is not null
),

aliases as (
    select * from {{ ref('stg_aliases') }}
    where previous_id is not null and user_id is not null
),

user_ids as (
    select * from {{ ref('int_user_ids_clustered') }}
),

emails as (
    select * from {{ ref('int_emails_linked') }}
    where not is_over_limit and any_user_id is not null
),

final as (
    select
        anonymous_id,
        user_id,
        identified_at as linked_at
    from identifies
    where user_id is not null
    union all
    select
        identifies.anonymous_id,
        emails.any_user_id as user_id,
        identifies.identified_at as linked_at
    from identifies
    inner join emails
        on identifies.email = emails.email
    union all
    select
        aliases.previous_id as anonymous_id,
        aliases.user_id,
        aliases.aliased_at as linked_at
    from aliases
    left join user_ids as previous_user
        on aliases.previous_id = previous_user.user_id
    where previous_user.user_id is null
)

select * from final
