{#- "How many took 1–3 days, more, or never?" — sign-ups per time_to_value_bucket
    (within_window = within activation_window_hours, within_3_days = after that but <= 72 h,
    later, never), overall, by persona and by sign-up type (saas: signup_type property).
    `never` includes recent sign-ups who may still activate: compare with is_window_complete. -#}
{%- set signup_type_property = 'signup_type' -%}

with persons as (
    select
        coalesce(persona, '(none)') as persona,
        coalesce({{ growthlens.json_text('signup_properties', signup_type_property) }}, '(none)') as signup_type,
        time_to_value_bucket
    from {{ ref('fct_activation') }}
),

segmented as (
    {#- each person once overall, once under their persona, once under their sign-up type -#}
    {{ growthlens.analysis_breakdown('persons') }}
)

select
    segment_type,
    segment,
    count(*) as signups,
    count(case when time_to_value_bucket = 'within_window' then 1 end) as within_window,
    count(case when time_to_value_bucket = 'within_3_days' then 1 end) as within_3_days,
    count(case when time_to_value_bucket = 'later' then 1 end) as later,
    count(case when time_to_value_bucket = 'never' then 1 end) as never
from segmented
group by segment_type, segment
order by segment_type, segment
