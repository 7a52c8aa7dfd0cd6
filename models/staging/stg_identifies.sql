{#- Identify calls with ids cleaned (blocked values are null) and emails normalised; the
    email itself stays in staging only, marts carry its SHA-256. A table: about ten selects of
    the identity models read it (a view parsed every identify row with its regular expressions
    for each of them). An incremental run parses only the identify rows that changed, keyed on
    a hash of the raw row (macros/incremental.sql, raw_keyed_table). -#}
{{ config(**growthlens.raw_keyed_table('identifies')) }}
{%- set cols = growthlens.raw_columns('identifies') -%}
{%- set parse_changed_only = growthlens.raw_keyed_incremental() -%}

with source as (
    select
        {{ growthlens.raw_col(cols, 'identify_id', 'varchar') }} as identify_id,
        {{ growthlens.raw_col(cols, 'anonymous_id', 'varchar') }} as anonymous_id,
        {{ growthlens.raw_col(cols, 'user_id', 'varchar') }} as user_id,
        {{ growthlens.raw_col(cols, 'email', 'varchar') }} as email,
        {{ growthlens.raw_col(cols, 'traits', 'varchar') }} as traits,
        {{ growthlens.raw_col(cols, 'ts', 'timestamp') }} as identified_at,
        {{ growthlens.raw_row_key(cols) }} as raw_row_key
    from {{ growthlens.raw_from(cols, 'identifies') }}
),
{%- if parse_changed_only %}

unstaged as (
    {{ growthlens.unstaged_raw_rows('source') }}
),
{%- endif %}

cleaned as (
    select
        nullif(trim(identify_id), '') as identify_id,
        {{ growthlens.clean_id('anonymous_id') }} as anonymous_id,
        {{ growthlens.clean_id('user_id') }} as user_id,
        lower({{ growthlens.clean_id('email') }}) as email,
        case when {{ growthlens.is_json_object('traits') }} then traits end as traits,
        coalesce(traits is not null and not ({{ growthlens.is_json_object('traits') }}), false)
            as is_traits_malformed,
        identified_at,
        raw_row_key
    from {{ 'unstaged' if parse_changed_only else 'source' }}
),

final as (
    select
        identify_id,
        anonymous_id,
        user_id,
        email,
        case when email is not null then {{ growthlens.sha256_hex("email") }} end as email_sha256,
        traits,
        is_traits_malformed,
        identified_at,
        raw_row_key
    from cleaned
)

select * from final
