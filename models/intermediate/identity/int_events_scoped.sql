{{ config(materialized='view') }}

{#- Accepted events up to data end: with the var as_of set, later events are ignored by every
    mart, so everything downstream reads events from here. -#}
{%- set as_of = growthlens.setting('as_of') -%}

with events as (
    select * from {{ ref('stg_events') }}
),

final as (
    select *
    from events
    {%- if as_of is not none %}
    where event_ts <= {{ growthlens.data_end() }}
    {%- endif %}
)

select * from final
