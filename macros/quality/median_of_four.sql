{#- Median of four numbers: their sum less the largest and the smallest, halved (plain SQL, so
    the trailing-weeks volume band builds on every warehouse). -#}
{% macro median_of_four(a, b, c, d) -%}
    (({{ a }}) + ({{ b }}) + ({{ c }}) + ({{ d }})
        - greatest({{ a }}, {{ b }}, {{ c }}, {{ d }})
        - least({{ a }}, {{ b }}, {{ c }}, {{ d }})) / 2.0
{%- endmacro %}
