{#- For every funnel of the var `funnels` and every person who entered it, the entry that goes
    furthest (ties: the earliest entry), with the time of each step reached (metrics.md §4).

    Linear in the number of events, never a chain of self-joins over a person's history:
    1. keep the events that match any step and, in one window pass in event order
       (event_ts, event_id), count for each step k how many step-k events a person has had up
       to and including each event (step_<k>_count);
    2. the first step-k event strictly after an event with count c is the step-k event whose
       own count is c + 1, so every candidate entry (each step-1 event) is chained step by step
       through equi-joins on (person_id, step_<k>_count): one hash lookup per candidate and
       step, whatever the length of the person's history. An event used for one step can't
       serve the next, since the next match is strictly after it, so a name repeated in
       consecutive steps works;
    3. a step counts when it lies within window_hours of the entry (exactly W passes); event
       times only grow along a chain, so the steps within the window are a prefix;
    4. per person, the candidate with the furthest step wins, ties to the earliest entry. -#}
{%- set funnels = growthlens.funnel_specs() -%}
{%- set max_steps = growthlens.funnel_max_steps() -%}
{%- set all_events = [] -%}
{%- for funnel in funnels -%}
    {%- for event in funnel.events if event not in all_events -%}
        {%- do all_events.append(event) -%}
    {%- endfor -%}
{%- endfor -%}

with events as (
    select
        person_id,
        event_id,
        event_name,
        properties,
        event_ts
    from {{ ref('fct_events') }}
    where event_name in {{ growthlens.sql_list(all_events) }}
),
{%- for funnel in funnels %}
{%- set f = 'funnel_' ~ loop.index %}
{%- set n = funnel.steps | length %}

{{ f }}_matched as (
    select
        person_id,
        event_id,
        event_ts,
        {%- for step in funnel.steps %}
        {{ growthlens.funnel_step_condition(step, 'event_name', 'properties') | indent(8) }} as is_step_{{ step.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from events
    where event_name in {{ growthlens.sql_list(funnel.events) }}
),

{{ f }}_counted as (
    select
        person_id,
        event_id,
        event_ts,
        {%- for k in range(1, n + 1) %}
        is_step_{{ k }}{{ ',' if k < n }}
        {%- endfor %}
        {%- for k in range(2, n + 1) %},
        sum(case when is_step_{{ k }} then 1 else 0 end) over person_history as step_{{ k }}_count
        {%- endfor %}
    from {{ f }}_matched
    where {% for k in range(1, n + 1) %}is_step_{{ k }}{{ ' or ' if not loop.last }}{% endfor %}
    {%- if n > 1 %}
    window person_history as (
        partition by person_id
        order by event_ts, event_id
        rows between unbounded preceding and current row
    )
    {%- endif %}
),

{{ f }}_chained as (
    select
        step_1.person_id,
        step_1.event_id as entry_event_id,
        step_1.event_ts as step_1_at
        {%- for k in range(2, n + 1) %},
        step_{{ k }}.event_ts as step_{{ k }}_candidate_at
        {%- endfor %}
    from {{ f }}_counted as step_1
    {%- for k in range(2, n + 1) %}
    left join {{ f }}_counted as step_{{ k }}
        on step_{{ k - 1 }}.person_id = step_{{ k }}.person_id
        and step_{{ k - 1 }}.step_{{ k }}_count + 1 = step_{{ k }}.step_{{ k }}_count
        and step_{{ k }}.is_step_{{ k }}
    {%- endfor %}
    where step_1.is_step_1
),

{{ f }}_windowed as (
    select
        person_id,
        entry_event_id,
        step_1_at
        {%- for k in range(2, n + 1) %},
        case
            when {{ growthlens.seconds_between('step_1_at', 'step_' ~ k ~ '_candidate_at') }} <= {{ funnel.window_seconds }}
                then step_{{ k }}_candidate_at
        end as step_{{ k }}_at
        {%- endfor %}
    from {{ f }}_chained
),

{{ f }}_ranked as (
    select
        *,
        row_number() over (
            partition by person_id
            order by furthest_step desc, step_1_at, entry_event_id
        ) as entry_rank
    from (
        select
            *,
            1{% for k in range(2, n + 1) %} + case when step_{{ k }}_at is not null then 1 else 0 end{% endfor %} as furthest_step
        from {{ f }}_windowed
    ) as scored
),

{{ f }}_best as (
    select
        {{ growthlens.sql_text(funnel.name) }} as funnel_name,
        person_id,
        entry_event_id,
        {{ n }} as n_steps,
        {{ funnel.window_hours }} as window_hours,
        furthest_step,
        {%- for k in range(1, max_steps + 1) %}
        {{ 'step_' ~ k ~ '_at' if k <= n else 'null' }} as step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ f }}_ranked
    where entry_rank = 1
),
{%- endfor %}

unioned as (
    {%- for funnel in funnels %}
    select * from funnel_{{ loop.index }}_best
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if funnels | length == 0 %}
    select
        null as funnel_name,
        null as person_id,
        null as entry_event_id,
        null as n_steps,
        null as window_hours,
        null as furthest_step,
        {%- for k in range(1, max_steps + 1) %}
        null as step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    where false
    {%- endif %}
),

final as (
    select
        cast(funnel_name as varchar) as funnel_name,
        cast(person_id as varchar) as person_id,
        cast(entry_event_id as varchar) as entry_event_id,
        cast(n_steps as integer) as n_steps,
        cast(furthest_step as integer) as furthest_step,
        cast(window_hours as double) as window_hours,
        {%- for k in range(1, max_steps + 1) %}
        cast(step_{{ k }}_at as timestamp) as step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from unioned
)

select * from final
