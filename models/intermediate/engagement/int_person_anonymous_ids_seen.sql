{#- One row per person and anonymous_id on the person's events, with the first time it was seen:
    the distinct-count part of int_persons_summarized, which per-day rows can't add up.
    Incremental: the person's events before rebuild_from did not change, so a stored row first
    seen before it stands; the persons' events from rebuild_from on (their whole history when it
    is null) give the other rows, and replace the stored rows from rebuild_from on. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_restart_slice('first_seen_at')],
    follows_sessionizing=true,
) }}
{%- set restarted = growthlens.persons_incremental() %}

-- depends_on: {{ ref('int_persons_affected') }}
with
{%- if restarted %}
kept as (
    {{ growthlens.person_restart_kept(['person_id', 'anonymous_id'], 'first_seen_at') }}
),

{%- endif %}
events as (
    select
        events.person_id,
        events.anonymous_id,
        events.event_ts
    from {{ growthlens.person_restart_rows(ref('int_events_sessionized'), 'int_persons_affected',
        'event_ts', restarted, condition='{rows}.anonymous_id is not null') }} as events
),

seen as (
    select
        person_id,
        anonymous_id,
        min(event_ts) as first_seen_at
    from events
    group by person_id, anonymous_id
),

final as (
    select
        seen.person_id,
        seen.anonymous_id,
        seen.first_seen_at
    from seen
    {%- if restarted %}
    left join kept
        on
            seen.person_id = kept.person_id
            and seen.anonymous_id = kept.anonymous_id
    where kept.person_id is null
    {%- endif %}
)

select * from final
