{{ config(
    materialized='incremental',
    incremental_strategy='growthlens_replace',
    incremental_predicates=[
        'growthlens_target.event_date in (select cast(event_ts as date) from growthlens_ref_int_quality_events_changed)'
        ~ ' or (select count(*) from growthlens_ref_int_quality_events_changed where is_everything) > 0'],
    post_hook="{{ growthlens.record_incremental_state() }}",
) }}

{#- Accepted events per event name and UTC day (every name, planned or not), for the volume
    bands of data_quality_issues. Incremental: the days of every valid row of the event_ids
    listed by int_quality_events_changed (the accepted version now and the copies, one of which
    was the accepted version before) are counted again from stg_events, read only within those
    days' time range; rebuilt whole when that table says everything changed. -#}
{%- set incremental = growthlens.quality_incremental() -%}
{%- set day_range = none -%}
{%- if incremental -%}
    {%- set result = run_query('select cast(min(cast(event_ts as date)) as string), cast(max(cast(event_ts as date)) as string) from '
        ~ ref('int_quality_events_changed') ~ ' where not is_everything') -%}
    {%- set day_range = [result.columns[0].values()[0], result.columns[1].values()[0]] -%}
{%- endif %}

-- depends_on: {{ ref('int_quality_events_changed') }}
-- depends_on: {{ ref('tracking_plan') }}
with
{%- if incremental %}
changed_days as (
    select distinct cast(event_ts as date) as event_date
    from {{ ref('int_quality_events_changed') }}
    where not is_everything
),
{%- endif %}

accepted as (
    select
        event_name,
        event_ts
    from {{ ref('stg_events') }}
    {%- if incremental and day_range[0] is none %}
    where false
    {%- elif incremental %}
    -- a literal range first (the scan skips row groups outside it), then the changed days only
    where
        event_ts >= cast('{{ day_range[0] }}' as timestamp)
        and event_ts < cast({{ dbt.dateadd('day', 1, "cast('" ~ day_range[1] ~ "' as timestamp)") }} as timestamp)
        and cast(event_ts as date) in (select changed_days.event_date from changed_days)
    {%- endif %}
),

final as (
    select
        event_name,
        cast(event_ts as date) as event_date,
        count(*) as n_events
    from accepted
    group by event_name, cast(event_ts as date)
)

select * from final
