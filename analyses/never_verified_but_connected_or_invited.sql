{#- "How many never verified their email yet added a connection or invited someone?" — sign-ups
    without the milestone `email_verified` who reached `connection_added` or `teammate_invited`
    (saas scenario milestones, all counted from signup on), overall, by persona and by sign-up
    type. -#}
{%- set verified_milestone = 'email_verified' -%}
{%- set engaged_milestones = ['connection_added', 'teammate_invited'] -%}
{%- set signup_type_property = 'signup_type' -%}

with activation as (
    select
        person_id,
        coalesce(persona, '(none)') as persona,
        coalesce({{ growthlens.json_text('signup_properties', signup_type_property) }}, '(none)') as signup_type
    from {{ ref('fct_activation') }}
),

milestones as (
    select
        person_id,
        max(case when milestone = {{ growthlens.sql_text(verified_milestone) }} then 1 else 0 end) as has_verified,
        max(case when milestone in {{ growthlens.sql_list(engaged_milestones) }} then 1 else 0 end) as has_engaged
    from {{ ref('fct_milestones') }}
    group by person_id
),

persons as (
    select
        activation.*,
        coalesce(milestones.has_verified, 0) = 0 and coalesce(milestones.has_engaged, 0) = 1
            as is_unverified_but_engaged
    from activation
    left join milestones
        on activation.person_id = milestones.person_id
),

segmented as (
    {#- each person once overall, once under their persona, once under their sign-up type -#}
    {{ growthlens.analysis_breakdown('persons') }}
)

select
    segment_type,
    segment,
    count(*) as signups,
    count(case when is_unverified_but_engaged then 1 end) as unverified_but_connected_or_invited,
    round(avg(case when is_unverified_but_engaged then 1.0 else 0.0 end), 4) as pct_of_signups
from segmented
group by segment_type, segment
order by segment_type, segment
