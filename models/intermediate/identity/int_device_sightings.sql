{{ config(
    materialized='incremental',
    incremental_predicates=[
        "anonymous_id in (select anonymous_id from growthlens_ref_int_events_changed where anonymous_id is not null"
        ~ " union select old_anonymous_id from growthlens_ref_int_events_changed where old_anonymous_id is not null)"],
    follows_sessionizing=true,
) }}
{#- One row per anonymous_id seen on in-scope accepted events: when it was first and last seen
    on them. person_identities reads devices' sightings from here rather than from every event.
    Incremental: the anonymous_ids a changed event carries (now or before) are summarised again
    from the sessionized events, so a device whose events all moved away loses its row. -#}
{%- set incremental_run = growthlens.persons_incremental() -%}

-- depends_on: {{ ref('int_events_changed') }}
with events as (
    select
        anonymous_id,
        event_ts
    from {{ ref('int_events_sessionized') }}
    where
        anonymous_id is not null
        {%- if incremental_run %}
        and anonymous_id in (
            select anonymous_id from {{ ref('int_events_changed') }} where anonymous_id is not null
            union
            select old_anonymous_id from {{ ref('int_events_changed') }} where old_anonymous_id is not null
        )
        {%- endif %}
),

final as (
    select
        anonymous_id,
        min(event_ts) as first_seen_at,
        max(event_ts) as last_seen_at
    from events
    group by anonymous_id
)

select * from final
