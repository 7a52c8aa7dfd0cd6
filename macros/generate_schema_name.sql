{#- Models land in the schema named in their config (staging, intermediate, marts) exactly,
    with no target-schema prefix, so BI tools and the library find them by fixed names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
