{{ config(
    materialized='incremental',
    incremental_predicates=[
        'growthlens_target.received_at >= (select min(received_at) from growthlens_new_rows)'
        ~ ' or (growthlens_target.received_at is null'
        ~ ' and (select count(*) from growthlens_new_rows where received_at is null) > 0)'],
) }}

{#- The raw event rows staging rejected by a check of its own (rejected_events less the
    duplicate_event_id copies, which data_quality_issues reads from the small
    stg_events_copies_ranked), as data_quality_issues counts them: check name and sample id.
    Incremental: the rejected rows staged since this table's last run (logged in
    intermediate.growthlens_incremental_state) replace its rows from their earliest received_at
    on, and its rows without a received_at when they include such rows; this mirrors staging,
    whose runs each replace a received_at suffix (and every row without one), and whose rejected
    rows never vanish while raw.events only grows. Rebuilt whole when it was never logged. -#}
{%- set since = none -%}
{%- if execute and is_incremental() -%}
    {%- set since = growthlens.timestamp_literal_of("select cast(max(built_at) as string) from "
        ~ growthlens.incremental_state_relation()
        ~ " where model_name = '" ~ this.identifier ~ "' and built_at < " ~ growthlens.batch_stamp()) -%}
{%- endif %}

with checked as (
    select
        check_reason,
        raw_event_id,
        received_at
    from {{ ref('stg_events_checked') }}
    where
        check_reason is not null
        {%- if since is not none %}
        and batch_loaded_at > {{ since }}
        {%- endif %}
),

final as (
    select
        'rejected_' || check_reason as check_name,
        coalesce(raw_event_id, '(null)') as sample_id,
        received_at
    from checked
)

select * from final
