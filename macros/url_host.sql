{#- Host of a URL, lower case, without scheme, user info, port or a leading `www.`. -#}
{% macro url_host(expr) -%}
    nullif(regexp_replace(
        regexp_extract(lower(trim({{ expr }})), '^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#]*@)?([^/?#:]*)', 1),
        '^www[.]', ''
    ), '')
{%- endmacro %}
