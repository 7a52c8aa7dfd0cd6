{#- One row per data-quality check with its severity, the number of rows it flags and up to five
    sample ids. The checks come from two seeds: quality_checks (rejected events by reason, and
    problems that keep the row: bad JSON, unknown currency, identify rows without a usable time,
    identity conflicts, events outside the tracking plan, names breaking the naming convention)
    and tracking_plan (per property: missing, wrong JSON type, value outside the allowed set or
    pattern; per event: daily volume below / above a robust band of the same weekday in the four
    weeks before). Every check is listed, with 0 when clean. A table over small tables: the
    per-event checks come from int_quality_event_flags, the daily counts from
    int_quality_daily_volumes and the rejected rows from int_quality_rejected_rows (all three
    kept incrementally) and stg_events_copies_ranked: never a scan of all events. -#}
{%- set plan_name = growthlens.setting('tracking_plan') -%}

-- the rejected rows are staging.rejected_events, read through two small tables (it is built with
-- this mart, as before)
-- depends_on: {{ ref('rejected_events') }}
with rejected_rows as (
    select * from {{ ref('int_quality_rejected_rows') }}
),

-- copies of a repeated event_id that lost the ranking (rejected as duplicate_event_id)
duplicate_copies as (
    select raw_event_id
    from {{ ref('stg_events_copies_ranked') }}
    where copy_rank > 1
),

daily as (
    select * from {{ ref('int_quality_daily_volumes') }}
),

identifies as (
    select * from {{ ref('stg_identifies') }}
),

ad_spend as (
    select * from {{ ref('stg_ad_spend') }}
),

conflicts as (
    select * from {{ ref('identity_conflicts') }}
),

quality_checks as (
    select * from {{ ref('quality_checks') }}
),

plan_rows as (
    {{ growthlens.tracking_plan_rows(plan_name) }}
),

plan_events as (
    select
        event_name,
        severity,
        description
    from plan_rows
    where property is null
),

plan_properties as (
    select * from plan_rows
    where property is not null
),

-- the catalogue of checks: fixed ones first, then those generated from the plan
plan_property_checks as (
    select
        kind || ':' || event_name || '.' || property as check_name,
        'raw.events' as applies_to,
        severity,
        event_name,
        property as property_name,
        kind_description || ' (' || description || ')' as description
    from plan_properties
    inner join (
        values
        ('missing_property', 'required property absent'),
        ('wrong_type', 'property of another JSON type'),
        ('unexpected_value', 'value outside the allowed values'),
        ('pattern_mismatch', 'value not matching the pattern')
    ) as kinds (kind, kind_description)
        on (kind = 'missing_property' and is_required)
        or kind = 'wrong_type'
        or (kind = 'unexpected_value' and allowed_values is not null)
        or (kind = 'pattern_mismatch' and pattern is not null)
),

plan_event_checks as (
    select
        'volume_drop:' || plan_events.event_name as check_name,
        'raw.events' as applies_to,
        plan_events.severity,
        plan_events.event_name,
        cast(null as string) as property_name,
        'daily volume below its band of the four same weekdays before' as description
    from plan_events
    union all
    select
        'volume_spike:' || plan_events.event_name as check_name,
        'raw.events' as applies_to,
        quality_checks.severity,
        plan_events.event_name,
        cast(null as string) as property_name,
        'daily volume above its band of the four same weekdays before' as description
    from plan_events
    cross join quality_checks
    where quality_checks.check_name = 'volume_spike'
),

check_catalogue as (
    select
        check_name,
        applies_to,
        severity,
        cast(null as string) as event_name,
        cast(null as string) as property_name,
        description,
        check_order
    from quality_checks
    -- volume_spike only carries the severity of the per-event spike checks
    where checked_by in ('dbt', 'both') and check_name <> 'volume_spike'
    union all
    select
        check_name,
        applies_to,
        severity,
        event_name,
        property_name,
        description,
        1000 + row_number() over (order by event_name, property_name nulls last, check_name) as check_order
    from (
        select * from plan_property_checks
        union all
        select * from plan_event_checks
    ) as generated
),

-- daily volume bands (UTC days on which any event was accepted)
days as (
    select distinct event_date from daily
),

grid as (
    select
        plan_events.event_name,
        days.event_date,
        cast({{ dbt.dateadd('day', -7, 'days.event_date') }} as date) as date_1w,
        cast({{ dbt.dateadd('day', -14, 'days.event_date') }} as date) as date_2w,
        cast({{ dbt.dateadd('day', -21, 'days.event_date') }} as date) as date_3w,
        cast({{ dbt.dateadd('day', -28, 'days.event_date') }} as date) as date_4w,
        coalesce(daily.n_events, 0) as n_events
    from plan_events
    cross join days
    left join daily
        on plan_events.event_name = daily.event_name
        and days.event_date = daily.event_date
),

-- each judged day with the same weekday one to four weeks before: one two-key equi-join (a day
-- needs all four weeks in the grid, as four inner joins would require)
lags as (
    select
        grid.event_name,
        grid.event_date,
        grid.n_events,
        weeks.weeks_back,
        case weeks.weeks_back
            when 1 then grid.date_1w
            when 2 then grid.date_2w
            when 3 then grid.date_3w
            else grid.date_4w
        end as lag_date
    from grid
    cross join (values (1), (2), (3), (4)) as weeks (weeks_back)
),

history as (
    select
        lags.event_name,
        lags.event_date,
        lags.n_events,
        max(case when lags.weeks_back = 1 then earlier.n_events end) as n_1w,
        max(case when lags.weeks_back = 2 then earlier.n_events end) as n_2w,
        max(case when lags.weeks_back = 3 then earlier.n_events end) as n_3w,
        max(case when lags.weeks_back = 4 then earlier.n_events end) as n_4w
    from lags
    inner join grid as earlier
        on lags.event_name = earlier.event_name and lags.lag_date = earlier.event_date
    group by lags.event_name, lags.event_date, lags.n_events
    having count(*) = 4
),

medians as (
    select
        history.*,
        {{ growthlens.median_of_four('n_1w', 'n_2w', 'n_3w', 'n_4w') }} as median_events
    from history
    -- the latest day is still filling (sessions past midnight, late arrivals): not judged
    inner join (select max(event_date) as latest_date from days) as latest
        on history.event_date < latest.latest_date
),

bands as (
    select
        event_name,
        event_date,
        n_events,
        median_events,
        greatest(
            1.4826 * {{ growthlens.median_of_four(
                'abs(n_1w - median_events)', 'abs(n_2w - median_events)',
                'abs(n_3w - median_events)', 'abs(n_4w - median_events)') }},
            sqrt(median_events),
            {{ growthlens.setting('volume_band_min_relative') }} * median_events
        ) as band_scale
    from medians
),

flagged as (
    -- the rows of staging.rejected_events, by reason
    select
        check_name,
        sample_id
    from rejected_rows
    union all
    select
        'rejected_duplicate_event_id' as check_name,
        coalesce(raw_event_id, '(null)') as sample_id
    from duplicate_copies
    union all
    select
        'volume_drop:' || event_name as check_name,
        cast(event_date as string) as sample_id
    from bands
    where n_events < median_events - {{ growthlens.setting('volume_band_k') }} * band_scale
    union all
    select
        'volume_spike:' || event_name as check_name,
        cast(event_date as string) as sample_id
    from bands
    where n_events > median_events + {{ growthlens.setting('volume_band_k') }} * band_scale
    union all
    select
        'malformed_identify_traits' as check_name,
        coalesce(identify_id, '(null)') as sample_id
    from identifies
    where is_traits_malformed
    union all
    select
        'identify_without_timestamp' as check_name,
        coalesce(identify_id, '(null)') as sample_id
    from identifies
    where identified_at is null
    union all
    select
        'unknown_spend_currency' as check_name,
        cast(spend_date as string) || ' ' || coalesce(currency_code, '') as sample_id
    from ad_spend
    where is_unknown_currency
    union all
    select
        conflict_type as check_name,
        identifier_value as sample_id
    from conflicts
),

numbered as (
    select
        check_name,
        sample_id,
        count(*) over (partition by check_name) as n_rows,
        row_number() over (partition by check_name order by sample_id) as sample_rank
    from flagged
),

-- the per-event checks (int_quality_event_flags, kept incrementally; one row per check and
-- event_id, possibly many): counted, and their five smallest event_ids found by five passes of
-- "the smallest above the previous one" instead of sorting every flagged row
event_flag_sample_1 as (
    select
        check_name,
        count(*) as n_rows,
        min(event_id) as sample_id
    from {{ ref('int_quality_event_flags') }}
    group by check_name
),
{%- for k in range(2, 6) %}

event_flag_sample_{{ k }} as (
    select
        flags.check_name,
        min(flags.event_id) as sample_id
    from {{ ref('int_quality_event_flags') }} as flags
    inner join event_flag_sample_{{ k - 1 }} as previous
        on flags.check_name = previous.check_name
    where flags.event_id > previous.sample_id
    group by flags.check_name
),
{%- endfor %}

ranked_samples as (
    select
        check_name,
        sample_id,
        n_rows
    from numbered
    where sample_rank <= 5
    union all
    select
        check_name,
        sample_id,
        n_rows
    from event_flag_sample_1
    {%- for k in range(2, 6) %}
    union all
    select
        event_flag_sample_{{ k }}.check_name,
        event_flag_sample_{{ k }}.sample_id,
        event_flag_sample_1.n_rows
    from event_flag_sample_{{ k }}
    inner join event_flag_sample_1
        on event_flag_sample_{{ k }}.check_name = event_flag_sample_1.check_name
    {%- endfor %}
),

samples as (
    select
        check_name,
        max(n_rows) as n_rows,
        {{ growthlens.sorted_text_agg('sample_id', "', '") }} as sample_ids
    from ranked_samples
    group by check_name
),

final as (
    select
        check_catalogue.check_name,
        check_catalogue.applies_to,
        check_catalogue.severity,
        check_catalogue.event_name,
        check_catalogue.property_name,
        check_catalogue.description,
        samples.sample_ids,
        coalesce(samples.n_rows, 0) as n_rows,
        cast(check_catalogue.check_order as integer) as check_order,
        coalesce(samples.n_rows, 0) > 0 as has_issues
    from check_catalogue
    left join samples
        on check_catalogue.check_name = samples.check_name
)

select * from final
