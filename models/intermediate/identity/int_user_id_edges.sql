{#- Undirected links between two user_ids: alias rows between user_ids, and user_ids that
    typed one email (within the limit; each is linked to the email's smallest user_id, which
    connects them all). -#}
with user_ids as (
    select user_id from {{ ref('int_user_ids_collected') }}
),

aliases as (
    select * from {{ ref('stg_aliases') }}
),

identifies as (
    select * from {{ ref('stg_identifies') }}
),

emails as (
    select * from {{ ref('int_emails_linked') }}
),

alias_edges as (
    select
        aliases.previous_id as user_id_a,
        aliases.user_id as user_id_b
    from aliases
    inner join user_ids
        on aliases.previous_id = user_ids.user_id
    where aliases.user_id is not null
),

email_edges as (
    select
        identifies.user_id as user_id_a,
        emails.any_user_id as user_id_b
    from identifies
    inner join emails
        on identifies.email = emails.email
    where
        identifies.user_id is not null
        and not emails.is_over_limit
),

final as (
    select
        user_id_a,
        user_id_b
    from alias_edges
    where user_id_a <> user_id_b
    union
    select
        user_id_a,
        user_id_b
    from email_edges
    where user_id_a <> user_id_b
)

select * from final
