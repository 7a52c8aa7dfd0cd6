{#- A list of python values as a SQL tuple of quoted text literals: ('a', 'b').
    An empty list renders as (null), which matches nothing. -#}
{% macro sql_list(values) -%}
    {%- if values | length == 0 -%}
        (null)
    {%- else -%}
        ({%- for v in values -%}{{ growthlens.sql_text(v) }}{{ ", " if not loop.last }}{%- endfor -%})
    {%- endif -%}
{%- endmacro %}
