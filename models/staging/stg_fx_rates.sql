{#- Currency rates beside the reporting currency's rate: an amount converts as
    amount * usd_per_unit / reporting_usd_per_unit, in that order, as the contract writes it.
    Empty when the reporting currency has no rate (a data test says so). -#}
with rates as (
    select
        upper(trim(currency_code)) as currency_code,
        usd_per_unit
    from {{ ref('fx_rates') }}
),

reporting_rate as (
    select usd_per_unit
    from rates
    where currency_code = upper({{ growthlens.sql_text(growthlens.setting('reporting_currency')) }})
),

final as (
    select
        rates.currency_code,
        rates.usd_per_unit,
        reporting_rate.usd_per_unit as reporting_usd_per_unit
    from rates
    cross join reporting_rate
)

select * from final
