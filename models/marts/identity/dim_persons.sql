{{ config(**growthlens.rewritten_table(keep_schema_setting=true)) }}
{#- One row per person: identity, first and latest sightings, persona, account, signup,
    acquisition (first touch) and lifecycle. A table rebuilt on every run from small tables only:
    the event-derived columns come from int_persons_summarized (incremental per affected person),
    identity and persona from the user_id clusters and identifies (a new identify can change them
    for a person whose events did not change), acquisition from int_person_first_touches and
    lifecycle from the data end. Written as a difference (macros/incremental.sql,
    rewritten_table). -#}
{%- set persona_trait = growthlens.setting('persona_trait') -%}
{%- set inactive_after_days = growthlens.setting('inactive_after_days') | int -%}

with clusters as (
    select * from {{ ref('int_user_ids_clustered') }}
),

event_stats as (
    select * from {{ ref('int_persons_summarized') }}
),

identifies as (
    select * from {{ ref('int_identifies_resolved') }}
    where person_key is not null
),

first_touch as (
    select * from {{ ref('int_person_first_touches') }}
),

identified_persons as (
    select
        root_user_id as person_key,
        true as is_identified,
        root_user_id as primary_user_id,
        count(*) as n_user_ids
    from clusters
    group by root_user_id
),

anonymous_persons as (
    select
        person_key,
        false as is_identified,
        cast(null as string) as primary_user_id,
        0 as n_user_ids
    from event_stats
    where has_unidentified_events
),

persons as (
    select * from identified_persons
    union all
    select * from anonymous_persons
),

latest_email as (
    select
        person_key,
        email_sha256,
        row_number() over (
            partition by person_key
            order by identified_at desc nulls last, identify_id desc nulls last
        ) as recency_rank
    from identifies
    where email_sha256 is not null
),

latest_persona as (
    select
        person_key,
        {{ growthlens.json_text('traits', persona_trait) }} as persona,
        row_number() over (
            partition by person_key
            order by identified_at desc nulls last, identify_id desc nulls last
        ) as recency_rank
    from identifies
    where {{ growthlens.json_text('traits', persona_trait) }} is not null
),

joined as (
    select
        {{ growthlens.hash_id('persons.person_key') }} as person_id,
        persons.person_key,
        persons.primary_user_id,
        latest_email.email_sha256,
        latest_persona.persona,
        event_stats.account_id,
        first_touch.channel as acquisition_channel,
        first_touch.source as acquisition_source,
        first_touch.medium as acquisition_medium,
        first_touch.campaign as acquisition_campaign,
        persons.n_user_ids,
        coalesce(event_stats.n_anonymous_ids, 0) as n_anonymous_ids,
        coalesce(event_stats.n_events, 0) as n_events,
        persons.is_identified,
        event_stats.first_seen_at,
        event_stats.last_seen_at,
        event_stats.signup_at,
        event_stats.last_active_at
    from persons
    left join event_stats
        on persons.person_key = event_stats.person_key
    left join latest_email
        on persons.person_key = latest_email.person_key and latest_email.recency_rank = 1
    left join latest_persona
        on persons.person_key = latest_persona.person_key and latest_persona.recency_rank = 1
    left join first_touch
        on {{ growthlens.hash_id('persons.person_key') }} = first_touch.person_id
),

data_end as (
    select data_end_at from {{ ref('int_data_end_resolved') }}
),

aged as (
    select
        joined.*,
        cast(floor({{ growthlens.seconds_between('joined.last_active_at', 'data_end.data_end_at') }} / 86400.0) as integer)
            as days_since_last_active
    from joined
    cross join data_end
),

final as (
    select
        person_id,
        person_key,
        primary_user_id,
        email_sha256,
        persona,
        account_id,
        acquisition_channel,
        acquisition_source,
        acquisition_medium,
        acquisition_campaign,
        case
            when last_active_at is null then 'inactive'
            when days_since_last_active <= {{ inactive_after_days }} then 'active'
            else 'inactive'
        end as lifecycle_status,
        n_user_ids,
        n_anonymous_ids,
        n_events,
        days_since_last_active,
        is_identified,
        first_seen_at,
        last_seen_at,
        signup_at,
        last_active_at
    from aged
)

select * from final
