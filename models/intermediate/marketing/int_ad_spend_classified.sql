{#- Ad spend with its channel: the row's channel when the loader named one, else the channel
    the rules of seeds/channel_rules.csv give its utm_source / utm_medium (the campaign-parameter
    rules; a spend row has no referrer, so one without utm parameters falls to the last rule). -#}
with spend as (
    select * from {{ ref('stg_ad_spend') }}
),

rules as (
    select * from {{ ref('int_channel_rules_expanded') }}
    where needs_utm = 'any' or operator = 'always'
),

sources as (
    select distinct
        lower(utm_source) as source_key,
        lower(utm_medium) as medium_key
    from spend
    where channel is null
),

matches as (
    select
        sources.source_key,
        sources.medium_key,
        rules.rule_order,
        rules.channel
    from sources
    inner join rules
        on
            rules.operator = 'always'
            or (rules.operator = 'present' and case rules.field
                when 'medium' then sources.medium_key
                when 'source' then sources.source_key
                when 'source_or_medium' then coalesce(sources.medium_key, sources.source_key)
            end is not null)
            or (rules.operator = 'in' and (
                (rules.field in ('medium', 'source_or_medium') and sources.medium_key = rules.match_value)
                or (rules.field in ('source', 'source_or_medium') and sources.source_key = rules.match_value)
            ))
            or (rules.operator = 'contains' and (
                (rules.field in ('medium', 'source_or_medium') and instr(sources.medium_key, rules.match_value) > 0)
                or (rules.field in ('source', 'source_or_medium') and instr(sources.source_key, rules.match_value) > 0)
            ))
),

first_match as (
    select
        source_key,
        medium_key,
        channel,
        row_number() over (partition by source_key, medium_key order by rule_order, channel) as match_rank
    from matches
),

final as (
    select
        coalesce(spend.channel, first_match.channel, 'direct') as channel,
        spend.utm_source,
        spend.utm_medium,
        spend.utm_campaign,
        spend.currency_code,
        spend.spend_original,
        spend.spend,
        spend.impressions,
        spend.clicks,
        spend.channel is null as is_channel_derived,
        spend.is_unknown_currency,
        spend.spend_date
    from spend
    left join first_match
        on
            first_match.match_rank = 1
            and spend.channel is null
            and lower(spend.utm_source) is not distinct from first_match.source_key
            and lower(spend.utm_medium) is not distinct from first_match.medium_key
)

select * from final
