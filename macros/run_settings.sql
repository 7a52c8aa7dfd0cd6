{#- Engine settings for the whole run (an on-run-start hook; nothing on engines without any).
    DuckDB: the common_subplan optimizer is switched off. Since DuckDB 1.5 it materialises a
    subquery that a statement reads twice; growthlens reads the staged and stitched events twice
    on purpose (narrow keys for a window, wide rows joined back once), and materialising them
    wrote every staged row to a temporary result: 26 GB spilled at 100 M events before
    int_events_sessionized finished its first slice, and at 10 M its full build took 26.0 s
    instead of 20.3 s. The setting is process-wide (all of dbt's connections). -#}
{% macro run_settings() -%}
    {{ return(adapter.dispatch('run_settings', 'growthlens')()) }}
{%- endmacro %}

{% macro default__run_settings() -%}
{%- endmacro %}

{% macro duckdb__run_settings() -%}
    set disabled_optimizers = 'common_subplan'
{%- endmacro %}
