{#- A raw timestamp value of any accepted type as a naive UTC timestamp (null when unparseable). -#}
{% macro parse_utc_timestamp(expr, data_type) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'growthlens')(expr, data_type)) }}
{%- endmacro %}

{% macro default__parse_utc_timestamp(expr, data_type) -%}
    {%- if 'TIME ZONE' in data_type or 'TIMESTAMPTZ' in data_type -%}
        cast({{ expr }} at time zone 'UTC' as timestamp)
    {%- elif 'TIMESTAMP' in data_type or 'DATETIME' in data_type or data_type == 'DATE' -%}
        cast({{ expr }} as timestamp)
    {%- else -%}
        to_utc_timestamp(cast({{ expr }} as timestamp), 'UTC')
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__parse_utc_timestamp(expr, data_type) -%}
    {%- if 'TIME ZONE' in data_type or 'TIMESTAMPTZ' in data_type -%}
        timezone('UTC', {{ expr }})
    {%- elif 'TIMESTAMP' in data_type or data_type == 'DATE' -%}
        cast({{ expr }} as timestamp)
    {%- else -%}
        {#- Text: ISO-8601 with or without offset (no offset = UTC). DuckDB rejects an offset
            after minutes without seconds ('10:00+05:00'), so seconds are added first. -#}
        timezone('UTC', coalesce(
            try_cast(trim(cast({{ expr }} as varchar)) as timestamptz),
            try_cast(regexp_replace(trim(cast({{ expr }} as varchar)),
                '^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d)([^:0-9].*)?$', '\1:00\2') as timestamptz)
        ))
    {%- endif -%}
{%- endmacro %}
