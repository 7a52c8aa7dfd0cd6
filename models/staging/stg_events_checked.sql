{%- set cols = growthlens.raw_columns('events') -%}
{{ config(
    materialized='incremental',
    incremental_predicates=[
        'received_at >= growthlens_staging_cutoff or received_at is null'],
    unchanged_rows_match=growthlens.staged_event_match_columns(),
) }}
{%- set cutoff = growthlens.staging_cutoff() if execute else none -%}

{#- Every raw event row, parsed and judged once, in one pass with no window: check_reason holds
    the first failed check of metrics.md §0 (null when the row is usable). Valid rows whose
    event_id occurs more than once are ranked among themselves by stg_events_copies_ranked;
    stg_events and rejected_events are put together from these two tables, so raw = accepted +
    rejected holds by construction (and is tested). The raw text of every row is kept: a row
    accepted today may lose to a copy that arrives later with an earlier received_at.
    Incremental: the rows received since the latest staged received_at minus
    incremental_lookback_hours (filtered on raw.events.received_at itself, so the scan skips
    older row groups) replace that window. batch_loaded_at stamps the rows this build staged
    first or judged differently: a row read again within the lookback that is staged already,
    exactly as now, keeps the stamp it had, so the next models (which read the rows stamped
    since their last run) find only what changed. Such a row also stays where it is stored
    (unchanged_rows_match, macros/incremental.sql): only the window's other rows are deleted
    and written again. -#}
{%- set raw_names = growthlens.raw_event_columns() -%}
{%- set skew_hours = growthlens.setting('max_clock_skew_hours') | int -%}
{%- set min_event_date = growthlens.setting('min_event_date') -%}

with source as (
    select
        {%- for name in raw_names %}
        {{ growthlens.raw_col(cols, name, 'varchar') }} as raw_{{ name }},
        {%- endfor %}
        {{ growthlens.raw_col(cols, 'event_ts', 'timestamp') }} as event_ts,
        {{ growthlens.raw_col(cols, 'received_at', 'timestamp') }} as received_at,
        {{ growthlens.raw_col(cols, 'revenue', 'double') }} as revenue_original
    from {{ growthlens.raw_from(cols, 'events') }}
    {%- if cutoff is not none %}
    where {{ growthlens.raw_received_filter(cols, cutoff) }}
    {%- endif %}
),

fx_rates as (
    select * from {{ ref('stg_fx_rates') }}
),

parsed as (
    select
        source.*,
        nullif({{ growthlens.trim_whitespace('raw_event_id') }}, '') as event_id,
        nullif({{ growthlens.trim_whitespace('raw_event_name') }}, '') as event_name_raw,
        {{ growthlens.normalize_event_name('raw_event_name') }} as event_name,
        {{ growthlens.clean_id('raw_anonymous_id') }} as anonymous_id,
        {{ growthlens.clean_id('raw_user_id') }} as user_id,
        {{ growthlens.clean_id('raw_account_id') }} as account_id,
        lower(nullif(trim(source.raw_platform), '')) as platform,
        nullif(trim(source.raw_utm_source), '') as utm_source,
        nullif(trim(source.raw_utm_medium), '') as utm_medium,
        nullif(trim(source.raw_utm_campaign), '') as utm_campaign,
        nullif(trim(source.raw_utm_content), '') as utm_content,
        nullif(trim(source.raw_utm_term), '') as utm_term,
        nullif(trim(source.raw_referrer), '') as referrer,
        nullif(trim(source.raw_page_url), '') as page_url,
        upper(nullif(trim(source.raw_currency), '')) as currency_code,
        case
            when source.raw_properties is null then null
            when {{ growthlens.is_json_object('raw_properties') }} then source.raw_properties
        end as properties,
        coalesce(source.raw_properties is not null and not ({{ growthlens.is_json_object('raw_properties') }}), false)
            as is_properties_malformed
    from source
),

judged as (
    select
        *,
        case
            when event_id is null then 'missing_event_id'
            when event_name_raw is null then 'missing_event_name'
            when event_ts is null then 'missing_event_ts'
            when anonymous_id is null and user_id is null then 'no_identifier'
            when event_ts > received_at + interval '{{ skew_hours }} hours' then 'event_ts_in_future'
            when event_ts < timestamp '{{ min_event_date }} 00:00:00' then 'event_ts_too_old'
        end as check_reason
    from parsed
),

checked as (
    select
        judged.event_id,
        judged.event_name,
        judged.event_name_raw,
        judged.anonymous_id,
        judged.user_id,
        judged.account_id,
        judged.platform,
        judged.utm_source,
        judged.utm_medium,
        judged.utm_campaign,
        judged.utm_content,
        judged.utm_term,
        judged.referrer,
        judged.page_url,
        coalesce(judged.currency_code, upper({{ growthlens.sql_text(growthlens.setting('reporting_currency')) }}))
            as currency_code,
        judged.properties,
        judged.check_reason,
        judged.revenue_original,
        case
            when judged.currency_code is null then judged.revenue_original
            else judged.revenue_original * fx_rates.usd_per_unit / fx_rates.reporting_usd_per_unit
        end as revenue,
        judged.is_properties_malformed,
        judged.currency_code is not null and fx_rates.currency_code is null as is_unknown_currency,
        judged.event_ts,
        judged.received_at,
        {%- for name in raw_names %}
        judged.raw_{{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from judged
    left join fx_rates
        on judged.currency_code = fx_rates.currency_code
),

{%- set value_columns = [] -%}
{%- for c in growthlens.accepted_event_columns() -%}
    {%- do value_columns.append(c) -%}
    {%- if c == 'properties' %}{% do value_columns.append('check_reason') %}{% endif -%}
{%- endfor -%}
{%- set match_columns = growthlens.staged_event_match_columns() -%}
{%- if cutoff is not none %}

-- The window's rows as staged before, matched to the rows read now by a hash of match_columns.
-- A row keeps its stamp only when its hash is found once on each side and those columns are
-- equal: a new identical copy of a staged row (its hash found twice now) is new, and so is a
-- row whose hash another row shares, which the next models then find unchanged.
staged_before as (
    select
        {{ match_columns | join(', ') }},
        batch_loaded_at,
        hash({{ match_columns | join(', ') }}) as row_hash
    from {{ this }}
    where {{ growthlens.raw_received_filter({'received_at': 'TIMESTAMP'}, cutoff) }}
),

read_now as {{ growthlens.cte_hint(materialized=false) }} (
    select
        *,
        hash({{ match_columns | join(', ') }}) as row_hash
    from checked
),

single_hashes as (
    select row_hash from staged_before
    group by row_hash
    having count(*) = 1
    intersect
    select row_hash from read_now
    group by row_hash
    having count(*) = 1
),

staged_single as (
    select staged_before.*
    from staged_before
    inner join single_hashes
        on staged_before.row_hash = single_hashes.row_hash
),

{%- endif %}

final as (
    select
        {%- for c in value_columns %}
        read_now.{{ c }},
        {%- endfor %}
        {%- if cutoff is not none %}
        coalesce(
            case when
                {%- for c in match_columns %}
                read_now.{{ c }} is not distinct from staged_single.{{ c }}{{ ' and' if not loop.last }}
                {%- endfor %}
            then staged_single.batch_loaded_at end,
            {{ growthlens.batch_stamp() }}
        ) as batch_loaded_at,
        {%- else %}
        {{ growthlens.batch_stamp() }} as batch_loaded_at,
        {%- endif %}
        {%- for name in raw_names %}
        read_now.raw_{{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    {%- if cutoff is not none %}
    from read_now
    left join staged_single
        on read_now.row_hash = staged_single.row_hash
    {%- else %}
    from checked as read_now
    {%- endif %}
)

select * from final
