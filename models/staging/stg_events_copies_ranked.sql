{{ config(
    materialized='incremental',
    incremental_predicates=['event_id in (select event_id from growthlens_new_rows)'],
) }}

{#- Valid rows whose event_id occurs more than once among the valid rows, ranked: the earliest
    received wins (then the earliest event_ts, then the first by all raw columns as text);
    copy_rank > 1 rows are rejected as duplicate_event_id. Only these few rows are sorted, never
    the whole stream, and only they are read whole (macros/rows_where.sql). Incremental: the
    event_ids of the valid rows staged since the last sessionized batch are ranked again over
    all their copies, old and new, so a new copy of an event accepted long ago, or one received
    earlier than it, is judged exactly as a full build would judge it. -#}
{%- set raw_names = growthlens.raw_event_columns() -%}
{%- set since = growthlens.events_processed_through() if is_incremental() else none -%}

{#- The checked table is read by narrow semi-joins, never held whole in a shared CTE. -#}
with
{%- if since is not none %}
touched_ids as (
    select distinct event_id
    from {{ ref('stg_events_checked') }}
    where check_reason is null and batch_loaded_at > {{ since }}
),
{%- endif %}

repeated_ids as (
    select event_id
    from {{ ref('stg_events_checked') }}
    where
        check_reason is null
        {%- if since is not none %}
        and event_id in (select touched_ids.event_id from touched_ids)
        {%- endif %}
    group by event_id
    having count(*) > 1
),

candidates as (
    select *
    from {{ ref('stg_events_checked') }}
    where {{ growthlens.rows_where(ref('stg_events_checked'),
        'check_reason is null and event_id in (select repeated_ids.event_id from repeated_ids)') }}
),

final as (
    select
        *,
        row_number() over (
            partition by event_id
            order by
                received_at asc nulls last,
                event_ts asc nulls last
                {%- for name in raw_names %},
                raw_{{ name }} asc nulls last
            {%- endfor %}
        ) as copy_rank
    from candidates
)

select * from final
