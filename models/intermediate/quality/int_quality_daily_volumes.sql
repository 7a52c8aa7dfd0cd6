{{ config(
    materialized='incremental',
    incremental_predicates=[
        'growthlens_target.event_date in (select cast(event_ts as date) from growthlens_ref_int_quality_events_changed)'
        ~ ' or (select count(*) from growthlens_ref_int_quality_events_changed where is_everything) > 0'],
) }}

{#- Accepted events per event name and UTC day (every name, planned or not), for the volume
    bands of data_quality_issues. Incremental: the days of every valid row of the event_ids
    listed by int_quality_events_changed (the accepted version now and the copies, one of which
    was the accepted version before) are counted again from the accepted events (as stg_events, narrower), each day read as a
    literal time range (so the scan skips other row groups); rebuilt whole when that table says
    everything changed. -#}
{%- set incremental = growthlens.quality_incremental() -%}
{#- At most this many changed days are read one by one (each a literal time range, so the scan
    skips the row groups outside it); more are read as one range from the first to the last. -#}
{%- set max_days_read_apart = 31 -%}
{%- set changed_days = [] -%}
{%- if incremental -%}
    {%- set result = run_query('select distinct cast(cast(event_ts as date) as string) from '
        ~ ref('int_quality_events_changed') ~ ' where not is_everything and event_ts is not null') -%}
    {%- for value in result.columns[0].values() | sort -%}
        {%- set next_day = modules.datetime.date.fromisoformat(value) + modules.datetime.timedelta(days=1) -%}
        {%- do changed_days.append([value, next_day.isoformat()]) -%}
    {%- endfor -%}
{%- endif %}

-- depends_on: {{ ref('int_quality_events_changed') }}
-- depends_on: {{ ref('tracking_plan') }}
-- depends_on: {{ ref('stg_events') }}
with
{%- if incremental and changed_days | length > max_days_read_apart %}
changed_days as (
    select distinct cast(event_ts as date) as event_date
    from {{ ref('int_quality_events_changed') }}
    where not is_everything
),
{%- endif %}

accepted as (
    {%- if not incremental %}
    {{ growthlens.accepted_events(['event_name', 'event_ts']) }}
    {%- elif changed_days | length == 0 %}
    {{ growthlens.accepted_events(['event_name', 'event_ts'], 'false') }}
    {%- elif changed_days | length <= max_days_read_apart %}
    {%- for day in changed_days %}
    {{ 'union all' if not loop.first }}
    {{ growthlens.accepted_events(['event_name', 'event_ts'],
        "event_ts >= cast('" ~ day[0] ~ "' as timestamp) and event_ts < cast('" ~ day[1] ~ "' as timestamp)") }}
    {%- endfor %}
    {%- else %}
    {{ growthlens.accepted_events(['event_name', 'event_ts'],
        "event_ts >= cast('" ~ changed_days[0][0] ~ "' as timestamp) and event_ts < cast('" ~ changed_days[-1][1] ~ "' as timestamp)"
        ~ " and cast(event_ts as date) in (select changed_days.event_date from changed_days)") }}
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
