{{ config(materialized='view') }}

{#- One row per person with a signup_event (metrics.md §3): first signup, first activation at or
    after it, time to value and its bucket, activation events in the first 7 days. A view over
    int_signups_activated (incremental per affected person) that adds what changes without the
    person's events changing: persona and acquisition channel (dim_persons) and whether the
    activation window is complete (the data end, one row of int_data_end_resolved). -#}
{%- set window_seconds = (growthlens.setting('activation_window_hours') | float) * 3600 -%}

with activations as (
    select * from {{ ref('int_signups_activated') }}
),

persons as (
    select
        person_id,
        persona,
        acquisition_channel
    from {{ ref('dim_persons') }}
),

data_end as (
    select data_end_at from {{ ref('int_data_end_resolved') }}
),

final as (
    select
        activations.person_id,
        activations.signup_event_id,
        activations.first_activation_event_id,
        persons.persona,
        persons.acquisition_channel,
        activations.signup_properties,
        activations.time_to_value_bucket,
        activations.hours_to_activation,
        activations.n_activation_events_in_window,
        activations.n_activation_events_7d,
        activations.n_activation_events,
        activations.is_activated,
        {{ growthlens.seconds_between('activations.signup_at', 'data_end.data_end_at') }} >= {{ window_seconds }}
            as is_window_complete,
        activations.signup_at,
        activations.first_activation_at
    from activations
    left join persons
        on activations.person_id = persons.person_id
    cross join data_end
)

select * from final
