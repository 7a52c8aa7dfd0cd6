{#- Holdout lift of every campaign (metrics.md §7). Message rows reach persons through
    user_id, else email (int_campaign_messages_resolved); unresolved rows are counted.
    Treatment: persons with a `sent` row and no control assignment, exposed at their first
    `sent`. Control: persons with a control (is_control) row, exposed at their first control
    assignment. Persons in both are dropped and counted as contaminated. Converted: a goal
    event in (exposure, exposure + window]. Pooled two-proportion z-test, two-sided normal
    p-value, 95 % Wald interval of the difference (unpooled), and the message funnel over the
    treatment persons. -#}
with campaigns as (
    select * from {{ ref('stg_campaigns') }}
    where campaign_id is not null
),

messages as (
    select * from {{ ref('int_campaign_messages_resolved') }}
),

unresolved as (
    select
        campaign_id,
        count(*) as n_unresolved
    from messages
    where not is_resolved
    group by campaign_id
),

person_rows as (
    select
        campaign_id,
        person_id,
        min(case when event_type = 'sent' then message_at end) as first_sent_at,
        min(case when is_control and event_type = 'assigned' then message_at end) as first_control_assigned_at,
        min(case when is_control then message_at end) as first_control_at,
        max(case when event_type = 'sent' then 1 else 0 end) as has_sent,
        max(case when is_control then 1 else 0 end) as has_control,
        max(case when event_type = 'delivered' then 1 else 0 end) as has_delivered,
        max(case when event_type = 'opened' then 1 else 0 end) as has_opened,
        max(case when event_type = 'clicked' then 1 else 0 end) as has_clicked,
        max(case when event_type = 'bounced' then 1 else 0 end) as has_bounced,
        max(case when event_type = 'unsubscribed' then 1 else 0 end) as has_unsubscribed
    from messages
    where is_resolved
    group by campaign_id, person_id
),

assigned as (
    select
        person_rows.*,
        case
            when person_rows.has_sent = 1 and person_rows.has_control = 1 then 'contaminated'
            when person_rows.has_sent = 1 then 'treatment'
            when person_rows.has_control = 1 then 'control'
        end as arm,
        case
            when person_rows.has_control = 1
                then coalesce(person_rows.first_control_assigned_at, person_rows.first_control_at)
            else person_rows.first_sent_at
        end as exposed_at,
        campaigns.goal_event,
        campaigns.conversion_window_hours
    from person_rows
    inner join campaigns
        on person_rows.campaign_id = campaigns.campaign_id
),

exposed as (
    select * from assigned
    where arm in ('treatment', 'control')
),

goal_names as (
    select distinct goal_event
    from campaigns
    where goal_event is not null
),

goal_events as (
    select
        events.person_id,
        events.event_name,
        events.event_ts
    from {{ ref('fct_events') }} as events
    inner join goal_names
        on events.event_name = goal_names.goal_event
),

converted as (
    select distinct
        exposed.campaign_id,
        exposed.person_id
    from exposed
    inner join goal_events
        on exposed.person_id = goal_events.person_id and exposed.goal_event = goal_events.event_name
    where
        goal_events.event_ts > exposed.exposed_at
        and goal_events.event_ts <= {{ dbt.dateadd('second', 'exposed.conversion_window_hours * 3600', 'exposed.exposed_at') }}
),

arms as (
    select
        assigned.campaign_id,
        count(case when assigned.arm = 'treatment' then 1 end) as n_treatment,
        count(case when assigned.arm = 'control' then 1 end) as n_control,
        count(case when assigned.arm = 'contaminated' then 1 end) as contaminated,
        count(case when assigned.arm = 'treatment' and converted.person_id is not null then 1 end)
            as conversions_treatment,
        count(case when assigned.arm = 'control' and converted.person_id is not null then 1 end)
            as conversions_control,
        count(case when assigned.arm = 'treatment' and assigned.has_sent = 1 then 1 end) as n_sent,
        count(case when assigned.arm = 'treatment' and assigned.has_delivered = 1 then 1 end) as n_delivered,
        count(case when assigned.arm = 'treatment' and assigned.has_opened = 1 then 1 end) as n_opened,
        count(case when assigned.arm = 'treatment' and assigned.has_clicked = 1 then 1 end) as n_clicked,
        count(case when assigned.arm = 'treatment' and assigned.has_bounced = 1 then 1 end) as n_bounced,
        count(case when assigned.arm = 'treatment' and assigned.has_unsubscribed = 1 then 1 end) as n_unsubscribed
    from assigned
    left join converted
        on assigned.campaign_id = converted.campaign_id and assigned.person_id = converted.person_id
    group by assigned.campaign_id
),

counts as (
    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.goal_event,
        campaigns.conversion_window_hours,
        coalesce(arms.n_treatment, 0) as n_treatment,
        coalesce(arms.n_control, 0) as n_control,
        coalesce(arms.contaminated, 0) as contaminated,
        coalesce(arms.conversions_treatment, 0) as conversions_treatment,
        coalesce(arms.conversions_control, 0) as conversions_control,
        coalesce(arms.n_sent, 0) as n_sent,
        coalesce(arms.n_delivered, 0) as n_delivered,
        coalesce(arms.n_opened, 0) as n_opened,
        coalesce(arms.n_clicked, 0) as n_clicked,
        coalesce(arms.n_bounced, 0) as n_bounced,
        coalesce(arms.n_unsubscribed, 0) as n_unsubscribed,
        coalesce(unresolved.n_unresolved, 0) as n_unresolved
    from campaigns
    left join arms
        on campaigns.campaign_id = arms.campaign_id
    left join unresolved
        on campaigns.campaign_id = unresolved.campaign_id
),

rates as (
    select
        *,
        case when n_treatment > 0 then cast(conversions_treatment as double) / n_treatment end as rate_treatment,
        case when n_control > 0 then cast(conversions_control as double) / n_control end as rate_control,
        case
            when n_treatment > 0 and n_control > 0
                then cast(conversions_treatment + conversions_control as double) / (n_treatment + n_control)
        end as pooled_rate
    from counts
),

errors as (
    select
        *,
        rate_treatment - rate_control as absolute_lift,
        case
            when n_treatment > 0 and n_control > 0
                then sqrt(pooled_rate * (1 - pooled_rate) * (1.0 / n_treatment + 1.0 / n_control))
        end as pooled_standard_error,
        case
            when n_treatment > 0 and n_control > 0
                then sqrt(
                    rate_treatment * (1 - rate_treatment) / n_treatment
                    + rate_control * (1 - rate_control) / n_control
                )
        end as unpooled_standard_error
    from rates
),

tested as (
    select
        *,
        case when pooled_standard_error > 0 then absolute_lift / pooled_standard_error end as z_score
    from errors
),

final as (
    select
        campaign_id,
        campaign_name,
        channel,
        goal_event,
        conversion_window_hours,
        n_treatment,
        n_control,
        contaminated,
        n_unresolved,
        conversions_treatment,
        conversions_control,
        n_sent,
        n_delivered,
        n_opened,
        n_clicked,
        conversions_treatment as n_converted,
        n_bounced,
        n_unsubscribed,
        rate_treatment,
        rate_control,
        absolute_lift,
        case when rate_control > 0 then absolute_lift / rate_control end as relative_lift,
        z_score,
        case when z_score is not null then {{ growthlens.normal_two_sided_p_value('z_score') }} end as p_value,
        absolute_lift - 1.959963984540054 * unpooled_standard_error as ci_low,
        absolute_lift + 1.959963984540054 * unpooled_standard_error as ci_high,
        pooled_standard_error,
        unpooled_standard_error
    from tested
)

select * from final
