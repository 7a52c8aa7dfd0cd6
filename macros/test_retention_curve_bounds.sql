{#- Generic test: retention curves are sane in every row — active_persons ≤ retained_on_or_after
    ≤ cohort_size, and the "on or after" curve never rises with the period number. -#}
{% test retention_curve_bounds(model, partition_by=['grain', 'cohort_start'], order_by='period_number') %}
with curves as (
    select
        *,
        lag(retained_on_or_after) over (
            partition by {{ partition_by | join(', ') }}
            order by {{ order_by }}
        ) as previous_retained_on_or_after
    from {{ model }}
)

select *
from curves
where
    active_persons < 0
    or active_persons > retained_on_or_after
    or retained_on_or_after > cohort_size
    or retained_on_or_after > previous_retained_on_or_after
{% endtest %}
