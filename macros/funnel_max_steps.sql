{#- Widest funnel the marts hold: fct_funnel_persons has one step_<k>_at column per step up to
    this many, so its enforced contract stays fixed whatever funnels the var lists. -#}
{% macro funnel_max_steps() -%}
    {{- return(10) -}}
{%- endmacro %}
