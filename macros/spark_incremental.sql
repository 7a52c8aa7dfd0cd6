{#- Incremental builds on Spark (parquet tables, no row-level DELETE).

    The event-volume models use the strategy `growthlens_replace` (macros/incremental.sql):
    delete the slice the model's incremental_predicates name, insert the freshly selected rows.
    On Spark the same result is written with `insert overwrite` on date partitions:

    1. the new rows are materialised (the model's select reads the table's previous rows);
    2. the partitions touched are the partitions of the new rows plus those holding rows of
       the slice (a person re-stitched today may own events in any old partition);
    3. each touched partition is rewritten as its rows outside the slice plus the new rows
       (dynamic partition overwrite leaves every other partition untouched), and a touched
       partition left with no rows is dropped, so no row of the slice survives anywhere.

    A model without partition_by is rewritten whole the same way. The partition column of a
    model is set with growthlens.spark_partition_by(column): none on other engines. -#}

{% macro spark_partition_by(column) -%}
    {{ return(column if target.type == 'spark' else none) }}
{%- endmacro %}


{#- dbt-spark accepts only its own strategies; growthlens_replace is added to them. -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- if raw_strategy == 'growthlens_replace' -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {%- if raw_strategy not in ['append', 'merge', 'insert_overwrite', 'microbatch'] -%}
        {{ exceptions.raise_compiler_error("Invalid incremental strategy provided: " ~ raw_strategy) }}
    {%- endif -%}
    {%- if raw_strategy == 'merge' and file_format not in ['delta', 'iceberg', 'hudi'] -%}
        {{ exceptions.raise_compiler_error("merge needs file_format delta, iceberg or hudi") }}
    {%- endif -%}
    {{ return(raw_strategy) }}
{% endmacro %}


{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {%- if strategy == 'growthlens_replace' -%}
        {{ growthlens.spark_replace_slice_sql(source, target, incremental_predicates) }}
    {%- elif strategy == 'append' -%}
        {{ get_insert_into_sql(source, target) }}
    {%- elif strategy == 'insert_overwrite' -%}
        {{ get_insert_overwrite_sql(source, target, existing) }}
    {%- elif strategy == 'merge' -%}
        {{ get_merge_sql(target, source, unique_key, dest_columns=none, incremental_predicates=incremental_predicates) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("No known SQL for the incremental strategy provided: " ~ strategy) }}
    {%- endif -%}
{% endmacro %}


{#- Runs the preparatory statements and returns the final `insert overwrite`. -#}
{% macro spark_replace_slice_sql(source, target, predicates) %}
    {%- set predicates = predicates or [] -%}
    {%- if predicates | length == 0 -%}
        {{ exceptions.raise_compiler_error("growthlens_replace needs incremental_predicates (the rebuilt slice)") }}
    {%- endif -%}
    {%- set partition_by = config.get('partition_by') -%}
    {%- set partition_column = (partition_by if partition_by is string else partition_by[0]) if partition_by else none -%}
    {%- set new_rows = target.incorporate(path={'identifier': target.identifier ~ '__new_rows'}) -%}
    {%- set kept = target.incorporate(path={'identifier': target.identifier ~ '__rewritten'}) -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}

    {%- do growthlens.replace_work_table(new_rows, 'select * from ' ~ source) -%}
    {%- set in_slice -%}
        coalesce({% for predicate in predicates %}({{ growthlens.resolve_slice_predicate(predicate, target, new_rows) }}){{ ' and ' if not loop.last }}{% endfor %}, false)
    {%- endset -%}

    {%- if partition_column -%}
        {%- set touched_sql -%}
            select distinct cast({{ partition_column }} as string) as part from {{ new_rows }}
            union
            select distinct cast({{ partition_column }} as string) as part from {{ target }} where {{ in_slice }}
        {%- endset -%}
        {%- set touched = run_query(touched_sql).columns[0].values() | list -%}
        {%- set touched_filter -%}
            ({{ partition_column }} in ({% for part in touched if part is not none %}'{{ part }}'{{ ', ' if not loop.last }}{% endfor %}{{ 'null' if touched | reject('none') | list | length == 0 }})
            {%- if none in touched %} or {{ partition_column }} is null{% endif %})
        {%- endset -%}
    {%- else -%}
        {%- set touched = [] -%}
        {%- set touched_filter = 'true' -%}
    {%- endif -%}

    {%- set rewritten_sql -%}
        select {{ columns }} from {{ target }} where {{ touched_filter }} and not {{ in_slice }}
        union all
        select {{ columns }} from {{ new_rows }}
    {%- endset -%}
    {%- do growthlens.replace_work_table(kept, rewritten_sql) -%}

    {%- if partition_column -%}
        {%- do run_query('set spark.sql.sources.partitionOverwriteMode = DYNAMIC') -%}
        {%- set remaining = run_query('select distinct cast(' ~ partition_column ~ ' as string) from ' ~ kept).columns[0].values() | list -%}
        {%- for part in touched if part not in remaining and part is not none -%}
            {%- do run_query('alter table ' ~ target ~ ' drop if exists partition (' ~ partition_column ~ " = '" ~ part ~ "')") -%}
        {%- endfor -%}
        insert overwrite table {{ target }} partition ({{ partition_column }})
        select {{ columns }} from {{ kept }}
    {%- else -%}
        insert overwrite table {{ target }}
        select {{ columns }} from {{ kept }}
    {%- endif -%}
{% endmacro %}


{#- post-hook of every model: on Spark, drop the work tables a model left beside itself
    (<model>__new_rows / __rewritten of growthlens_replace, __previous of previous_state,
    __neighbours / __labels_N of user_id_roots). They are read by the model's own statements, so
    they can only go once the model is written. Nothing to do on other engines. -#}
{% macro drop_work_tables() -%}
    {%- if execute and target.type == 'spark' and model.config.materialized in ['table', 'incremental'] -%}
        {%- set listed = run_query("show tables in " ~ this.schema ~ " like '" ~ this.identifier ~ "__*'") -%}
        {%- for row in listed.rows -%}
            {%- set name = row['tableName'] -%}
            {%- if name.startswith(this.identifier ~ '__') and not row['isTemporary'] -%}
                {%- do run_query('drop table if exists ' ~ this.schema ~ '.' ~ name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
