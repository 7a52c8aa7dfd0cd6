{#- True when the text `expr` contains a match of the regular expression `pattern_expr` (anchor
    it with ^...$ for a whole-value match); both are SQL expressions. -#}
{% macro regex_matches(expr, pattern_expr) -%}
    {{ return(adapter.dispatch('regex_matches', 'growthlens')(expr, pattern_expr)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern_expr) -%}
    ({{ expr }} rlike {{ pattern_expr }})
{%- endmacro %}

{% macro duckdb__regex_matches(expr, pattern_expr) -%}
    regexp_matches({{ expr }}, {{ pattern_expr }})
{%- endmacro %}
