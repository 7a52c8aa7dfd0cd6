{#- One row per account (metrics.md §3): members are persons with an event carrying the
    account_id; the account signs up with its first member's signup and activates with the
    first activation event by any member at or after that. -#}
{%- set activation_event = growthlens.setting('activation_event') -%}
{%- set window_seconds = (growthlens.setting('activation_window_hours') | float) * 3600 -%}

with account_events as (
    select
        account_id,
        person_id
    from {{ ref('fct_events') }}
    where account_id is not null
),

activation_events as (
    select
        person_id,
        event_ts
    from {{ ref('fct_events') }}
    where event_name = {{ growthlens.sql_text(activation_event) }}
),

signups as (
    select
        person_id,
        signup_at
    from {{ ref('fct_activation') }}
),

members as (
    select
        account_id,
        person_id
    from account_events
    group by account_id, person_id
),

account_signups as (
    select
        members.account_id,
        count(*) as n_members,
        count(signups.signup_at) as n_signed_up_members,
        min(signups.signup_at) as first_signup_at
    from members
    left join signups
        on members.person_id = signups.person_id
    group by members.account_id
),

account_activations as (
    {#- The "at or after the first signup" test sits in the aggregates, not in the join, so
        the planner can't turn it into an inequality join between accounts and events. -#}
    select
        members.account_id,
        count(distinct case
            when activation_events.event_ts >= account_signups.first_signup_at then members.person_id
        end) as n_activating_members,
        min(case
            when activation_events.event_ts >= account_signups.first_signup_at then activation_events.event_ts
        end) as first_activation_at
    from members
    inner join account_signups
        on members.account_id = account_signups.account_id
    inner join activation_events
        on members.person_id = activation_events.person_id
    group by members.account_id
),

joined as (
    select
        account_signups.account_id,
        account_signups.n_members,
        account_signups.n_signed_up_members,
        coalesce(account_activations.n_activating_members, 0) as n_activating_members,
        {{ growthlens.seconds_between('account_signups.first_signup_at', 'account_activations.first_activation_at') }}
            as seconds_to_activation,
        {{ growthlens.seconds_between('account_signups.first_signup_at', growthlens.data_end()) }} >= {{ window_seconds }}
            as is_window_complete,
        account_signups.first_signup_at,
        account_activations.first_activation_at
    from account_signups
    left join account_activations
        on account_signups.account_id = account_activations.account_id
),

final as (
    select
        account_id,
        n_members,
        n_signed_up_members,
        n_activating_members,
        seconds_to_activation / 3600.0 as hours_to_activation,
        coalesce(seconds_to_activation <= {{ window_seconds }}, false) as is_activated,
        coalesce(is_window_complete, false) as is_window_complete,
        first_signup_at,
        first_activation_at
    from joined
)

select * from final
