{#- The events whose accepted version may have changed since the quality tables
    (int_quality_event_flags, int_quality_daily_volumes) were last built: every event_id with a
    valid row staged since then, with each of its valid rows (is_accepted marks the accepted
    version now; its other copies, one of which may have been the accepted version before, give
    the days whose counts may have moved). An id with one valid row has that row only; an id with
    several has them all in stg_events_copies_ranked. When the quality tables are to be rebuilt
    whole (first build, --full-refresh, a table missing or never logged) it is a single marker
    row with is_everything true. Unlike int_events_changed it ignores as_of: the checks judge
    every accepted event. -#}
{%- set since = growthlens.quality_events_processed_through() -%}
{#- (its fingerprint of the checks reads the seed tracking_plan: hence the depends_on below) -#}
{%- set columns = ['event_id', 'event_name', 'event_name_raw', 'properties', 'is_properties_malformed',
    'is_unknown_currency', 'event_ts'] -%}

-- depends_on: {{ ref('tracking_plan') }}
-- depends_on: {{ ref('stg_events_checked') }}
-- depends_on: {{ ref('stg_events_copies_ranked') }}
{%- if since is none %}

select
    cast(null as string) as event_id,
    cast(null as string) as event_name,
    cast(null as string) as event_name_raw,
    cast(null as string) as properties,
    cast(null as boolean) as is_properties_malformed,
    cast(null as boolean) as is_unknown_currency,
    cast(null as timestamp) as event_ts,
    cast(null as boolean) as is_accepted,
    true as is_everything

{%- else %}

with batch as (
    select {{ columns | join(', ') }}
    from {{ ref('stg_events_checked') }}
    where check_reason is null and batch_loaded_at > {{ since }}
),

changed_ids as (
    select distinct event_id from batch
),

copies as (
    select
        {%- for c in columns %}
        copies.{{ c }},
        {%- endfor %}
        copies.copy_rank
    from {{ ref('stg_events_copies_ranked') }} as copies
    inner join changed_ids
        on copies.event_id = changed_ids.event_id
),

final as (
    select
        {{ columns | join(', ') }},
        true as is_accepted,
        false as is_everything
    from batch
    where event_id not in (select copies.event_id from copies)
    union all
    select
        {{ columns | join(', ') }},
        copy_rank = 1 as is_accepted,
        false as is_everything
    from copies
)

select * from final

{%- endif %}
