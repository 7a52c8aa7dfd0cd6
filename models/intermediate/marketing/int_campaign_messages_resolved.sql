{#- Message rows of the engagement tool with the person they reach (metrics.md §7): through
    the row's user_id when that user_id belongs to a person, else through its email (as
    SHA-256). A row that reaches nobody (unknown ids, an email shared by too many user_ids)
    keeps a null person_id and counts as unresolved. Persons come from the identity marts'
    identifier list, so a message reaches exactly the person the marts show for that id. -#}
{%- set as_of = growthlens.setting('as_of') -%}

with messages as (
    select * from {{ ref('stg_campaign_messages') }}
),

campaigns as (
    select * from {{ ref('stg_campaigns') }}
),

identifiers as (
    select * from {{ ref('person_identities') }}
),

user_id_persons as (
    select
        identifier_value as user_id,
        person_id
    from identifiers
    where identifier_type = 'user_id'
),

email_persons as (
    select
        identifier_value as email_sha256,
        person_id
    from identifiers
    where identifier_type = 'email_sha256'
),

resolved as (
    select
        coalesce(
            messages.message_event_id,
            {{ growthlens.hash_id(
                "coalesce(messages.campaign_id, '') || '|' || coalesce(messages.user_id, '') || '|'"
                ~ " || coalesce(messages.email_sha256, '') || '|' || coalesce(messages.event_type, '')"
                ~ " || '|' || coalesce(cast(messages.message_at as string), '')") }}
        ) as message_id,
        messages.campaign_id,
        coalesce(user_id_persons.person_id, email_persons.person_id) as person_id,
        messages.user_id,
        messages.email_sha256,
        messages.event_type,
        messages.variant,
        campaigns.channel as campaign_channel,
        campaigns.goal_event,
        campaigns.conversion_window_hours,
        messages.is_control,
        case
            when user_id_persons.person_id is not null then 'user_id'
            when email_persons.person_id is not null then 'email_sha256'
        end as resolved_by,
        messages.message_at
    from messages
    left join user_id_persons
        on messages.user_id = user_id_persons.user_id
    left join email_persons
        on messages.email_sha256 = email_persons.email_sha256
    left join campaigns
        on messages.campaign_id = campaigns.campaign_id
    {%- if as_of is not none %}
    -- With as_of set, nothing after it is seen (metrics.md §0).
    where messages.message_at <= {{ growthlens.data_end() }}
    {%- endif %}
),

final as (
    select
        message_id,
        campaign_id,
        person_id,
        user_id,
        email_sha256,
        event_type,
        variant,
        campaign_channel,
        goal_event,
        resolved_by,
        conversion_window_hours,
        is_control,
        person_id is not null as is_resolved,
        message_at
    from resolved
)

select * from final
