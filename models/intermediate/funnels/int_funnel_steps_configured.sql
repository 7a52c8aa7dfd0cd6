{{ config(materialized='view') }}

{#- One row per funnel × step of the var `funnels`, so the marts can show every step of a
    funnel, including steps nobody reached. A view: a few literal rows, nothing to write on
    each run. -#}
{%- set funnels = growthlens.funnel_specs() -%}

with steps as (
    {%- for funnel in funnels %}
        {%- set funnel_loop = loop %}
        {%- for step in funnel.steps %}
            select
                {{ funnel_loop.index }} as funnel_index,
                {{ growthlens.sql_text(funnel.name) }} as funnel_name,
                {{ step.index }} as step_index,
                {{ growthlens.sql_text(step.name) }} as step_name,
                {{ growthlens.sql_text(step.event) }} as step_event,
                {{ growthlens.sql_text(tojson(step.properties) if step.properties else none) }} as step_properties,
                {{ funnel.steps | length }} as n_steps,
                {{ funnel.window_hours }} as window_hours,
                {{ funnel.window_seconds }} as window_seconds
            {%- if not (funnel_loop.last and loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
    {%- if funnels | length == 0 %}
        select
            null as funnel_index,
            null as funnel_name,
            null as step_index,
            null as step_name,
            null as step_event,
            null as step_properties,
            null as n_steps,
            null as window_hours,
            null as window_seconds
        where false
    {%- endif %}
),

final as (
    select
        cast(funnel_name as string) as funnel_name,
        cast(step_name as string) as step_name,
        cast(step_event as string) as step_event,
        cast(step_properties as string) as step_properties,
        cast(funnel_index as integer) as funnel_index,
        cast(step_index as integer) as step_index,
        cast(n_steps as integer) as n_steps,
        cast(window_hours as double) as window_hours,
        cast(window_seconds as double) as window_seconds
    from steps
)

select * from final
