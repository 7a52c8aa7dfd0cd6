{#- SQL condition: the event (normalised name, JSON properties text) matches a funnel step of
    funnel_specs() (metrics.md §4). Each property is compared as text: the event's JSON value
    rendered by json_text (strings unquoted, booleans true/false, numbers in their JSON form)
    against the configured value written as JSON and rendered by the same json_text, so both
    sides go through one rendering (1.50 in the data and 1.5 in the var both read `1.5`;
    `"1.50"` as a string stays `1.50`). A list of values matches any of them; a null value
    matches an absent or null property. -#}
{% macro funnel_step_condition(step, event_name, properties) -%}
    ({{ event_name }} = {{ growthlens.sql_text(step['event']) }}
    {%- for key, value in step['properties'].items() %}
        {%- set actual = growthlens.json_text(properties, key) %}
        {%- if value is none %}
        and {{ actual }} is null
        {%- elif value is iterable and value is not string and value is not mapping %}
        and {{ actual }} in (
            {%- for item in value -%}
                {{ growthlens.json_text(growthlens.sql_text(tojson({'v': item})), 'v') }}{{ ', ' if not loop.last }}
            {%- endfor -%})
        {%- else %}
        and {{ actual }} = {{ growthlens.json_text(growthlens.sql_text(tojson({'v': value})), 'v') }}
        {%- endif %}
    {%- endfor -%})
{%- endmacro %}
