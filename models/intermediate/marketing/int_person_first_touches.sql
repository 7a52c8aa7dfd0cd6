{#- Each person's first touch (metrics.md §2, acquisition): the touch of fct_touchpoints that
    comes first in (touch_ts, touch_type_order, touch_id) order, one row per person with a
    touch. dim_persons takes its acquisition_* columns from here. Incremental: fct_touchpoints
    replaced the touches of int_marketing_persons_affected from each person's rebuild_from on,
    and the touches before it stand, so a stored first touch before rebuild_from stays first
    and its row is kept; otherwise the person's first touch is the first of the touches from
    rebuild_from on (there are none before it), and that row replaces it. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_restart_slice('touch_ts', 'int_marketing_persons_affected')],
    follows_sessionizing=true,
) }}
{%- set restarted = growthlens.persons_incremental() %}

-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_marketing_persons_affected') }}
with
{%- if restarted %}
kept as (
    {{ growthlens.person_restart_kept(['person_id'], 'touch_ts', 'int_marketing_persons_affected') }}
),

{%- endif %}
touches as (
    select
        touches.touch_id,
        touches.person_id,
        touches.touch_type,
        touches.channel,
        touches.source,
        touches.medium,
        touches.campaign,
        touches.touch_type_order,
        touches.touch_ts
    {%- if restarted %}
    from {{ growthlens.person_restart_rows(ref('fct_touchpoints'), 'int_marketing_persons_affected',
        'touch_ts') }} as touches
    where touches.person_id not in (select kept.person_id from kept)
    {%- else %}
    from {{ ref('fct_touchpoints') }} as touches
    {%- endif %}
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
