{{ config(materialized='table') }}

{#- Every raw event row, parsed and judged once: reject_reason is null for the accepted copy of
    each event_id. stg_events and rejected_events are the two halves of this table, so
    raw = accepted + rejected holds by construction (and is tested). -#}
{%- set cols = growthlens.raw_columns('events') -%}
{%- set raw_names = ['event_id', 'event_name', 'event_ts', 'received_at', 'anonymous_id', 'user_id',
    'account_id', 'platform', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
    'referrer', 'page_url', 'revenue', 'currency', 'properties'] -%}
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
),

fx_rates as (
    select
        upper(trim(currency_code)) as currency_code,
        usd_per_unit
    from {{ ref('fx_rates') }}
),

reporting_rate as (
    select usd_per_unit
    from fx_rates
    where currency_code = upper({{ growthlens.sql_text(growthlens.setting('reporting_currency')) }})
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
        lower(nullif(trim(raw_platform), '')) as platform,
        nullif(trim(raw_utm_source), '') as utm_source,
        nullif(trim(raw_utm_medium), '') as utm_medium,
        nullif(trim(raw_utm_campaign), '') as utm_campaign,
        nullif(trim(raw_utm_content), '') as utm_content,
        nullif(trim(raw_utm_term), '') as utm_term,
        nullif(trim(raw_referrer), '') as referrer,
        nullif(trim(raw_page_url), '') as page_url,
        upper(nullif(trim(raw_currency), '')) as currency_code,
        case
            when raw_properties is null then null
            when {{ growthlens.is_json_object('raw_properties') }} then raw_properties
        end as properties,
        coalesce(raw_properties is not null and not ({{ growthlens.is_json_object('raw_properties') }}), false)
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

repeated_ids as (
    select event_id
    from judged
    where check_reason is null
    group by event_id
    having count(*) > 1
),

candidates as (
    select
        judged.*,
        judged.check_reason is null and repeated_ids.event_id is not null as is_repeated_id
    from judged
    left join repeated_ids
        on judged.event_id = repeated_ids.event_id
),

-- Among valid copies of one event_id the earliest received wins (then earliest event_ts, then
-- the first by all raw columns as text); the rest are duplicates. Only repeated ids are ranked.
ranked_copies as (
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
    where is_repeated_id
),

unique_rows as (
    select *, 1 as copy_rank
    from candidates
    where not is_repeated_id
),

all_rows as (
    select * from unique_rows
    union all
    select * from ranked_copies
),

decided as (
    select
        all_rows.event_id,
        all_rows.event_name,
        all_rows.event_name_raw,
        all_rows.anonymous_id,
        all_rows.user_id,
        all_rows.account_id,
        all_rows.platform,
        all_rows.utm_source,
        all_rows.utm_medium,
        all_rows.utm_campaign,
        all_rows.utm_content,
        all_rows.utm_term,
        all_rows.referrer,
        all_rows.page_url,
        coalesce(all_rows.currency_code, upper({{ growthlens.sql_text(growthlens.setting('reporting_currency')) }}))
            as currency_code,
        all_rows.properties,
        coalesce(all_rows.check_reason, case when all_rows.copy_rank > 1 then 'duplicate_event_id' end)
            as reject_reason,
        all_rows.revenue_original,
        case
            when all_rows.currency_code is null then all_rows.revenue_original
            else all_rows.revenue_original * fx_rates.usd_per_unit / (select usd_per_unit from reporting_rate)
        end as revenue,
        all_rows.is_properties_malformed,
        all_rows.currency_code is not null and fx_rates.currency_code is null as is_unknown_currency,
        all_rows.event_ts,
        all_rows.received_at,
        {%- for name in raw_names %}
        all_rows.raw_{{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from all_rows
    left join fx_rates
        on all_rows.currency_code = fx_rates.currency_code
),

-- The raw text is kept only where it is needed: on rejected rows.
final as (
    select
        * exclude ({% for name in raw_names %}raw_{{ name }}{{ ", " if not loop.last }}{% endfor %}),
        {%- for name in raw_names %}
        case when reject_reason is not null then raw_{{ name }} end as raw_{{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from decided
)

select * from final
