{#- Text with leading and trailing whitespace removed: every Unicode white space (tabs, line
    breaks, no-break spaces, ...), as "blank after trim" means in metrics.md, not only the
    spaces a plain trim() removes. -#}
{% macro trim_whitespace(expr) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'growthlens')(expr)) }}
{%- endmacro %}

{% macro default__trim_whitespace(expr) -%}
    trim({{ expr }})
{%- endmacro %}

{% macro duckdb__trim_whitespace(expr) -%}
    {#- The class is Python's str.isspace(): ASCII controls \t \n \v \f \r and \x1c-\x1f, NEL,
        and the Unicode separators \p{Z}. -#}
    regexp_replace({{ expr }}, '^[\t\n\x0b\f\r\x1c-\x1f\x85\p{Z}]+|[\t\n\x0b\f\r\x1c-\x1f\x85\p{Z}]+$', '', 'g')
{%- endmacro %}

{% macro spark__trim_whitespace(expr) -%}
    {#- The same class as duckdb__; Spark unescapes string literals, so each backslash is doubled. -#}
    regexp_replace({{ expr }}, '^[\\t\\n\\x0b\\f\\r\\x1c-\\x1f\\x85\\p{Z}]+|[\\t\\n\\x0b\\f\\r\\x1c-\\x1f\\x85\\p{Z}]+$', '')
{%- endmacro %}
