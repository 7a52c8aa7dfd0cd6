{#- A raw column cast to `type` (varchar means the engine's text type), or a typed null when the column is absent (optional column).
    Timestamp columns go through parse_utc_timestamp so TIMESTAMP, TIMESTAMPTZ and ISO-8601 text
    with an offset all become UTC timestamps; unparseable text becomes null. -#}
{% macro raw_col(columns, name, type) -%}
    {%- if type | lower in ['varchar', 'text', 'string'] -%}
        {%- set type = dbt.type_string() -%}
    {%- endif -%}
    {%- if columns is none or name not in columns -%}
        cast(null as {{ type }})
    {%- elif type | lower == 'timestamp' -%}
        {{ growthlens.parse_utc_timestamp(adapter.quote(name), columns[name]) }}
    {%- elif type | lower == 'date' and ('CHAR' in columns[name] or 'TEXT' in columns[name] or 'STRING' in columns[name]) -%}
        try_cast(trim({{ adapter.quote(name) }}) as date)
    {%- elif type | lower in ['double', 'bigint', 'integer', 'boolean'] -%}
        try_cast({{ adapter.quote(name) }} as {{ type }})
    {%- else -%}
        cast({{ adapter.quote(name) }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
