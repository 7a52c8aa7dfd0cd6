{#- Generic test on a funnel × person table (fct_funnel_persons): furthest_step lies in
    1..n_steps, exactly the steps up to furthest_step have a time, step times never go back,
    every step lies within window_hours of entry, and entered_at is the time of step 1. -#}
{% test funnel_steps_consistent(model) %}
{%- set max_steps = growthlens.funnel_max_steps() -%}
select *
from {{ model }}
where furthest_step < 1
    or furthest_step > n_steps
    or entered_at is distinct from step_1_at
    {%- for k in range(1, max_steps + 1) %}
    or ({{ k }} <= furthest_step) <> (step_{{ k }}_at is not null)
    {%- if k > 1 %}
    or step_{{ k }}_at < step_{{ k - 1 }}_at
    or {{ growthlens.seconds_between('step_1_at', 'step_' ~ k ~ '_at') }} > window_hours * 3600 + 0.000001
    {%- endif %}
    {%- endfor %}
{% endtest %}
