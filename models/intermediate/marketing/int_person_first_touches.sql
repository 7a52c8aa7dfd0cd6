{#- Each person's first touch (metrics.md §2, acquisition): the touch of fct_touchpoints that
    comes first in (touch_ts, touch_type_order, touch_id) order, one row per person with a
    touch. dim_persons takes its acquisition_* columns from here. Incremental: the persons of
    int_marketing_persons_affected are replaced (macros/incremental.sql). -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice('int_marketing_persons_affected')],
) }}
{%- set slice_ids = growthlens.person_slice_ids('marketing') %}

-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_marketing_persons_affected') }}
with touches as (
    select
        touch_id,
        person_id,
        touch_type,
        channel,
        source,
        medium,
        campaign,
        touch_type_order,
        touch_ts
    from {{ ref('fct_touchpoints') }}
    {{ growthlens.person_filter(slice_ids) }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by person_id
            order by touch_ts, touch_type_order, touch_id
        ) as touch_rank
    from touches
),

final as (
    select
        person_id,
        touch_id,
        touch_type,
        channel,
        source,
        medium,
        campaign,
        touch_type_order,
        touch_ts
    from ranked
    where touch_rank = 1
)

select * from final
