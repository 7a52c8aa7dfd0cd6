{#- A python value as a quoted SQL text literal (single quotes doubled), or null. -#}
{% macro sql_text(value) -%}
    {%- if value is none -%}null{%- else -%}'{{ (value | string).replace("'", "''") }}'{%- endif -%}
{%- endmacro %}
