{#- The persons whose marketing rows (touches, first touch, conversion paths, attribution,
    Markov transition counts) an incremental build replaces: every person of int_persons_affected
    (events, sessions or conversions changed, old and new person_id of a merge or split) plus
    every person whose resolved message clicks differ from the clicks fct_touchpoints holds from
    the previous build (a click can arrive, or reach another person through a new identify,
    while that person's events stay as they were). Both sides of the comparison are small: the
    clicks of int_message_clicks_deduplicated and the message_click rows of fct_touchpoints,
    read without a ref (fct_touchpoints depends on this model). Without a previous
    fct_touchpoints (or in a --full-refresh run) only int_persons_affected is listed; the marts
    then build whole anyway.
    Each person is rebuilt from a time on (rebuild_from; null = whole): the earliest of its
    int_persons_affected rebuild_from and the touch time of each click that came or went. -#}
{%- set stored = none if flags.FULL_REFRESH else growthlens.existing_model_relation(
    generate_schema_name('marts', none) | trim, 'fct_touchpoints') -%}

with affected as (
    select
        person_id,
        rebuild_from
    from {{ ref('int_persons_affected') }}
),

clicks as (
    select
        touch_id,
        person_id,
        channel,
        source,
        medium,
        campaign,
        touch_ts
    from {{ ref('int_message_clicks_deduplicated') }}
),
{%- if stored is not none %}

stored_clicks as (
    select
        touch_id,
        person_id,
        channel,
        source,
        medium,
        campaign,
        touch_ts
    from {{ stored }}
    where touch_type = 'message_click'
),

-- Set differences compare nulls as equal.
new_clicks as (
    select * from clicks
    except
    select * from stored_clicks
),

gone_clicks as (
    select * from stored_clicks
    except
    select * from clicks
),

touches as (
    select person_id, rebuild_from from affected
    union all
    select person_id, touch_ts as rebuild_from from new_clicks
    union all
    select person_id, touch_ts as rebuild_from from gone_clicks
),

final as (
    select
        person_id,
        case when count(*) > count(rebuild_from) then null else min(rebuild_from) end as rebuild_from
    from touches
    group by person_id
)
{%- else %}

final as (
    select
        person_id,
        rebuild_from
    from affected
)
{%- endif %}

select * from final
