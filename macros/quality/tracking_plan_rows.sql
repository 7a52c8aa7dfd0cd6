{#- The rows of the selected tracking plan (seed tracking_plan, plan = plan_name), with event
    names normalised as raw event names are (metrics.md §0): a row with property null lists an
    event, the others its properties. Read by the event checks and the catalogue of checks. -#}
{% macro tracking_plan_rows(plan_name) -%}
    select
        {{ growthlens.normalize_event_name('event_name') }} as event_name,
        property,
        type,
        is_required,
        allowed_values,
        pattern,
        severity,
        description
    from {{ ref('tracking_plan') }}
    where plan = {{ growthlens.sql_text(plan_name) }}
{%- endmacro %}
