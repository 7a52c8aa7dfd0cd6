{{ config(
    materialized='incremental',
    incremental_predicates=[growthlens.person_restart_slice('started_at')],
) }}
-- depends_on: {{ ref('int_persons_affected') }}

{# One row per session with its first event's campaign fields and the channel given by the
    first matching rule of seeds/channel_rules.csv (metrics.md §2). Rules are evaluated once per
    distinct (source, medium, referrer host), not once per session. Incremental: the sessions
    of the slices int_events_sessionized rebuilt (int_persons_affected) replace the sessions
    that started in them: the rows it stamped in this build, or, when it did not run in this
    build, the same slices read from its table (macros/incremental.sql, person_restart_rows). -#}
{%- set site_domains = growthlens.setting('site_domains') or [] -%}

with events as (
    select * from {{ growthlens.person_restart_rows(ref('int_events_sessionized'), 'int_persons_affected',
        'event_ts', is_incremental()) }} as events
),

rules as (
    select * from {{ ref('int_channel_rules_expanded') }}
),

-- A session's size and end come from its last event, found by the boundary flags.
session_ends as (
    select
        session_id,
        session_event_index as n_events,
        event_ts as ended_at
    from events
    where is_session_end
),

session_starts as (
    select
        session_id,
        person_id,
        event_id as first_event_id,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        referrer,
        page_url as landing_page,
        platform,
        {{ growthlens.url_host('referrer') }} as referrer_host,
        event_ts as started_at
    from events
    where is_session_start
),

sources as (
    select distinct
        lower(utm_source) as source_key,
        lower(utm_medium) as medium_key,
        referrer_host
    from session_starts
),

matches as (
    select
        sources.source_key,
        sources.medium_key,
        sources.referrer_host,
        rules.rule_order,
        rules.channel
    from sources
    inner join rules
        on
            (rules.needs_utm = 'any' or (sources.source_key is null and sources.medium_key is null))
            and (
                (rules.operator = 'always')
                or (rules.operator = 'present' and case rules.field
                    when 'medium' then sources.medium_key
                    when 'source' then sources.source_key
                    when 'source_or_medium' then coalesce(sources.medium_key, sources.source_key)
                    when 'referrer_host' then sources.referrer_host
                end is not null)
                or (rules.operator = 'in' and (
                    (rules.field in ('medium', 'source_or_medium') and sources.medium_key = rules.match_value)
                    or (rules.field in ('source', 'source_or_medium') and sources.source_key = rules.match_value)
                    or (rules.field = 'referrer_host' and sources.referrer_host = rules.match_value)
                ))
                or (rules.operator = 'contains' and (
                    (rules.field in ('medium', 'source_or_medium') and instr(sources.medium_key, rules.match_value) > 0)
                    or (rules.field in ('source', 'source_or_medium') and instr(sources.source_key, rules.match_value) > 0)
                    or (rules.field = 'referrer_host' and instr(sources.referrer_host, rules.match_value) > 0)
                ))
                or (rules.operator = 'site_domain' and rules.field = 'referrer_host' and (
                    false
                    {%- for domain in site_domains %}
                    {%- set d = domain | lower | trim %}
                    or sources.referrer_host = {{ growthlens.sql_text(d) }}
                    or {{ dbt.right('sources.referrer_host', (d | length + 1) | string) }} = {{ growthlens.sql_text('.' ~ d) }}
                    {%- endfor %}
                ))
            )
),

first_match as (
    select
        source_key,
        medium_key,
        referrer_host,
        channel,
        row_number() over (
            partition by source_key, medium_key, referrer_host
            order by rule_order, channel
        ) as match_rank
    from matches
),

final as (
    select
        session_starts.session_id,
        session_starts.person_id,
        session_starts.first_event_id,
        coalesce(first_match.channel, 'direct') as channel,
        session_starts.utm_source,
        session_starts.utm_medium,
        session_starts.utm_campaign,
        session_starts.utm_content,
        session_starts.utm_term,
        session_starts.referrer,
        session_starts.referrer_host,
        session_starts.landing_page,
        session_starts.platform,
        session_ends.n_events,
        session_starts.started_at,
        session_ends.ended_at
    from session_starts
    inner join session_ends
        on session_starts.session_id = session_ends.session_id
    left join first_match
        on
            first_match.match_rank = 1
            and lower(session_starts.utm_source) is not distinct from first_match.source_key
            and lower(session_starts.utm_medium) is not distinct from first_match.medium_key
            and session_starts.referrer_host is not distinct from first_match.referrer_host
)

select * from final
