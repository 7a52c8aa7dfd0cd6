{#- The saas analyses answer each question overall, by persona and by sign-up type. Rather than
    repeat that union in every analysis, this renders it once: a select that yields each row of
    the `persons` relation (which must have `persona` and `signup_type` columns) three times,
    under segment_type 'all' (segment 'all'), 'persona' and 'signup_type' (segment = the value),
    so the analysis only has to group by segment_type, segment. -#}
{% macro analysis_breakdown(persons='persons') -%}
    select
        segments.segment_type,
        case segments.segment_type
            when 'persona' then {{ persons }}.persona
            when 'signup_type' then {{ persons }}.signup_type
            else 'all'
        end as segment,
        {{ persons }}.*
    from {{ persons }}
    cross join (values ('all'), ('persona'), ('signup_type')) as segments (segment_type)
{%- endmacro %}
