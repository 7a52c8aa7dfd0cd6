{#- Like json_text, for a key given as a SQL expression (e.g. a column of the tracking plan). -#}
{% macro json_text_at(expr, key_expr) -%}
    {{ return(adapter.dispatch('json_text_at', 'growthlens')(expr, key_expr)) }}
{%- endmacro %}

{% macro default__json_text_at(expr, key_expr) -%}
    get_json_object({{ expr }}, concat('$.', {{ key_expr }}))
{%- endmacro %}

{% macro duckdb__json_text_at(expr, key_expr) -%}
    json_extract_string({{ expr }}, '$."' || {{ key_expr }} || '"')
{%- endmacro %}
