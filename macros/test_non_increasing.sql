{#- Generic test: within each group, the column never grows along `order_by` (for example the
    persons of a funnel's steps). -#}
{% test non_increasing(model, column_name, group_by, order_by) %}
with ordered as (
    select
        {{ column_name }} as value,
        lag({{ column_name }}) over (partition by {{ group_by | join(', ') }} order by {{ order_by }}) as previous_value
    from {{ model }}
)

select *
from ordered
where value > previous_value
{% endtest %}
