{#- Deterministic text key (md5 hex) of an expression: stable from build to build. -#}
{% macro hash_id(expr) -%}
    md5(cast({{ expr }} as string))
{%- endmacro %}
