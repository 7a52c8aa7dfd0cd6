{#- One row per funnel × person who entered it (metrics.md §4): the entry that reaches the
    furthest step (ties: the earliest entry) and the time of each step it reached. -#}
{%- set max_steps = growthlens.funnel_max_steps() -%}

with entries as (
    select * from {{ ref('int_funnel_entries_chained') }}
),

final as (
    select
        funnel_name,
        person_id,
        entry_event_id,
        n_steps,
        furthest_step,
        window_hours,
        furthest_step = n_steps as is_completed,
        {{ growthlens.seconds_between('step_1_at', growthlens.data_end()) }} >= window_hours * 3600 as is_window_complete,
        step_1_at as entered_at,
        {%- for k in range(1, max_steps + 1) %}
        step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from entries
)

select * from final
