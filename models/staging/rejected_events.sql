{#- Raw event rows that could not be used, every raw column as text, with the reason: the first
    failed check, or duplicate_event_id for a valid copy that lost the ranking. -#}
{%- set raw_names = growthlens.raw_event_columns() -%}

with checked as (
    select * from {{ ref('stg_events_checked') }}
),

copies as (
    select * from {{ ref('stg_events_copies_ranked') }}
),

final as (
    select
        {%- for name in raw_names %}
        raw_{{ name }} as {{ name }},
        {%- endfor %}
        check_reason as reject_reason
    from checked
    where check_reason is not null
    union all
    select
        {%- for name in raw_names %}
        raw_{{ name }} as {{ name }},
        {%- endfor %}
        'duplicate_event_id' as reject_reason
    from copies
    where copy_rank > 1
)

select * from final
