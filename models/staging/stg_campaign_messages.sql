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

final as (
    select
        nullif(trim(message_event_id), '') as message_event_id,
        nullif(trim(campaign_id), '') as campaign_id,
        {{ growthlens.clean_id('user_id') }} as user_id,
        lower({{ growthlens.clean_id('email') }}) as email,
        case when {{ growthlens.clean_id('email') }} is not null then {{ growthlens.sha256_hex("lower(" ~ growthlens.clean_id("email") ~ ")") }} end
            as email_sha256,
        lower(trim(event_type)) as event_type,
        variant,
        coalesce(is_control, false) as is_control,
        message_at
    from source
)

select * from final
