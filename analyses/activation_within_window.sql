{#- "What % of sign-ups create their first workflow within 24 hours, and how many create two or
    more?" — overall, by persona and by sign-up type. The first workflow is the
    activation_event and 24 h the activation_window_hours of the scenario; only sign-ups whose
    window is fully observed count, so recent sign-ups don't drag the rate down.
    Sign-up type is a property of the signup event (saas scenario: `signup_type`, invited or
    organic). -#}
{%- set signup_type_property = 'signup_type' -%}

with persons as (
    select
        coalesce(persona, '(none)') as persona,
        coalesce({{ growthlens.json_text('signup_properties', signup_type_property) }}, '(none)') as signup_type,
        is_activated,
        n_activation_events_in_window
    from {{ ref('fct_activation') }}
    where is_window_complete
),

segmented as (
    {#- each person once overall, once under their persona, once under their sign-up type -#}
    {{ growthlens.analysis_breakdown('persons') }}
)

select
    segment_type,
    segment,
    {{ growthlens.sql_text(growthlens.setting('activation_event')) }} as activation_event,
    {{ growthlens.setting('activation_window_hours') }} as window_hours,
    count(*) as signups,
    count(case when is_activated then 1 end) as activated_in_window,
    round(avg(case when is_activated then 1.0 else 0.0 end), 4) as pct_activated_in_window,
    count(case when n_activation_events_in_window >= 2 then 1 end) as two_or_more_in_window,
    round(avg(case when n_activation_events_in_window >= 2 then 1.0 else 0.0 end), 4) as pct_two_or_more_in_window
from segmented
group by segment_type, segment
order by segment_type, segment
