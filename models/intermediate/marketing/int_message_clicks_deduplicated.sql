{#- Every `clicked` campaign message that reaches a person, as a touch (metrics.md §2): channel
    = the campaign's channel (`other` when the campaign is unknown), medium = that channel,
    campaign = campaign_id. One touch per message event id (a tool that re-sends an event id
    counts once: the earliest copy). A small table (clicks only) rebuilt on every run: which
    person a click reaches can change without any event of that person changing (a new identify
    links the email), so int_marketing_persons_affected compares it with the clicks
    fct_touchpoints holds. -#}
with messages as (
    select
        message_id,
        person_id,
        campaign_id,
        campaign_channel,
        message_at
    from {{ ref('int_campaign_messages_resolved') }}
    where event_type = 'clicked' and is_resolved
),

click_rows as (
    select
        *,
        row_number() over (partition by message_id order by message_at, person_id, campaign_id) as copy_rank
    from messages
),

final as (
    select
        message_id as touch_id,
        person_id,
        'message_click' as touch_type,
        coalesce(campaign_channel, 'other') as channel,
        cast(null as string) as source,
        campaign_channel as medium,
        campaign_id as campaign,
        0 as touch_type_order,
        message_at as touch_ts
    from click_rows
    where copy_rank = 1
)

select * from final
