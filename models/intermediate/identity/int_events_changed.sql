{#- The events an incremental build must place again: every event_id with a valid row staged
    since the last batch carried into int_events_sessionized, with its accepted version now (in
    scope; has_new_version false when it no longer has one) and the version the sessionized
    table holds (old_*; null when the event is new). An event whose accepted version equals the
    stored one in every column is not a change: a later copy that ranks below the accepted one
    replaces nothing. (A row the lookback reads again unchanged keeps its stamp in
    stg_events_checked, so it is not in the batch at all.) In a full
    build it is empty: everything downstream is rebuilt anyway. -#}
{%- set since = growthlens.events_processed_through() -%}
{%- set as_of = growthlens.setting('as_of') -%}
{%- set sessionized = growthlens.existing_model_relation('intermediate', 'int_events_sessionized') -%}
{%- set columns = growthlens.accepted_event_columns() + ['batch_loaded_at'] -%}

with batch as (
    select * from {{ ref('stg_events_checked') }}
    where
        check_reason is null
        and {{ 'batch_loaded_at > ' ~ since if since is not none else 'false' }}
),

changed_ids as (
    select distinct event_id from batch
),

copies as (
    select * from {{ ref('stg_events_copies_ranked') }}
),

copied_ids as (
    select distinct copies.event_id
    from copies
    inner join changed_ids
        on copies.event_id = changed_ids.event_id
),

-- The accepted version of each changed id: its only valid row, or its first-ranked copy.
new_versions as (
    select {% for c in columns %}batch.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    from batch
    where batch.event_id not in (select copied_ids.event_id from copied_ids)
    union all
    select {% for c in columns %}copies.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    from copies
    inner join copied_ids
        on copies.event_id = copied_ids.event_id
    where copies.copy_rank = 1
),

in_scope as (
    select * from new_versions
    {%- if as_of is not none %}
    where event_ts <= {{ growthlens.data_end() }}
    {%- endif %}
),

{%- if since is not none and sessionized is not none %}
old_versions as (
    select
        stored.event_id,
        stored.person_id,
        stored.user_id,
        stored.anonymous_id,
        stored.event_name,
        stored.event_ts,
        coalesce(
            in_scope.event_id is not null and
            {%- for c in columns if c not in ('event_id', 'batch_loaded_at') %}
            stored.{{ c }} is not distinct from in_scope.{{ c }}{{ ' and' if not loop.last }}
            {%- endfor %},
            false
        ) as is_unchanged
    from (
        -- Few of the stored events were staged again: find them on the id column alone, then
        -- read their other columns (macros/rows_where.sql).
        select * from {{ sessionized }}
        where {{ growthlens.rows_where(sessionized, 'event_id in (select changed_ids.event_id from changed_ids)') }}
    ) as stored
    left join in_scope
        on stored.event_id = in_scope.event_id
),
{%- else %}
old_versions as (
    select
        cast(null as string) as event_id,
        cast(null as string) as person_id,
        cast(null as string) as user_id,
        cast(null as string) as anonymous_id,
        cast(null as string) as event_name,
        cast(null as timestamp) as event_ts,
        false as is_unchanged
    where false
),
{%- endif %}

final as (
    select
        coalesce(in_scope.event_id, old_versions.event_id) as event_id,
        in_scope.event_id is not null as has_new_version,
        {%- for c in columns if c != 'event_id' %}
        in_scope.{{ c }},
        {%- endfor %}
        old_versions.person_id as old_person_id,
        old_versions.user_id as old_user_id,
        old_versions.anonymous_id as old_anonymous_id,
        old_versions.event_name as old_event_name,
        old_versions.event_ts as old_event_ts
    from in_scope
    full outer join old_versions
        on in_scope.event_id = old_versions.event_id
    where not coalesce(old_versions.is_unchanged, false)
)

select * from final
