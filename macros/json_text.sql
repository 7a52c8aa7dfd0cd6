{#- The value at top-level `key` of a JSON object text, as text (strings unquoted, booleans
    true/false, numbers as written), null when absent. -#}
{% macro json_text(expr, key) -%}
    {{ return(adapter.dispatch('json_text', 'growthlens')(expr, key)) }}
{%- endmacro %}

{% macro default__json_text(expr, key) -%}
    get_json_object({{ expr }}, '$.{{ key }}')
{%- endmacro %}

{% macro duckdb__json_text(expr, key) -%}
    json_extract_string({{ expr }}, {{ growthlens.sql_text('$."' ~ key ~ '"') }})
{%- endmacro %}
