{#- Daily spend converted to the reporting currency. -#}
{%- set cols = growthlens.raw_columns('ad_spend') -%}

with source as (
    select
        {{ growthlens.raw_col(cols, 'spend_date', 'date') }} as spend_date,
        {{ growthlens.raw_col(cols, 'channel', 'varchar') }} as channel,
        {{ growthlens.raw_col(cols, 'utm_source', 'varchar') }} as utm_source,
        {{ growthlens.raw_col(cols, 'utm_medium', 'varchar') }} as utm_medium,
        {{ growthlens.raw_col(cols, 'utm_campaign', 'varchar') }} as utm_campaign,
        {{ growthlens.raw_col(cols, 'spend', 'double') }} as spend_original,
        {{ growthlens.raw_col(cols, 'currency', 'varchar') }} as currency,
        {{ growthlens.raw_col(cols, 'impressions', 'bigint') }} as impressions,
        {{ growthlens.raw_col(cols, 'clicks', 'bigint') }} as clicks
    from {{ growthlens.raw_from(cols, 'ad_spend') }}
),

fx_rates as (
    select * from {{ ref('stg_fx_rates') }}
),

final as (
    select
        lower(nullif(trim(source.channel), '')) as channel,
        nullif(trim(source.utm_source), '') as utm_source,
        nullif(trim(source.utm_medium), '') as utm_medium,
        nullif(trim(source.utm_campaign), '') as utm_campaign,
        upper(nullif(trim(source.currency), '')) as currency_code,
        source.spend_original,
        case
            when nullif(trim(source.currency), '') is null then source.spend_original
            else source.spend_original * fx_rates.usd_per_unit / fx_rates.reporting_usd_per_unit
        end as spend,
        source.impressions,
        source.clicks,
        nullif(trim(source.currency), '') is not null and fx_rates.currency_code is null as is_unknown_currency,
        source.spend_date
    from source
    left join fx_rates
        on upper(nullif(trim(source.currency), '')) = fx_rates.currency_code
)

select * from final
