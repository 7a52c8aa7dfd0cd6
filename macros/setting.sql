{#- The value of a growthlens var: the var itself when it is set (dbt_project.yml or --vars,
    where an explicit null is a value too); when it is `from_scenario` (as dbt_project.yml
    declares it), the default of the selected scenario, else the default shared by all.
    Event-name settings come back normalised (metrics.md §0), so models compare like with like. -#}
{% macro setting(name) -%}
    {%- set value = var(name, 'from_scenario') -%}
    {%- if value == 'from_scenario' -%}
        {%- set scenario = var('scenario', 'saas') -%}
        {%- set scenarios = var('growthlens_scenarios', {}) -%}
        {%- if scenario not in scenarios -%}
            {{ exceptions.raise_compiler_error(
                "growthlens: unknown scenario '" ~ scenario ~ "'; choose one of "
                ~ (scenarios.keys() | list | join(', ')) ~ " or set the vars yourself") }}
        {%- endif -%}
        {%- set value = scenarios[scenario].get(name, none) -%}
        {%- if value is none -%}
            {%- set value = var('growthlens_defaults', {}).get(name, none) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if name in ['signup_event', 'activation_event', 'retention_cohort_event'] and value is not none -%}
        {%- set value = growthlens.normalize_name_text(value) -%}
    {%- elif name in ['milestone_events', 'passive_events', 'conversion_events', 'retention_return_events'] and value is not none -%}
        {%- set normalised = [] -%}
        {%- for item in value -%}
            {%- do normalised.append(growthlens.normalize_name_text(item)) -%}
        {%- endfor -%}
        {%- set value = normalised -%}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
