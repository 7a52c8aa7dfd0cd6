{{ config(materialized='view') }}

{#- One row per funnel × person who entered it (metrics.md §4): the entry that reaches the
    furthest step (ties: the earliest entry) and the time of each step it reached. A view over
    int_funnel_entries_chained (incremental per affected person) that adds what depends on the
    data end (is_window_complete; one row of int_data_end_resolved). -#}
{#- step_<k>_at columns: as many as funnel_max_steps() (10), fixed by the enforced contract. -#}

with entries as (
    select * from {{ ref('int_funnel_entries_chained') }}
),

funnels as (
    select distinct
        funnel_index,
        n_steps,
        window_hours,
        window_seconds
    from {{ ref('int_funnel_steps_configured') }}
),

data_end as (
    select data_end_at from {{ ref('int_data_end_resolved') }}
),

final as (
    select
        entries.funnel_name,
        entries.person_id,
        entries.entry_event_id,
        funnels.n_steps,
        entries.furthest_step,
        funnels.window_hours,
        entries.furthest_step = funnels.n_steps as is_completed,
        {{ growthlens.seconds_between('entries.step_1_at', 'data_end.data_end_at') }} >= funnels.window_seconds
            as is_window_complete,
        entries.step_1_at as entered_at,
        entries.step_1_at,
        entries.step_2_at,
        entries.step_3_at,
        entries.step_4_at,
        entries.step_5_at,
        entries.step_6_at,
        entries.step_7_at,
        entries.step_8_at,
        entries.step_9_at,
        entries.step_10_at
    from entries
    inner join funnels
        on entries.funnel_index = funnels.funnel_index
    cross join data_end
)

select * from final
