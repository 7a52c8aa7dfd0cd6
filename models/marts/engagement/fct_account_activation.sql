{{ config(materialized='view') }}

{#- One row per account (metrics.md §3): members are persons with an event carrying the
    account_id; the account signs up with its first member's signup and activates with the
    first activation event by any member at or after that. A view over
    int_account_members_activated (incremental per account of an affected person, one row per
    member) that keeps one row per account and adds what depends on the data end (one row of
    int_data_end_resolved). -#}
{%- set window_seconds = (growthlens.setting('activation_window_hours') | float) * 3600 -%}

with accounts as (
    select * from {{ ref('int_account_members_activated') }}
    where is_first_member
),

data_end as (
    select data_end_at from {{ ref('int_data_end_resolved') }}
),

final as (
    select
        account_id,
        n_members,
        n_signed_up_members,
        n_activating_members,
        hours_to_activation,
        is_activated,
        coalesce(
            {{ growthlens.seconds_between('accounts.first_signup_at', 'data_end.data_end_at') }} >= {{ window_seconds }},
            false
        ) as is_window_complete,
        first_signup_at,
        first_activation_at
    from accounts
    cross join data_end
)

select * from final
