{#- Emails of identify rows with the number of distinct user_ids typed with them. An email
    shared by more than identity_max_user_ids_per_email user_ids (a junk or shared address)
    links nothing at all. -#}
{%- set max_user_ids = growthlens.setting('identity_max_user_ids_per_email') | int -%}

with identifies as (
    select * from {{ ref('stg_identifies') }}
    where email is not null
),

final as (
    select
        email,
        min(email_sha256) as email_sha256,
        count(distinct user_id) as n_user_ids,
        min(user_id) as any_user_id,
        count(distinct user_id) > {{ max_user_ids }} as is_over_limit,
        min(identified_at) as first_seen_at,
        max(identified_at) as last_seen_at
    from identifies
    group by email
)

select * from final
