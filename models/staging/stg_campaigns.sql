{#- Campaigns of the engagement tool, goal event normalised, window defaulted from the var. -#}
{%- set cols = growthlens.raw_columns('campaigns') -%}

with source as (
    select
        {{ growthlens.raw_col(cols, 'campaign_id', 'varchar') }} as campaign_id,
        {{ growthlens.raw_col(cols, 'campaign_name', 'varchar') }} as campaign_name,
        {{ growthlens.raw_col(cols, 'channel', 'varchar') }} as channel,
        {{ growthlens.raw_col(cols, 'goal_event', 'varchar') }} as goal_event,
        {{ growthlens.raw_col(cols, 'conversion_window_hours', 'integer') }} as conversion_window_hours,
        {{ growthlens.raw_col(cols, 'started_at', 'timestamp') }} as started_at,
        {{ growthlens.raw_col(cols, 'ended_at', 'timestamp') }} as ended_at
    from {{ growthlens.raw_from(cols, 'campaigns') }}
),

final as (
    select
        nullif(trim(campaign_id), '') as campaign_id,
        campaign_name,
        lower(nullif(trim(channel), '')) as channel,
        {{ growthlens.normalize_event_name('goal_event') }} as goal_event,
        coalesce(conversion_window_hours, {{ growthlens.setting('campaign_conversion_window_hours') | int }})
            as conversion_window_hours,
        started_at,
        ended_at
    from source
)

select * from final
