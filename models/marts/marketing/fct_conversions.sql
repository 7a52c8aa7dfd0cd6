{#- Conversions (metrics.md §6): every accepted event named in conversion_events, with the
    session it happened in (whose touch is the path of last resort) and whether it is the
    person's first conversion of that event name. Incremental: a person's events and sessions
    before rebuild_from did not change, so neither did the conversions before it; the persons of
    int_persons_affected have their conversions from rebuild_from on (all of them when null)
    replaced, and a stored conversion of the same name before it means none of the new ones is
    the first (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_restart_slice('converted_at')],
    follows_sessionizing=true,
) }}
{%- set restarted = growthlens.persons_incremental() %}
{%- set conversion_events = growthlens.setting('conversion_events') or [] -%}

-- depends_on: {{ ref('int_persons_affected') }}
with
{%- if restarted %}
kept as (
    {{ growthlens.person_restart_kept(['person_id', 'conversion_event'], 'converted_at') }}
),

{%- endif %}
events as (
    select
        events.event_id,
        events.person_id,
        events.session_id,
        events.event_name,
        events.revenue,
        events.event_ts
    from {{ growthlens.person_restart_rows(ref('int_events_sessionized'), 'int_persons_affected',
        'event_ts', restarted, condition='{rows}.event_name in ' ~ growthlens.sql_list(conversion_events)) }} as events
),

ranked as (
    select
        events.*,
        row_number() over (
            partition by events.person_id, events.event_name
            order by events.event_ts, events.event_id
        ) = 1
        {%- if restarted %}
        and kept.person_id is null
        {%- endif %}
            as is_first_conversion
    from events
    {%- if restarted %}
    left join kept
        on
            events.person_id = kept.person_id
            and events.event_name = kept.conversion_event
    {%- endif %}
),

final as (
    select
        event_id as conversion_id,
        person_id,
        session_id,
        event_name as conversion_event,
        revenue,
        is_first_conversion,
        event_ts as converted_at
    from ranked
)

select * from final
