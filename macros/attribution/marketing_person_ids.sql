{#- The persons an incremental build replaces in the marketing models
    (int_marketing_persons_affected), for a where clause:
    `person_id in ({{ growthlens.marketing_person_ids() }})`. Their incremental_predicates say
    the same with placeholders (macros/incremental.sql):
    "growthlens_target.person_id in (growthlens_affected_persons)
     or growthlens_target.person_id in (select person_id from growthlens_ref_int_marketing_persons_affected)"
    (the first part keeps the not-in-step fallback, the second adds the click changes). -#}
{% macro marketing_person_ids() -%}
    select person_id from {{ ref('int_marketing_persons_affected') }}
{%- endmacro %}
