{#- SQL twin of normalize_name_text: `Signed Up`, `signed-up` and `signed_up` become one name. -#}
{% macro normalize_event_name(expr) -%}
    trim(regexp_replace(lower(trim({{ expr }})), '[^a-z0-9]+', '_', 'g'), '_')
{%- endmacro %}
