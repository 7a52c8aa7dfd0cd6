{#- "What % invite a teammate before their first workflow?" — overall, by persona and by sign-up
    type. The first workflow is the activation_event; a teammate invitation is the milestone
    `teammate_invited` (saas scenario), counted when it came before the first activation in
    event order. Reported over all sign-ups (someone who invited and never built a workflow
    invited "before") and over activated sign-ups only. -#}
{%- set invite_milestone = 'teammate_invited' -%}
{%- set signup_type_property = 'signup_type' -%}

with activation as (
    select
        person_id,
        coalesce(persona, '(none)') as persona,
        coalesce({{ growthlens.json_text('signup_properties', signup_type_property) }}, '(none)') as signup_type,
        first_activation_at is not null as has_activated
    from {{ ref('fct_activation') }}
),

invites as (
    select
        person_id,
        reached_before_activation
    from {{ ref('fct_milestones') }}
    where milestone = {{ growthlens.sql_text(invite_milestone) }}
),

persons as (
    select
        activation.*,
        coalesce(invites.reached_before_activation, false) as invited_before_first_workflow
    from activation
    left join invites
        on activation.person_id = invites.person_id
),

segmented as (
    {#- each person once overall, once under their persona, once under their sign-up type -#}
    {{ growthlens.analysis_breakdown('persons') }}
)

select
    segment_type,
    segment,
    count(*) as signups,
    count(case when invited_before_first_workflow then 1 end) as invited_before_first_workflow,
    round(avg(case when invited_before_first_workflow then 1.0 else 0.0 end), 4) as pct_of_signups,
    count(case when has_activated then 1 end) as activated,
    count(case when has_activated and invited_before_first_workflow then 1 end) as activated_after_inviting,
    round(
        count(case when has_activated and invited_before_first_workflow then 1 end)
        / nullif(count(case when has_activated then 1 end), 0), 4
    ) as pct_of_activated
from segmented
group by segment_type, segment
order by segment_type, segment
