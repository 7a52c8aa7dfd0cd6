{#- dbt.dateadd on Spark, exact to the microsecond. dbt-spark's own version goes through
    to_unix_timestamp (whole seconds: an event at 10:00:00.5 plus one day lands at
    10:00:00.0) and multiplies an unparenthesised interval (`k + 1` weeks became k + 7 days).
    This one keeps the time of day in microseconds and parenthesises the interval; like dbt's,
    it returns a timestamp. The interval is a double before it is scaled (an int column times
    3.6e9 wrapped around silently). Root-project macros take precedence in dbt's own namespace. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set ts = 'cast(' ~ from_date_or_timestamp ~ ' as timestamp)' -%}
    {%- set time_of_day = '(unix_micros(' ~ ts ~ ') - unix_micros(cast(cast(' ~ ts ~ ' as date) as timestamp)))' -%}
    {%- if datepart in ['day', 'week', 'month', 'quarter', 'year'] -%}
        {%- set days = {'day': 1, 'week': 7}.get(datepart) -%}
        {%- set months = {'month': 1, 'quarter': 3, 'year': 12}.get(datepart) -%}
        {%- if days -%}
            {%- set moved = 'date_add(cast(' ~ ts ~ ' as date), cast((' ~ interval ~ ') * ' ~ days ~ ' as int))' -%}
        {%- else -%}
            {%- set moved = 'add_months(cast(' ~ ts ~ ' as date), cast((' ~ interval ~ ') * ' ~ months ~ ' as int))' -%}
        {%- endif -%}
        timestamp_micros(unix_micros(cast({{ moved }} as timestamp)) + {{ time_of_day }})
    {%- elif datepart in ['hour', 'minute', 'second', 'millisecond', 'microsecond'] -%}
        {%- set micros = {'hour': 3600000000, 'minute': 60000000, 'second': 1000000, 'millisecond': 1000, 'microsecond': 1}[datepart] -%}
        timestamp_micros(unix_micros({{ ts }}) + cast(round(cast({{ interval }} as double) * {{ micros }}) as bigint))
    {%- else -%}
        {{ exceptions.raise_compiler_error("growthlens: dateadd on Spark does not know the date part '" ~ datepart ~ "'") }}
    {%- endif -%}
{%- endmacro %}
