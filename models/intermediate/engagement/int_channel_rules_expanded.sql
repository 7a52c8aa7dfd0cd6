{#- The channel rules seed with one row per match value (values are `|`-separated). -#}
with rules as (
    select * from {{ ref('channel_rules') }}
),

positions as (
    select position
    from (values {% for i in range(1, 41) %}({{ i }}){{ ", " if not loop.last }}{% endfor %}) as positions (position)
),

final as (
    select
        rules.rule_order,
        lower(trim(rules.channel)) as channel,
        lower(trim(rules.needs_utm)) as needs_utm,
        lower(trim(rules.field)) as field,
        lower(trim(rules.operator)) as operator,
        nullif(lower(trim({{ growthlens.split_part('rules.match_values', "'|'", 'positions.position') }})), '') as match_value
    from rules
    inner join positions
        on
            positions.position = 1
            or positions.position <= length(rules.match_values) - length(replace(rules.match_values, '|', '')) + 1
)

select * from final
