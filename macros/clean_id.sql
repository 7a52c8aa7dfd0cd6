{#- An identifier with the blocked values of metrics.md §1 turned into null: empty, null,
    undefined, none, nan, anonymous, unknown, -1, and anything made only of '0' and '-'. -#}
{% macro clean_id(expr) -%}
    case
        when lower(trim(cast({{ expr }} as varchar))) in ('', 'null', 'undefined', 'none', 'nan', 'anonymous', 'unknown', '-1')
            then null
        when regexp_full_match(trim(cast({{ expr }} as varchar)), '[0-]+') then null
        else trim(cast({{ expr }} as varchar))
    end
{%- endmacro %}
