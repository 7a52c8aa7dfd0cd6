{#- Message events of the engagement tool, one row per raw row, ids cleaned. -#}
{%- set cols = growthlens.raw_columns('campaign_messages') -%}

with source as (
    select
        {{ growthlens.raw_col(cols, 'message_event_id', 'varchar') }} as message_event_id,
        {{ growthlens.raw_col(cols, 'campaign_id', 'varchar') }} as campaign_id,
        {{ growthlens.raw_col(cols, 'user_id', 'varchar') }} as user_id,
        {{ growthlens.raw_col(cols, 'email', 'varchar') }} as email,
        {{ growthlens.raw_col(cols, 'event_type', 'varchar') }} as event_type,
        {{ growthlens.raw_col(cols, 'variant', 'varchar') }} as variant,
        {{ growthlens.raw_col(cols, 'is_control', 'boolean') }} as is_control,
        {{ growthlens.raw_col(cols, 'ts', 'timestamp') }} as message_at
    from {{ growthlens.raw_from(cols, 'campaign_messages') }}
),

cleaned as (
    select
        nullif(trim(message_event_id), '') as message_event_id,
        nullif(trim(campaign_id), '') as campaign_id,
        {{ growthlens.clean_id('user_id') }} as user_id,
        -- cleaned once here; lower-cased and hashed from this column below
        {{ growthlens.clean_id('email') }} as email_cleaned,
        lower(trim(event_type)) as event_type,
        variant,
        coalesce(is_control, false) as is_control,
        message_at
    from source
),

final as (
    select
        message_event_id,
        campaign_id,
        user_id,
        lower(email_cleaned) as email,
        case when email_cleaned is not null then {{ growthlens.sha256_hex('lower(email_cleaned)') }} end
            as email_sha256,
        event_type,
        variant,
        is_control,
        message_at
    from cleaned
)

select * from final
