{#- One row per grain (day, week, month), person and local period in which the person has any
    event: whether the person was active in it (a return event), and its revenue. Sparse: a
    period without events has no row. -#}
{%- set grains = ['day', 'week', 'month'] -%}

with person_days as (
    select * from {{ ref('int_person_days_summarized') }}
),

day_periods as (
    select
        'day' as grain,
        person_id,
        n_events,
        n_return_events,
        revenue,
        activity_date as period_start
    from person_days
),

{% for grain in grains if grain != 'day' %}
    {{ grain }}_periods as (
        select
            '{{ grain }}' as grain,
            person_id,
            sum(n_events) as n_events,
            sum(n_return_events) as n_return_events,
            sum(revenue) as revenue,
            {{ growthlens.period_start(grain, 'activity_date') }} as period_start
        from person_days
        group by person_id, {{ growthlens.period_start(grain, 'activity_date') }}
    ),

{% endfor %}
unioned as (
    {%- for grain in grains %}
        select * from {{ grain }}_periods
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        grain,
        person_id,
        cast(n_events as bigint) as n_events,
        cast(n_return_events as bigint) as n_return_events,
        cast(revenue as double) as revenue,
        n_return_events > 0 as is_active,
        period_start
    from unioned
)

select * from final
