{#- One row per funnel × step (metrics.md §4): persons reaching the step (every entry, window
    complete or not), conversion from the first and from the previous step, and the
    interpolated median time from the previous step. Steps nobody reached have 0 persons.
    Rebuilt whole on every run: it reads only the per-person funnel rows, never events. -#}
{%- set max_steps = growthlens.funnel_max_steps() -%}

with steps as (
    select * from {{ ref('int_funnel_steps_configured') }}
),

funnel_persons as (
    select * from {{ ref('fct_funnel_persons') }}
),

reached as (
    select
        funnel_persons.funnel_name,
        steps.step_index,
        case steps.step_index
            {%- for k in range(2, max_steps + 1) %}
                when {{ k }} then funnel_persons.step_{{ k - 1 }}_at
            {%- endfor %}
        end as previous_step_at,
        case steps.step_index
            {%- for k in range(1, max_steps + 1) %}
                when {{ k }} then funnel_persons.step_{{ k }}_at
            {%- endfor %}
        end as step_at
    from funnel_persons
    inner join steps
        on
            funnel_persons.funnel_name = steps.funnel_name
            and steps.step_index <= funnel_persons.furthest_step
),

step_stats as (
    select
        funnel_name,
        step_index,
        count(*) as persons,
        percentile_cont(0.5) within group (
            order by {{ growthlens.seconds_between('previous_step_at', 'step_at') }}
        ) as median_seconds_from_previous
    from reached
    group by funnel_name, step_index
),

counted as (
    select
        steps.funnel_name,
        steps.step_name,
        steps.step_index,
        coalesce(step_stats.persons, 0) as persons,
        step_stats.median_seconds_from_previous
    from steps
    left join step_stats
        on
            steps.funnel_name = step_stats.funnel_name
            and steps.step_index = step_stats.step_index
),

final as (
    select
        funnel_name,
        step_name,
        step_index,
        persons,
        cast(persons as double)
        / nullif(first_value(persons) over (partition by funnel_name order by step_index), 0)
            as conversion_from_start,
        case
            when step_index = 1 then 1.0
            else
                cast(persons as double)
                / nullif(lag(persons) over (partition by funnel_name order by step_index), 0)
        end as conversion_from_previous,
        median_seconds_from_previous
    from counted
)

select * from final
