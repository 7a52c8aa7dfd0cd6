{#- Reading the tracking plan's properties with paths and patterns fixed at compile time
    (int_quality_event_flags): `names` / `patterns` are the plan's property names and patterns,
    read from the seed when the model runs; `property_expr` / `pattern_expr` the plan row's
    columns that pick one of them. A JSON path or a regular expression built per row is parsed
    per row; a literal one is parsed once. -#}

{#- The JSON value of the observed property: on DuckDB the value itself (the document is parsed
    once per observation; type and text are then read from the small value), elsewhere the
    whole document (type and text are read from it by key). -#}
{% macro plan_property_json(doc_expr, property_expr, names) -%}
    {{ return(adapter.dispatch('plan_property_json', 'growthlens')(doc_expr, property_expr, names)) }}
{%- endmacro %}

{% macro default__plan_property_json(doc_expr, property_expr, names) -%}
    {{ doc_expr }}
{%- endmacro %}

{% macro duckdb__plan_property_json(doc_expr, property_expr, names) -%}
    {%- if names | length == 0 -%}
        cast(null as varchar)
    {%- else -%}
        case {{ property_expr }}
            {%- for name in names %}
            when {{ growthlens.sql_text(name) }} then json_extract({{ doc_expr }}, {{ growthlens.sql_text('$."' ~ name ~ '"') }})
            {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}


{#- The plan's type name of that value (string, integer, number, boolean, object, array, null;
    null when the key is absent), as json_type_name. -#}
{% macro plan_property_type(json_expr, property_expr, names) -%}
    {{ return(adapter.dispatch('plan_property_type', 'growthlens')(json_expr, property_expr, names)) }}
{%- endmacro %}

{% macro default__plan_property_type(json_expr, property_expr, names) -%}
    {%- if names | length == 0 -%}
        cast(null as string)
    {%- else -%}
        case {{ property_expr }}
            {%- for name in names %}
            when {{ growthlens.sql_text(name) }} then {{ growthlens.json_type_name(json_expr, growthlens.sql_text(name)) }}
            {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__plan_property_type(json_expr, property_expr, names) -%}
    case json_type({{ json_expr }})
        when 'VARCHAR' then 'string'
        when 'BIGINT' then 'integer'
        when 'UBIGINT' then 'integer'
        when 'DOUBLE' then 'number'
        when 'BOOLEAN' then 'boolean'
        when 'OBJECT' then 'object'
        when 'ARRAY' then 'array'
        when 'NULL' then 'null'
    end
{%- endmacro %}


{#- The value as text (a string unquoted), as json_text_at. -#}
{% macro plan_property_text(json_expr, property_expr, names) -%}
    {{ return(adapter.dispatch('plan_property_text', 'growthlens')(json_expr, property_expr, names)) }}
{%- endmacro %}

{% macro default__plan_property_text(json_expr, property_expr, names) -%}
    {%- if names | length == 0 -%}
        cast(null as string)
    {%- else -%}
        case {{ property_expr }}
            {%- for name in names %}
            when {{ growthlens.sql_text(name) }} then {{ growthlens.json_text_at(json_expr, growthlens.sql_text(name)) }}
            {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__plan_property_text(json_expr, property_expr, names) -%}
    json_extract_string({{ json_expr }}, '$')
{%- endmacro %}


{#- True when text_expr matches the plan row's pattern (pattern_expr, one of `patterns`). On
    DuckDB each pattern is a literal (compiled once); elsewhere the column is used as it is, as
    a literal's backslashes would need the engine's escaping. -#}
{% macro plan_pattern_matches(text_expr, pattern_expr, patterns) -%}
    {{ return(adapter.dispatch('plan_pattern_matches', 'growthlens')(text_expr, pattern_expr, patterns)) }}
{%- endmacro %}

{% macro default__plan_pattern_matches(text_expr, pattern_expr, patterns) -%}
    {{ growthlens.regex_matches(text_expr, pattern_expr) }}
{%- endmacro %}

{% macro duckdb__plan_pattern_matches(text_expr, pattern_expr, patterns) -%}
    {%- if patterns | length == 0 -%}
        {{ growthlens.regex_matches(text_expr, pattern_expr) }}
    {%- else -%}
        (case {{ pattern_expr }}
            {%- for pattern in patterns %}
            when {{ growthlens.sql_text(pattern) }} then {{ growthlens.regex_matches(text_expr, growthlens.sql_text(pattern)) }}
            {%- endfor %}
        end)
    {%- endif -%}
{%- endmacro %}
