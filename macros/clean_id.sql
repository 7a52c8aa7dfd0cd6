{#- An identifier with the blocked values of metrics.md §1 turned into null: empty, null,
    undefined, none, nan, anonymous, unknown, -1, and anything made only of '0' and '-'
    (case-insensitive, after trimming any white space). -#}
{% macro clean_id(expr) -%}
    {%- set trimmed = growthlens.trim_whitespace('cast(' ~ expr ~ ' as varchar)') -%}
    case
        when lower({{ trimmed }}) in ('', 'null', 'undefined', 'none', 'nan', 'anonymous', 'unknown', '-1')
            then null
        when regexp_full_match({{ trimmed }}, '[0-]+') then null
        else {{ trimmed }}
    end
{%- endmacro %}
