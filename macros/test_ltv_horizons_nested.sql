{#- Generic test: value horizons open in order (metrics.md §8): a longer horizon is never
    observable (not null) while a shorter one is not. Rows breaking it are returned; `columns`
    lists the horizon columns, shortest first. -#}
{% test ltv_horizons_nested(model, columns) %}
select *
from {{ model }}
where
    false
    {%- for i in range(1, columns | length) %}
    or ({{ columns[i - 1] }} is null and {{ columns[i] }} is not null)
    {%- endfor %}
{% endtest %}
