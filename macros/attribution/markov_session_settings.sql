{#- Session settings the Markov elimination needs (a pre-hook of int_markov_removal_effects):
    Spark's analyzer resolves the unrolled chain of elimination steps one level per pass and
    stops at 100 passes by default, so it gets more; other engines need nothing. -#}
{% macro markov_session_settings() -%}
    {{ return(adapter.dispatch('markov_session_settings', 'growthlens')()) }}
{%- endmacro %}

{% macro default__markov_session_settings() -%}
{%- endmacro %}

{% macro spark__markov_session_settings() -%}
    set spark.sql.analyzer.maxIterations = 1000
{%- endmacro %}
