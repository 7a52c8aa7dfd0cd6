{#- Compile-time twin of normalize_event_name for names written in vars:
    trim, lower-case, each run of characters outside a-z0-9 becomes '_', outer '_' dropped. -#}
{% macro normalize_name_text(name) -%}
    {%- set re = modules.re -%}
    {%- set lowered = (name | string).strip().lower() -%}
    {{- return(re.sub('[^a-z0-9]+', '_', lowered).strip('_')) -}}
{%- endmacro %}
