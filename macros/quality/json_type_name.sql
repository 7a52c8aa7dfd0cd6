{#- The JSON type of the top-level value at key `key_expr` (a SQL expression) of the JSON object
    text `expr`, named as in the tracking plan: string, integer, number, boolean, object, array,
    null; SQL null when the key is absent. -#}
{% macro json_type_name(expr, key_expr) -%}
    {{ return(adapter.dispatch('json_type_name', 'growthlens')(expr, key_expr)) }}
{%- endmacro %}

{% macro default__json_type_name(expr, key_expr) -%}
    {#- Without a JSON type function, read the first character of the value after "key": (keys
        are plain names in the plan, so they need no regex escaping). -#}
    case substr(regexp_extract({{ expr }}, concat('"', {{ key_expr }}, '"\\s*:\\s*(.)'), 1), 1, 1)
        when '"' then 'string'
        when 't' then 'boolean'
        when 'f' then 'boolean'
        when 'n' then 'null'
        when '{' then 'object'
        when '[' then 'array'
        when '' then null
        else case
            when {{ expr }} rlike concat('"', {{ key_expr }}, '"\\s*:\\s*-?[0-9]+\\s*[,}]') then 'integer'
            else 'number'
        end
    end
{%- endmacro %}

{% macro duckdb__json_type_name(expr, key_expr) -%}
    case json_type({{ expr }}, '$."' || {{ key_expr }} || '"')
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
