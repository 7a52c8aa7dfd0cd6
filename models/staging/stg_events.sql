{#- Accepted events: one row per distinct event_id, names normalised, ids cleaned, revenue in
    the reporting currency. A valid row whose id has no other valid copy comes straight from the
    checked table; of a repeated id, the first-ranked valid copy (macros/accepted_events.sql). -#}
{%- set columns = growthlens.accepted_event_columns() -%}

with final as (
    {{ growthlens.accepted_events(columns) }}
)

select * from final
