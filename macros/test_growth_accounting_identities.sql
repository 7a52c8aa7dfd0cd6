{#- Generic test: the growth-accounting identities hold in every period of every grain —
    active = new + retained + resurrected, and churned(t) = active(t−1) − retained(t), with
    active = 0 before the first period. Periods must be consecutive (empty ones included). -#}
{% test growth_accounting_identities(model, grain_column='grain', period_column='period_start') %}
with periods as (
    select
        {{ grain_column }} as grain,
        {{ period_column }} as period_start,
        active,
        new,
        retained,
        resurrected,
        churned,
        coalesce(
            lag(active) over (partition by {{ grain_column }} order by {{ period_column }}),
            0
        ) as previous_active
    from {{ model }}
)

select *
from periods
where
    active <> new + retained + resurrected
    or churned <> previous_active - retained
    or new < 0
    or retained < 0
    or resurrected < 0
    or churned < 0
{% endtest %}
