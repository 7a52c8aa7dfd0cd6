{#- Whether an event counts as activity (metrics.md §5): one of retention_return_events when
    that var is set, else any event not in passive_events. -#}
{% macro is_return_event(event_name) -%}
    {%- set return_events = growthlens.setting('retention_return_events') -%}
    {%- set passive_events = growthlens.setting('passive_events') or [] -%}
    {%- if return_events is not none -%}
        ({{ event_name }} in {{ growthlens.sql_list(return_events) }})
    {%- elif passive_events | length > 0 -%}
        ({{ event_name }} not in {{ growthlens.sql_list(passive_events) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
