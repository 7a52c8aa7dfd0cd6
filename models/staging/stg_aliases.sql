{#- Alias calls: previous_id is now known as user_id. Blocked ids are null. -#}
{%- set cols = growthlens.raw_columns('aliases') -%}

with source as (
    select
        {{ growthlens.raw_col(cols, 'previous_id', 'varchar') }} as previous_id,
        {{ growthlens.raw_col(cols, 'user_id', 'varchar') }} as user_id,
        {{ growthlens.raw_col(cols, 'ts', 'timestamp') }} as aliased_at
    from {{ growthlens.raw_from(cols, 'aliases') }}
),

final as (
    select
        {{ growthlens.clean_id('previous_id') }} as previous_id,
        {{ growthlens.clean_id('user_id') }} as user_id,
        aliased_at
    from source
)

select * from final
