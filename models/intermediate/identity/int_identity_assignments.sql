{{ config(**growthlens.rewritten_table()) }}
{#- What the identity graph says about each identifier, as one comparable text, and whether
    that changed since the previous build: a user_id's root; a device linked to one person, that
    person; a shared device, a fingerprint of its whole link timeline (any new or moved link
    changes who owns its anonymous events). An identifier that is no longer linked keeps a row
    with a null assignment for that build. Incremental builds re-stitch every event of a changed
    identifier (int_persons_affected); the first build marks everything changed. -#}
{%- set previous = none if flags.FULL_REFRESH else growthlens.previous_state(growthlens.existing_model_relation(this.schema, this.identifier)) -%}

with shared_timelines as (
    select
        anonymous_id,
        {{ growthlens.hash_id(growthlens.sorted_text_agg(
            "root_user_id || '@' || cast(linked_at as string)", "','")) }}
            as fingerprint
    from {{ ref('int_shared_device_links') }}
    group by anonymous_id
),

current_assignments as (
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        root_user_id as assignment
    from {{ ref('int_user_ids_clustered') }}
    union all
    select
        'anonymous_id' as identifier_type,
        devices.anonymous_id as identifier_value,
        case
            when devices.is_shared_device then 'shared:' || coalesce(shared_timelines.fingerprint, '')
            else 'person:' || devices.first_root_user_id
        end as assignment
    from {{ ref('int_anonymous_ids_resolved') }} as devices
    left join shared_timelines
        on devices.anonymous_id = shared_timelines.anonymous_id
),

{%- if previous is not none %}
previous_assignments as (
    select * from {{ previous }}
    where assignment is not null
),

final as (
    select
        coalesce(current_assignments.identifier_type, previous_assignments.identifier_type) as identifier_type,
        coalesce(current_assignments.identifier_value, previous_assignments.identifier_value) as identifier_value,
        current_assignments.assignment,
        current_assignments.assignment is distinct from previous_assignments.assignment as is_changed
    from current_assignments
    full outer join previous_assignments
        on
            current_assignments.identifier_type = previous_assignments.identifier_type
            and current_assignments.identifier_value = previous_assignments.identifier_value
)
{%- else %}
final as (
    select
        identifier_type,
        identifier_value,
        assignment,
        true as is_changed
    from current_assignments
)
{%- endif %}

select * from final
