{#- "Where do people drop between install and the home screen?" — the loyalty scenario's
    `install_to_home` funnel (app_installed → app_opened → home_screen_viewed within its window):
    persons per step, who dropped before it, conversion and median time from the previous step. -#}
{%- set funnel_name = 'install_to_home' -%}

select
    step_index,
    step_name,
    persons,
    lag(persons) over (order by step_index) - persons as dropped_before_step,
    round(conversion_from_previous, 4) as conversion_from_previous,
    round(conversion_from_start, 4) as conversion_from_start,
    round(median_seconds_from_previous / 60.0, 1) as median_minutes_from_previous
from {{ ref('agg_funnel_steps') }}
where funnel_name = {{ growthlens.sql_text(funnel_name) }}
order by step_index
