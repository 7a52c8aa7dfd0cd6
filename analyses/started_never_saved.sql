{#- "How many started a workflow but never saved it?" — sign-ups who reached the milestone
    `workflow_started` (saas scenario) and have no activation_event (the saved workflow) at or
    after signup, overall, by persona and by sign-up type. -#}
{%- set started_milestone = 'workflow_started' -%}
{%- set signup_type_property = 'signup_type' -%}

with activation as (
    select
        person_id,
        coalesce(persona, '(none)') as persona,
        coalesce({{ growthlens.json_text('signup_properties', signup_type_property) }}, '(none)') as signup_type,
        first_activation_at is null as has_never_activated
    from {{ ref('fct_activation') }}
),

started as (
    select person_id
    from {{ ref('fct_milestones') }}
    where milestone = {{ growthlens.sql_text(started_milestone) }}
),

persons as (
    select
        activation.*,
        started.person_id is not null as has_started
    from activation
    left join started
        on activation.person_id = started.person_id
),

segmented as (
    {#- each person once overall, once under their persona, once under their sign-up type -#}
    {{ growthlens.analysis_breakdown('persons') }}
)

select
    segment_type,
    segment,
    count(*) as signups,
    count(case when has_started then 1 end) as started,
    count(case when has_started and has_never_activated then 1 end) as started_never_saved,
    round(
        count(case when has_started and has_never_activated then 1 end)
        / nullif(count(case when has_started then 1 end), 0), 4
    ) as pct_of_started
from segmented
group by segment_type, segment
order by segment_type, segment
