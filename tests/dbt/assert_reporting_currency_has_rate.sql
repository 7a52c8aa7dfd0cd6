-- The reporting currency must have a rate in seeds/fx_rates.csv, or no revenue could convert.
select {{ growthlens.sql_text(growthlens.setting('reporting_currency')) }} as missing_reporting_currency
where not exists (
    select 1
    from {{ ref('stg_fx_rates') }}
    where currency_code = upper({{ growthlens.sql_text(growthlens.setting('reporting_currency')) }})
)
