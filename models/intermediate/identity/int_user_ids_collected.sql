{#- Every known user_id with where it was seen; an alias previous_id counts as a user_id only
    if it appears as a user_id somewhere (metrics.md §1). Events are read through their
    (user_id, anonymous_id) pairs. -#}
with events as (
    select
        user_id,
        first_event_at as seen_at
    from {{ ref('int_event_id_pairs') }}
    union all
    select
        user_id,
        last_event_at as seen_at
    from {{ ref('int_event_id_pairs') }}
),

identifies as (
    select
        user_id,
        identified_at as seen_at
    from {{ ref('stg_identifies') }}
    where user_id is not null
),

aliases as (
    select
        user_id,
        aliased_at as seen_at
    from {{ ref('stg_aliases') }}
    where user_id is not null
),

sightings as (
    select * from events
    union all
    select * from identifies
    union all
    select * from aliases
),

final as (
    select
        user_id,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from sightings
    group by user_id
)

select * from final
