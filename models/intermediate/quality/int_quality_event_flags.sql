{{ config(
    materialized='incremental',
    incremental_predicates=[
        'growthlens_target.event_id in (select event_id from growthlens_ref_int_quality_events_changed)'
        ~ ' or (select count(*) from growthlens_ref_int_quality_events_changed where is_everything) > 0'],
    post_hook="{{ growthlens.record_quality_flags_state() }}",
) }}

{#- One row per (per-event check, accepted event) the check flags: malformed_event_properties,
    unknown_event_currency, unknown_event, event_name_convention and the tracking plan's property
    checks (missing_property / wrong_type / unexpected_value / pattern_mismatch, at most one per
    observation). data_quality_issues counts these rows and takes its samples from them.
    Incremental: the flags of the event_ids listed by int_quality_events_changed are replaced by
    those of their accepted version now (none when it is clean); rebuilt whole when that table
    says everything changed. Each property is read through a JSON path fixed at compile time
    from the plan (one constant path per property name), never a path built per row. -#}
{%- set plan_name = growthlens.setting('tracking_plan') -%}
{%- set incremental = growthlens.quality_incremental() -%}
{%- set plan_property_names = [] -%}
{%- set plan_patterns = [] -%}
{%- if execute and plan_name is not none -%}
    {%- set result = run_query('select distinct property, pattern from ' ~ ref('tracking_plan')
        ~ ' where plan = ' ~ growthlens.sql_text(plan_name) ~ ' and property is not null') -%}
    {%- for row in result.rows -%}
        {%- if row[0] not in plan_property_names -%}
            {%- do plan_property_names.append(row[0]) -%}
        {%- endif -%}
        {%- if row[1] is not none and row[1] not in plan_patterns -%}
            {%- do plan_patterns.append(row[1]) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

-- depends_on: {{ ref('int_quality_events_changed') }}
-- depends_on: {{ ref('stg_events') }}
with accepted as (
    {%- if incremental %}
    select event_id, event_name, event_name_raw, properties, is_properties_malformed, is_unknown_currency
    from {{ ref('int_quality_events_changed') }}
    where is_accepted
    {%- else %}
    {{ growthlens.accepted_events(['event_id', 'event_name', 'event_name_raw', 'properties',
        'is_properties_malformed', 'is_unknown_currency']) }}
    {%- endif %}
),

plan_rows as (
    {{ growthlens.tracking_plan_rows(plan_name) }}
),

plan_events as (
    select distinct event_name from plan_rows
    where property is null
),

plan_properties as (
    select * from plan_rows
    where property is not null
),

plan_size as (
    select count(*) as n_plan_events from plan_events
),

-- property observations: one row per accepted event x property its plan lists; the value is
-- read through a literal path per property name (plan_property_checks.sql)
observed_values as (
    select
        accepted.event_id,
        plan_properties.event_name,
        plan_properties.property,
        plan_properties.type,
        plan_properties.allowed_values,
        plan_properties.pattern,
        plan_properties.is_required,
        {{ growthlens.plan_property_json('accepted.properties', 'plan_properties.property', plan_property_names) }} as observed_json
    from accepted
    inner join plan_properties
        on accepted.event_name = plan_properties.event_name
    where not coalesce(accepted.is_properties_malformed, false)
),

observed as (
    select
        event_id,
        event_name,
        property,
        type,
        allowed_values,
        pattern,
        is_required,
        {{ growthlens.plan_property_type('observed_json', 'property', plan_property_names) }} as observed_type,
        {{ growthlens.plan_property_text('observed_json', 'property', plan_property_names) }} as observed_text
    from observed_values
),

flagged as (
    select
        'malformed_event_properties' as check_name,
        event_id
    from accepted
    where is_properties_malformed
    union all
    select
        'unknown_event_currency' as check_name,
        event_id
    from accepted
    where is_unknown_currency
    union all
    select
        'unknown_event' as check_name,
        accepted.event_id
    from accepted
    cross join plan_size
    left join plan_events
        on accepted.event_name = plan_events.event_name
    where plan_events.event_name is null and plan_size.n_plan_events > 0
    union all
    select
        'event_name_convention' as check_name,
        event_id
    from accepted
    where not {{ growthlens.regex_matches('event_name_raw',
        growthlens.sql_text(growthlens.setting('event_name_convention'))) }}
    union all
    -- one pass over the observations (each JSON value is read once): a row fails at most one
    -- property check; allowed values are judged before a pattern
    select
        check_kind || ':' || event_name || '.' || property as check_name,
        event_id
    from (
        select
            event_id,
            event_name,
            property,
            case
                when observed_type is null then case when is_required then 'missing_property' end
                when observed_type <> type and not (type = 'number' and observed_type = 'integer')
                    then 'wrong_type'
                when observed_type <> 'string' then null
                when allowed_values is not null
                    and {{ dbt.position("'|' || observed_text || '|'", "'|' || allowed_values || '|'") }} = 0
                    then 'unexpected_value'
                when allowed_values is null and pattern is not null
                    and not {{ growthlens.plan_pattern_matches('observed_text', 'pattern', plan_patterns) }}
                    then 'pattern_mismatch'
            end as check_kind
        from observed
    ) as judged
    where check_kind is not null
)

select * from flagged
