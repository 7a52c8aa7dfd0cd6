{#- The persons whose marketing rows (touches, first touch, conversion paths, attribution,
    Markov transition counts) an incremental build replaces: every person of int_persons_affected
    (events, sessions or conversions changed, old and new person_id of a merge or split) plus
    every person whose resolved message clicks differ from the clicks fct_touchpoints holds from
    the previous build (a click can arrive, or reach another person through a new identify,
    while that person's events stay as they were). Both sides of the comparison are small: the
    clicks of int_message_clicks_deduplicated and the message_click rows of fct_touchpoints,
    read without a ref (fct_touchpoints depends on this model). Without a previous
    fct_touchpoints (or in a --full-refresh run) only int_persons_affected is listed; the marts
    then build whole anyway. -#}
{%- set stored = none if flags.FULL_REFRESH else growthlens.existing_model_relation(
    generate_schema_name('marts', none) | trim, 'fct_touchpoints') -%}

with affected as (
    select person_id from {{ ref('int_persons_affected') }}
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

final as (
    select person_id from affected
    union
    select person_id from new_clicks
    union
    select person_id from gone_clicks
)
{%- else %}

final as (
    select distinct person_id from affected
)
{%- endif %}

select * from final
