{#- One row per data-quality check with the number of rows it flags and up to five sample ids.
    Rejected events (one check per reason) and problems that keep the row (bad JSON, unknown
    currency, identify rows without a usable time) are all listed, with 0 when clean. -#}
{%- set reject_reasons = ['missing_event_id', 'missing_event_name', 'missing_event_ts', 'no_identifier',
    'event_ts_in_future', 'event_ts_too_old', 'duplicate_event_id'] -%}

with rejected as (
    select * from {{ ref('rejected_events') }}
),

accepted as (
    select * from {{ ref('stg_events') }}
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

check_names as (
    select
        check_name,
        check_order
    from (
        values
        {%- for reason in reject_reasons %}
        ('rejected_{{ reason }}', {{ loop.index }}),
        {%- endfor %}
        ('malformed_event_properties', 20),
        ('unknown_event_currency', 21),
        ('malformed_identify_traits', 22),
        ('identify_without_timestamp', 23),
        ('unknown_spend_currency', 24),
        ('shared_email', 30),
        ('shared_device', 31)
    ) as check_names (check_name, check_order)
),

flagged as (
    select
        'rejected_' || reject_reason as check_name,
        coalesce(event_id, '(null)') as sample_id
    from rejected
    union all
    select
        'malformed_event_properties' as check_name,
        event_id as sample_id
    from accepted
    where is_properties_malformed
    union all
    select
        'unknown_event_currency' as check_name,
        event_id as sample_id
    from accepted
    where is_unknown_currency
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
        cast(spend_date as varchar) || ' ' || coalesce(currency_code, '') as sample_id
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

samples as (
    select
        check_name,
        max(n_rows) as n_rows,
        {{ dbt.listagg('sample_id', "', '", "order by sample_id") }} as sample_ids
    from numbered
    where sample_rank <= 5
    group by check_name
),

final as (
    select
        check_names.check_name,
        coalesce(samples.n_rows, 0) as n_rows,
        samples.sample_ids,
        check_names.check_order
    from check_names
    left join samples
        on check_names.check_name = samples.check_name
)

select * from final
