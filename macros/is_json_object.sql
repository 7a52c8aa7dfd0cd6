{#- True when a text value is a well-formed JSON object (null stays null). -#}
{% macro is_json_object(expr) -%}
    {{ return(adapter.dispatch('is_json_object', 'growthlens')(expr)) }}
{%- endmacro %}

{% macro default__is_json_object(expr) -%}
    (substr(ltrim({{ expr }}), 1, 1) = '{' and get_json_object({{ expr }}, '$') is not null)
{%- endmacro %}

{% macro duckdb__is_json_object(expr) -%}
    (substr(ltrim({{ expr }}), 1, 1) = '{' and json_valid({{ expr }}))
{%- endmacro %}

{% macro spark__is_json_object(expr) -%}
    {#- get_json_object reads single-quoted text ({'a': 1}) as JSON; from_json with
        allowSingleQuotes off is as strict as DuckDB's json_valid on it. -#}
    (substr(ltrim({{ expr }}), 1, 1) = '{'
        and from_json({{ expr }}, 'map<string,string>', map('allowSingleQuotes', 'false')) is not null)
{%- endmacro %}
