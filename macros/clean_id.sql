{#- An identifier with the blocked values of metrics.md §1 turned into null: empty, null,
    undefined, none, nan, anonymous, unknown, -1, and anything made only of '0' and '-'
    (case-insensitive, after trimming any white space). -#}
{% macro clean_id(expr) -%}
    {%- set trimmed = growthlens.trim_whitespace('cast(' ~ expr ~ ' as string)') -%}
    case
        when lower({{ trimmed }}) in ('', 'null', 'undefined', 'none', 'nan', 'anonymous', 'unknown', '-1')
            then null
        when {{ growthlens.only_zeros_and_dashes(trimmed) }} then null
        else {{ trimmed }}
    end
{%- endmacro %}

{#- True when a text is made only of '0' and '-' (at least one character). -#}
{% macro only_zeros_and_dashes(expr) -%}
    {{ return(adapter.dispatch('only_zeros_and_dashes', 'growthlens')(expr)) }}
{%- endmacro %}

{% macro default__only_zeros_and_dashes(expr) -%}
    ({{ expr }} rlike '^[0-]+$')
{%- endmacro %}

{% macro duckdb__only_zeros_and_dashes(expr) -%}
    regexp_full_match({{ expr }}, '[0-]+')
{%- endmacro %}
