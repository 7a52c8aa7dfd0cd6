"""DuckDB queries that feed the expectations: a narrow, typed projection of each raw table
(read in batches) and the small aggregates that need the whole table (repeated ids, daily
volumes). Values from the plan reach SQL as quoted literals, never as pasted text."""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from growthlens.validate._plan import TrackingPlan

__all__ = [
    "EventQuery",
    "duplicates_query",
    "event_query",
    "lit",
    "table_columns",
    "volume_query",
]

# metrics.md §1: identifier values that mean "no identifier"
BLOCKED_IDS = ("", "null", "undefined", "none", "nan", "anonymous", "unknown", "-1")

# json_type names -> plan types
_JSON_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "integer",
    "UBIGINT": "integer",
    "DOUBLE": "number",
    "BOOLEAN": "boolean",
    "OBJECT": "object",
    "ARRAY": "array",
    "NULL": "null",
}


def lit(value: object) -> str:
    """A Python value as a DuckDB literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return exp.Literal.number(value).sql("duckdb")
    return exp.Literal.string(str(value)).sql("duckdb")


def ident(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def table_columns(con, schema: str, table: str) -> list[str] | None:  # noqa: ANN001
    """Column names of schema.table, or None when the table does not exist."""
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [r[0] for r in rows] or None


def col(columns: Sequence[str], name: str, cast: str = "varchar") -> str:
    """A raw column cast to `cast`, or a typed null when the optional column is absent."""
    if name in columns:
        return f"cast({ident(name)} as {cast})"
    return f"cast(null as {cast})"


def ts(columns: Sequence[str], name: str) -> str:
    """A timestamp column (TIMESTAMP, TIMESTAMPTZ or ISO text) as a UTC TIMESTAMP."""
    if name not in columns:
        return "cast(null as timestamp)"
    return f"cast(try_cast(cast({ident(name)} as varchar) as timestamptz) as timestamp)"


def clean_id(expr: str) -> str:
    """An identifier with blocked placeholders turned into null (metrics.md §1)."""
    blocked = ", ".join(lit(v) for v in BLOCKED_IDS)
    return (
        f"case when lower(trim({expr})) in ({blocked}) "
        f"or regexp_full_match(trim({expr}), '[0-]+') then null else trim({expr}) end"
    )


def is_json_object(expr: str) -> str:
    return (
        f"case when {expr} is null then null "
        f"else (starts_with(ltrim({expr}), '{{') and coalesce(json_valid({expr}), false)) end"
    )


class EventQuery:
    """The projection of raw.events one batch at a time; `prop_columns` maps a property
    name to its (type column, value column)."""

    def __init__(self, sql: str, prop_columns: dict[str, tuple[str, str]]) -> None:
        self.sql = sql
        self.prop_columns = prop_columns


def event_query(columns: Sequence[str], plan: TrackingPlan, min_event_date: str) -> EventQuery:
    """The typed projection of raw.events used by every row-level expectation."""
    normalize = normalized_name(columns)
    by_name: dict[str, list[str]] = {}
    for prop in plan.properties:
        by_name.setdefault(prop.name, []).append(prop.event)
    prop_columns: dict[str, tuple[str, str]] = {}
    select_props = []
    type_case = " ".join(f"when {lit(k)} then {lit(v)}" for k, v in _JSON_TYPES.items())
    for j, (name, events) in enumerate(sorted(by_name.items())):
        path = lit('$."' + name.replace('"', '\\"') + '"')
        in_events = ", ".join(lit(e) for e in sorted(set(events)))
        doc = f"case when event_key in ({in_events}) then props end"
        select_props.append(f"case json_type({doc}, {path}) {type_case} end as t_{j}")
        select_props.append(
            f"case when json_type({doc}, {path}) = 'VARCHAR' "
            f"then json_extract_string({doc}, {path}) end as v_{j}"
        )
        prop_columns[name] = (f"t_{j}", f"v_{j}")
    props = col(columns, "properties")
    sql = f"""
with src as (
    select
        nullif(trim({col(columns, "event_id")}), '') as event_id,
        {col(columns, "event_name")} as event_name,
        {normalize} as event_key,
        {ts(columns, "event_ts")} as event_ts,
        {ts(columns, "received_at")} as received_at,
        coalesce({clean_id(col(columns, "anonymous_id"))},
            {clean_id(col(columns, "user_id"))}) as identifier,
        {is_json_object(props)} as properties_ok,
        {props} as properties_text,
        upper(trim({col(columns, "currency")})) as currency
    from raw.events
),

judged as (
    select
        *,
        case when properties_ok is not false then properties_text end as props
    from src
)

select
    event_id,
    event_name,
    event_key,
    event_ts,
    date_diff('second', received_at, event_ts) / 3600.0 as skew_hours,
    date_diff('second', cast({lit(min_event_date)} as timestamp), event_ts)
        as seconds_after_min_date,
    identifier,
    properties_ok,
    currency{"," if select_props else ""}
    {("," + chr(10) + "    ").join(select_props)}
from judged
"""
    return EventQuery(sql, prop_columns)


def normalized_name(columns: Sequence[str]) -> str:
    return (
        f"nullif(trim(regexp_replace(lower(trim({col(columns, 'event_name')})), "
        "'[^a-z0-9]+', '_', 'g'), '_'), '')"
    )


def volume_query(columns: Sequence[str], min_event_date: str, max_clock_skew_hours: float) -> str:
    """Daily counts per normalised event name of the rows staging would accept on time grounds
    (a valid timestamp, not too old, not in the future)."""
    event_ts = ts(columns, "event_ts")
    received = ts(columns, "received_at")
    return f"""
select event_key, cast(event_ts as date) as day, count(*) as n
from (
    select
        {normalized_name(columns)} as event_key,
        {event_ts} as event_ts,
        {received} as received_at
    from raw.events
) as e
where event_key is not null
    and event_ts >= cast({lit(min_event_date)} as timestamp)
    and date_diff('second', received_at, event_ts) <= {lit(float(max_clock_skew_hours))} * 3600
group by all
"""


def duplicates_query(table: str, id_column: str) -> str:
    """Ids (blank ones excluded) seen on more than one row of raw.<table>."""
    key = f"nullif(trim(cast({ident(id_column)} as varchar)), '')"
    return f"""
select {key} as id, count(*) as n_copies
from raw.{ident(table)}
where {key} is not null
group by 1
having count(*) > 1
order by 1
"""
