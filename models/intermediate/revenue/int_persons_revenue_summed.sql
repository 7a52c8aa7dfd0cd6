{#- One row per person with a money event (revenue not null and not zero): revenue summed over
    the events before first_seen_at + 7/30/90/180/365 days and in total, before ltv_gross_margin
    (metrics.md §8). None of it depends on data end (fct_ltv hides the horizons not observable
    yet), so the table is incremental per affected person (macros/incremental.sql): a person's
    first_seen_at and money events change only when the person is affected. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_slice()],
) }}
{%- set slice_ids = growthlens.person_slice_ids() %}
{%- set horizons = [7, 30, 90, 180, 365] %}

-- depends_on: {{ ref('int_persons_affected') }}
with persons as (
    select
        person_id,
        first_seen_at
    from {{ ref('dim_persons') }}
    where
        first_seen_at is not null
        {{ growthlens.person_filter(slice_ids, 'and') }}
),

revenue_events as (
    select
        person_id,
        revenue,
        event_ts
    from {{ ref('int_revenue_events_filtered') }}
    {{ growthlens.person_filter(slice_ids) }}
),

-- Sums over each person's money events, one conditional sum per horizon (an equi-join, no
-- per-horizon rows); a horizon without events is null here.
final as (
    select
        persons.person_id,
        {%- for n in horizons %}
        cast(sum(case
            when revenue_events.event_ts < {{ dbt.dateadd('day', n, 'persons.first_seen_at') }}
                then revenue_events.revenue
        end) as double) as revenue_d{{ n }},
        {%- endfor %}
        cast(sum(revenue_events.revenue) as double) as revenue_total,
        cast(count(*) as bigint) as n_revenue_events
    from persons
    inner join revenue_events
        on persons.person_id = revenue_events.person_id
    group by persons.person_id
)

select * from final
