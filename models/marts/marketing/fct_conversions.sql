{#- Conversions (metrics.md §6): every accepted event named in conversion_events, with the
    session it happened in (whose touch is the path of last resort) and whether it is the
    person's first conversion of that event name. Incremental: conversions depend on the
    person's events only, so the persons of int_persons_affected are replaced whole
    (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}
{%- set conversion_events = growthlens.setting('conversion_events') or [] -%}

-- depends_on: {{ ref('int_persons_affected') }}
with events as (
    select
        event_id,
        person_id,
        session_id,
        event_name,
        revenue,
        event_ts
    from {{ ref('fct_events') }}
    where
        event_name in {{ growthlens.sql_list(conversion_events) }}
        {{ growthlens.person_filter(slice_ids, 'and') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by person_id, event_name
            order by event_ts, event_id
        ) as conversion_rank
    from events
),

final as (
    select
        event_id as conversion_id,
        person_id,
        session_id,
        event_name as conversion_event,
        revenue,
        conversion_rank = 1 as is_first_conversion,
        event_ts as converted_at
    from ranked
)

select * from final
