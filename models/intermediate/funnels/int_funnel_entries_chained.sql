{#- For every funnel of the var `funnels` and every person who entered it, the entry that goes
    furthest (ties: the earliest entry), with the time of each step reached (metrics.md §4).

    Linear in the number of events, never a chain of self-joins over a person's history:
    1. keep the events that match a step of a funnel (one row per funnel and event) and, in one
       window pass per funnel and person in event order (event_ts, event_id), count for each
       step k the step-k events up to and including each event (step_<k>_count);
    2. the first step-k event strictly after an event with count c is the step-k event whose
       own count is c + 1, so every candidate entry (each step-1 event) is chained step by step
       through equi-joins on (funnel, person, count): one hash lookup per candidate and step,
       however long the person's history. An event used for one step can't serve the next,
       since the next match is strictly after it, so a name repeated in consecutive steps works;
    3. a step counts when it lies within the window of the entry (exactly W passes); times only
       grow along a chain, so the steps within the window are a prefix;
    4. per funnel and person, the furthest step wins, ties to the earliest entry.
    Incremental: a person's entries depend only on that person's events of the funnels' step
    names, so only the persons whose events moved or whose events of those names changed
    (int_persons_affected narrowed by slice_event_names) replace their rows
    (macros/incremental.sql). A person rebuilt from a time on (rebuild_from) is chained again
    only from the longest funnel window before it (chain_from): an entry older than that
    completes its window before rebuild_from, on events that did not change, so the stored best
    entry still beats every other old entry and competes with the new ones (it comes first in
    time, so it wins ties). When the stored best entry is itself from chain_from on, the best
    old entry is unknown and the person is chained from the whole history. -#}
{%- set funnels = growthlens.funnel_specs() -%}
{%- set max_steps = growthlens.funnel_max_steps() -%}
{%- set n_steps = (funnels | map(attribute='steps') | map('length') | max) if funnels else 1 -%}
{%- set all_events = [] -%}
{%- for funnel in funnels -%}
    {%- for event in funnel.events if event not in all_events -%}
        {%- do all_events.append(event) -%}
    {%- endfor -%}
{%- endfor -%}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
    slice_event_names=all_events,
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}
{#- Whole seconds, rounded up: an earlier chain_from only chains more entries again. -#}
{%- set reach_seconds = (((funnels | map(attribute='window_seconds') | max) if funnels else 0) | round(0, 'ceil') | int) + 1 %}

-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_events_sessionized') }}
with
{%- if slice_ids is not none %}
sliced as (
    select
        sliced_ids.person_id,
        -- null when the person is rebuilt whole
        {{ dbt.dateadd('second', -reach_seconds, 'affected.rebuild_from') }} as chain_from
    from ({{ slice_ids }}) as sliced_ids
    left join {{ ref('int_persons_affected') }} as affected
        on sliced_ids.person_id = affected.person_id
),

stored as (
    select *
    from {{ this }}
    where person_id in (select sliced.person_id from sliced)
),

-- Per person: chained again from chain_from on, or from the whole history (null).
plan as (
    select
        sliced.person_id,
        case when max(stored.step_1_at) < sliced.chain_from or count(stored.person_id) = 0
            then sliced.chain_from
        end as chain_from
    from sliced
    left join stored
        on sliced.person_id = stored.person_id
    group by sliced.person_id, sliced.chain_from
),

-- The stored best entries of the persons chained from a time on: all older than chain_from.
kept as (
    select
        stored.person_id,
        stored.entry_event_id,
        stored.funnel_index,
        {%- for k in range(2, n_steps + 1) %}
            stored.step_{{ k }}_at,
        {%- endfor %}
        stored.step_1_at,
        stored.furthest_step
    from stored
    inner join plan
        on stored.person_id = plan.person_id
    where plan.chain_from is not null
),

{%- endif %}
{%- if slice_ids is not none %}
{%- set recent_from = growthlens.recent_restart_from(ref('int_persons_affected')) %}
{%- set chain_recent_from = dbt.dateadd('second', -reach_seconds, recent_from) if recent_from is not none else none %}

-- The funnel events of the planned persons from their chain_from on (macros/person_rows_from.sql).
events as (
    {{ growthlens.person_rows_from(
        ref('int_events_sessionized'), 'plan',
        ['person_id', 'event_id', 'event_name', 'properties', 'event_ts'],
        'chain_from', '{rows}.event_ts >= affected.chain_from',
        chain_recent_from, '{rows}.event_ts >= ' ~ chain_recent_from,
        rows_condition='{rows}.event_name in ' ~ growthlens.sql_list(all_events)) }}
),
{%- else %}
events as (
    select
        person_id,
        event_id,
        event_name,
        properties,
        event_ts
    from {{ ref('fct_events') }}
    where event_name in {{ growthlens.sql_list(all_events) }}
),
{%- endif %}

funnels as (
    select distinct
        funnel_name,
        funnel_index,
        window_seconds
    from {{ ref('int_funnel_steps_configured') }}
),

matched as (
    {%- for funnel in funnels %}
        select
            person_id,
            event_id,
            {{ loop.index }} as funnel_index,
            {%- for k in range(1, n_steps + 1) %}
                {%- if k <= funnel.steps | length %}
                    {{ growthlens.funnel_step_condition(funnel.steps[k - 1], 'event_name', 'properties') }} as is_step_{{ k }},
                {%- else %}
                    false as is_step_{{ k }},
                {%- endif %}
            {%- endfor %}
            event_ts
        from events
        where event_name in {{ growthlens.sql_list(funnel.events) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
    {%- if funnels | length == 0 %}
        select
            cast(null as string) as person_id,
            cast(null as string) as event_id,
            cast(null as integer) as funnel_index,
            false as is_step_1,
            cast(null as timestamp) as event_ts
        where false
    {%- endif %}
),

counted as (
    select
        person_id,
        event_id,
        funnel_index,
        {%- for k in range(2, n_steps + 1) %}
            sum(case when is_step_{{ k }} then 1 else 0 end) over person_history as step_{{ k }}_count,
        {%- endfor %}
        {%- for k in range(1, n_steps + 1) %}
            is_step_{{ k }},
        {%- endfor %}
        event_ts
    from matched
    where
        {%- for k in range(1, n_steps + 1) %}
            {{ 'or ' if not loop.first }}is_step_{{ k }}
        {%- endfor %}
    window person_history as (
        partition by funnel_index, person_id
        order by event_ts, event_id
        rows between unbounded preceding and current row
    )
),

chained as (
    select
        step_1.person_id,
        step_1.event_id as entry_event_id,
        step_1.funnel_index,
        {%- for k in range(2, n_steps + 1) %}
            step_{{ k }}.event_ts as step_{{ k }}_candidate_at,
        {%- endfor %}
        step_1.event_ts as step_1_at
    from
        counted as step_1
        {%- for k in range(2, n_steps + 1) %}
        left join counted as step_{{ k }}
            on
                step_{{ k - 1 }}.funnel_index = step_{{ k }}.funnel_index
                and step_{{ k - 1 }}.person_id = step_{{ k }}.person_id
                and step_{{ k - 1 }}.step_{{ k }}_count + 1 = step_{{ k }}.step_{{ k }}_count
                and step_{{ k }}.is_step_{{ k }}
            {%- endfor %}
    where step_1.is_step_1
),

windowed as (
    select
        chained.person_id,
        chained.entry_event_id,
        chained.funnel_index,
        {%- for k in range(2, n_steps + 1) %}
            case
                when {{ growthlens.seconds_between('chained.step_1_at', 'chained.step_' ~ k ~ '_candidate_at') }} <= funnels.window_seconds
                    then chained.step_{{ k }}_candidate_at
            end as step_{{ k }}_at,
        {%- endfor %}
        chained.step_1_at
    from chained
    inner join funnels
        on chained.funnel_index = funnels.funnel_index
),

scored as (
    select
        *,
        {%- for k in range(2, n_steps + 1) %}
            case when step_{{ k }}_at is not null then 1 else 0 end +
        {%- endfor %}
        1 as furthest_step
    from windowed
),

candidates as (
    select * from scored
    {%- if slice_ids is not none %}
    union all
    select * from kept
    {%- endif %}
),

ranked as (
    select
        *,
        row_number() over (
            partition by funnel_index, person_id
            order by furthest_step desc, step_1_at asc, entry_event_id asc
        ) as entry_rank
    from candidates
),

final as (
    select
        funnels.funnel_name,
        ranked.person_id,
        ranked.entry_event_id,
        ranked.funnel_index,
        {%- for k in range(1, max_steps + 1) %}
            {%- if k <= n_steps %}
                ranked.step_{{ k }}_at,
            {%- else %}
                cast(null as timestamp) as step_{{ k }}_at,
            {%- endif %}
        {%- endfor %}
        cast(ranked.furthest_step as integer) as furthest_step
    from ranked
    inner join funnels
        on ranked.funnel_index = funnels.funnel_index
    where ranked.entry_rank = 1
)

select * from final
