{#- The events that carry money (revenue not null and not zero, refunds included), with their
    person, instant and local date: a narrow table read by fct_ltv and fct_rfm, so the wide event
    stream is scanned once for the revenue marts. -#}
with events as (
    select
        event_id,
        person_id,
        revenue,
        event_ts,
        event_date
    from {{ ref('fct_events') }}
    where revenue is not null and revenue <> 0
),

final as (
    select
        event_id,
        person_id,
        revenue,
        event_ts,
        event_date
    from events
)

select * from final
