{{ config(materialized='table') }}

{#- Valid rows whose event_id occurs more than once in raw, ranked: the earliest received wins
    (then the earliest event_ts, then the first by all raw columns as text); copy_rank > 1 rows
    are rejected as duplicate_event_id. Only these few rows are sorted, never the whole stream. -#}
{%- set raw_names = growthlens.raw_event_columns() -%}

with candidates as (
    select * from {{ ref('stg_events_checked') }}
    where is_copy_candidate and check_reason is null
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
