"""Tracker failures injected on purpose, after the clean simulation is written.

Each injection breaks the data the way a real tracker release does, from a fixed day on, so
that `growthlens validate` and `marts.data_quality_issues` can be shown to catch it:

- `unknown_event`: every 40th clean event row of the second half is renamed `debug_ping`, an
  event the tracking plan doesn't know;
- `missing_property`: from mid-period, the signup event loses a required property;
- `type_drift`: from mid-period, an integer property arrives as a string (`"4"`, not `4`);
- `volume_drop`: for three days near the end, nine in ten rows of a busy event never arrive.

Rows are chosen by their position (rowid), so the result is as deterministic as the clean run;
without injections nothing here runs. `truth.events.dirt` labels touched rows `injected_<name>`,
dropped rows leave raw.events and truth.events together (raw_row stays the raw rowid), and
`truth.injections` lists what was done.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from growthlens.errors import InvalidArgumentError

__all__ = ["INJECTIONS", "TARGETS", "apply_injections", "parse_injections"]

INJECTIONS = ("unknown_event", "missing_property", "type_drift", "volume_drop")

# scenario -> injection -> (event, property)
TARGETS: dict[str, dict[str, tuple[str, str | None]]] = {
    "saas": {
        "unknown_event": ("debug_ping", None),
        "missing_property": ("signed_up", "signup_type"),
        "type_drift": ("workflow_saved", "steps"),
        "volume_drop": ("workflow_run", None),
    },
    "loyalty": {
        "unknown_event": ("debug_ping", None),
        "missing_property": ("registered", "method"),
        "type_drift": ("coins_earned", "coins"),
        "volume_drop": ("app_opened", None),
    },
}

DAY_US = 86_400_000_000
DROP_DAYS = 3
MIN_DAYS_FOR_DROP = 32  # four weeks of history before the dropped days

_NAME = "trim(regexp_replace(lower(trim(e.event_name)), '[^a-z0-9]+', '_', 'g'), '_')"


def parse_injections(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """`"unknown_event,volume_drop"` -> ('unknown_event', 'volume_drop'), checked and ordered.

    >>> parse_injections("volume_drop, unknown_event")
    ('unknown_event', 'volume_drop')
    """
    if not text:
        return ()
    items = text.split(",") if isinstance(text, str) else list(text)
    names = {item.strip() for item in items if item.strip()}
    unknown = sorted(names - set(INJECTIONS))
    if unknown:
        raise InvalidArgumentError(
            f"unknown injection {', '.join(unknown)}; choose from {', '.join(INJECTIONS)}"
        )
    return tuple(name for name in INJECTIONS if name in names)


def _ts(us: int) -> str:
    return f"make_timestamp({int(us)})"


def apply_injections(
    con: Any, scenario: str, inject: Sequence[str], start_us: int, days: int
) -> None:
    """Apply `inject` to the raw.events / truth.events of the open connection `con`."""
    names = parse_injections(inject)
    if not names:
        return
    if "volume_drop" in names and days < MIN_DAYS_FOR_DROP:
        raise InvalidArgumentError(
            f"volume_drop needs --days >= {MIN_DAYS_FOR_DROP} (four weeks of history to drop from)"
        )
    targets = TARGETS[scenario]
    mid = _ts(start_us + (days // 2) * DAY_US)
    log: list[tuple[str, str, str | None, int, str]] = []
    # rows still clean in truth, after the cut-over day: the candidates of every injection
    clean_after_mid = f"""
        select e.rowid as r, {_NAME} as name
        from raw.events as e
        inner join truth.events as t on t.raw_row = e.rowid
        where t.dirt = 'clean' and e.event_ts >= {mid}"""

    for name in names:
        event, prop = targets[name]
        if name == "unknown_event":
            rows = f"select r from ({clean_after_mid}) where r % 40 = 0"
        elif name in ("missing_property", "type_drift"):
            rows = f"""select c.r from ({clean_after_mid}) as c
                inner join raw.events as e on e.rowid = c.r
                where c.name = '{event}' and json_valid(e.properties)
                    and json_extract(e.properties, '$.{prop}') is not null"""
        else:
            first_day = min(max(28, (days * 3) // 4), days - DROP_DAYS)
            lo = _ts(start_us + first_day * DAY_US)
            hi = _ts(start_us + (first_day + DROP_DAYS) * DAY_US)
            rows = f"""select e.rowid as r from raw.events as e
                where {_NAME} = '{event}' and e.event_ts >= {lo} and e.event_ts < {hi}
                    and e.rowid % 10 <> 0"""
        # the rows are fixed before anything changes (the updates change what selects them)
        con.execute(f"create temp table gl_rows as {rows}")
        n = con.execute("select count(*) from gl_rows").fetchone()[0]
        period = "second half"
        if name == "unknown_event":
            con.execute(
                f"update raw.events set event_name = '{event}' "
                "where rowid in (select r from gl_rows)"
            )
        elif name in ("missing_property", "type_drift"):
            if name == "missing_property":
                patch = f"json_object('{prop}', null)"
            else:
                patch = f"json_object('{prop}', json_extract_string(properties, '$.{prop}'))"
            con.execute(
                f"update raw.events set properties = cast(json_merge_patch(properties, {patch}) "
                "as varchar) where rowid in (select r from gl_rows)"
            )
        else:
            period = f"days {first_day}-{first_day + DROP_DAYS - 1}"
            _drop_rows(con)
        if name != "volume_drop":
            con.execute(
                f"update truth.events set dirt = 'injected_{name}' "
                "where raw_row in (select r from gl_rows)"
            )
        con.execute("drop table gl_rows")
        log.append((name, event, prop, n, period))
    con.execute(
        "create table truth.injections (injection varchar, event_name varchar, "
        "property varchar, n_rows bigint, period varchar)"
    )
    con.executemany("insert into truth.injections values (?, ?, ?, ?, ?)", log)


def _drop_rows(con: Any) -> None:
    """Remove the rows of gl_rows from raw.events and truth.events, renumbering raw_row so
    it stays the rowid of the raw row."""
    con.execute(
        "create table raw.events_kept as select * from raw.events "
        "where rowid not in (select r from gl_rows) order by rowid"
    )
    cols = [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'truth' "
            "and table_name = 'events' and column_name <> 'raw_row' order by ordinal_position"
        ).fetchall()
    ]
    con.execute(
        "create table truth.events_kept as select "
        "cast(row_number() over (order by raw_row) - 1 as bigint) as raw_row, "
        f"{', '.join(cols)} from truth.events "
        "where raw_row not in (select r from gl_rows) order by raw_row"
    )
    con.execute("drop table raw.events")
    con.execute("alter table raw.events_kept rename to events")
    con.execute("drop table truth.events")
    con.execute("alter table truth.events_kept rename to events")
