{#- One row per account × member (metrics.md §3): members are the persons with an event carrying
    the account_id; each row carries its account's signup and activation (the account signs up
    with its first member's signup and activates with the first activation event by any member
    at or after that). fct_account_activation reads one row per account (is_first_member).

    Incremental: an account is computed again whole when one of its members is affected
    (int_persons_affected), under the memberships this table held (old person ids of merged or
    split persons) and those the affected persons' events carry now. The slice deleted is the
    same set of accounts, read from the table before the delete, so an account left with no
    member disappears (macros/incremental.sql). An affected person's events before its
    rebuild_from did not change, so a membership whose first event (member_since) lies before
    it still holds; the others are found again in the events from rebuild_from on. -#}
{{ config(
    materialized='incremental',
    incremental_predicates=[
        "growthlens_target.account_id in (select account_id from growthlens_target"
        ~ " where person_id in (growthlens_affected_persons))"
        ~ " or growthlens_target.account_id in (select account_id from growthlens_new_rows)"],
    reads_stored_columns=['member_since'],
    on_schema_change='append_new_columns',
) }}
{%- set activation_event = growthlens.setting('activation_event') -%}
{%- set window_seconds = (growthlens.setting('activation_window_hours') | float) * 3600 -%}
{%- set slice_ids = growthlens.person_slice_ids() -%}

-- depends_on: {{ ref('int_persons_affected') }}
-- depends_on: {{ ref('int_events_sessionized') }}
with
{%- if slice_ids is not none %}
-- The affected persons' memberships: those stored from before rebuild_from (whose first event
-- is unchanged), and those of the events from rebuild_from on (macros/person_rows_from.sql).
affected_memberships as (
    select
        account_id,
        person_id,
        min(member_since) as member_since
    from (
        select
            stored.account_id,
            stored.person_id,
            stored.member_since
        from {{ this }} as stored
        inner join {{ ref('int_persons_affected') }} as affected
            on stored.person_id = affected.person_id
        where stored.member_since < affected.rebuild_from
        union all
        select
            account_id,
            person_id,
            event_ts as member_since
        from {{ growthlens.person_restart_rows(ref('int_events_sessionized'), 'int_persons_affected',
            'event_ts', condition='{rows}.account_id is not null') }} as restarted_events
    ) as memberships
    group by account_id, person_id
),

affected_accounts as (
    select account_id
    from {{ this }}
    where person_id in ({{ slice_ids }})
    union
    select account_id
    from affected_memberships
),

-- A member who is not affected has the same events, so the same memberships, as when this
-- table was built: its rows here say which affected accounts it belongs to.
members as (
    select
        account_id,
        person_id,
        member_since
    from {{ this }}
    where
        account_id in (select affected_accounts.account_id from affected_accounts)
        and person_id not in ({{ slice_ids }})
    union all
    select
        account_id,
        person_id,
        member_since
    from affected_memberships
),
{%- else %}
members as (
    select
        account_id,
        person_id,
        min(event_ts) as member_since
    from {{ ref('fct_events') }}
    where account_id is not null
    group by account_id, person_id
),
{%- endif %}

activation_events as (
    select
        person_id,
        event_ts
    from {{ ref('fct_events') }}
    where
        event_name = {{ growthlens.sql_text(activation_event) }}
        {%- if slice_ids is not none %}
        and person_id in (select members.person_id from members)
        {%- endif %}
),

signups as (
    select
        person_id,
        signup_at
    from {{ ref('int_signups_activated') }}
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

accounts as (
    select
        account_signups.account_id,
        account_signups.n_members,
        account_signups.n_signed_up_members,
        coalesce(account_activations.n_activating_members, 0) as n_activating_members,
        {{ growthlens.seconds_between('account_signups.first_signup_at', 'account_activations.first_activation_at') }}
            as seconds_to_activation,
        account_signups.first_signup_at,
        account_activations.first_activation_at
    from account_signups
    left join account_activations
        on account_signups.account_id = account_activations.account_id
),

final as (
    select
        members.account_id,
        members.person_id,
        accounts.n_members,
        accounts.n_signed_up_members,
        accounts.n_activating_members,
        accounts.seconds_to_activation / 3600.0 as hours_to_activation,
        coalesce(accounts.seconds_to_activation <= {{ window_seconds }}, false) as is_activated,
        row_number() over (partition by members.account_id order by members.person_id) = 1 as is_first_member,
        accounts.first_signup_at,
        accounts.first_activation_at,
        members.member_since
    from members
    inner join accounts
        on members.account_id = accounts.account_id
)

select * from final
