{{ config(materialized='view') }}
-- depends_on: {{ ref('int_user_ids_clustered') }}
-- depends_on: {{ ref('int_anonymous_ids_resolved') }}
-- depends_on: {{ ref('int_shared_device_activity_resolved') }}

{# Every in-scope accepted event with its person. An event with a user_id belongs to that
    user_id's person; otherwise to its device's person (split in time on shared devices); a
    device linked to nobody is a person of its own. person_key is the smallest user_id of the
    person, or the anonymous_id of an anonymous person. (The rule is the macro stitch_events,
    shared with the incremental path of int_events_sessionized.) -#}
{{ growthlens.stitch_events(ref('int_events_scoped')) }}
