"""stg_identifies is staged by raw row key (macros/incremental.sql, raw_keyed_table): after
each run it holds exactly one parsed row per raw identify row, copies included, and only the
rows whose raw text changed are parsed and written again. Checked with hand-made identify calls
over four runs: rows that change, disappear, appear and repeat, a row staged without a key, and
a run where nothing changed. (The rewritten tables, which are written as a difference, are
compared with a full refresh in test_marketing_incremental and test_incremental.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import IDENTIFY_COLUMNS, execute, query, run_dbt, values_sql, write_raw_tables

pytestmark = pytest.mark.dbt


KEPT = {
    "identify_id": "rw_kept",
    "ts": "2026-02-01 10:00:00",
    "user_id": "u_kept",
    "traits": '{"role": "pm"}',
}
COPIED = {
    "identify_id": "rw_copy",
    "ts": "2026-02-01 11:00:00",
    "user_id": "u_copy",
    "email": " A@x.io ",
}
CHANGED = {
    "identify_id": "rw_changed",
    "ts": "2026-02-01 12:00:00",
    "anonymous_id": "a_changed",
    "traits": '{"role": "dev"}',
}
GONE = {"identify_id": "rw_gone", "ts": "2026-02-01 13:00:00", "user_id": "u_gone"}
NEW = {
    "identify_id": "rw_new",
    "ts": "2026-02-02 09:00:00",
    "user_id": "u_new",
    "traits": "not json",
}

# (identify_id, user_id, email, traits, is_traits_malformed) of a stored row.
Row = tuple[Any, ...]


def sort_rows(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: tuple((v is None, str(v)) for v in r))


def staged(db: Path) -> list[Row]:
    frame = query(
        db,
        "select identify_id, user_id, email, traits, is_traits_malformed "
        "from staging.stg_identifies",
    )
    return sort_rows(
        [tuple(None if v != v else v for v in row) for row in frame.itertuples(index=False)]
    )


def expected(*rows: dict[str, Any]) -> list[Row]:
    """The staged form of hand-made rows: email trimmed and lower-cased, traits kept when a
    JSON object."""
    out = []
    for row in rows:
        email = row.get("email")
        traits = row.get("traits")
        is_object = traits is not None and traits.startswith("{")
        out.append(
            (
                row["identify_id"],
                row.get("user_id"),
                email.strip().lower() if email else None,
                traits if is_object else None,
                traits is not None and not is_object,
            )
        )
    return sort_rows(out)


def load(db: Path, *rows: dict[str, Any]) -> None:
    write_raw_tables(db, {"identifies": values_sql(IDENTIFY_COLUMNS, rows)})


MARK = "marked"


def mark_all(db: Path) -> None:
    """Write a marker over every staged row's traits: a row the next run does not write again
    keeps it."""
    execute(db, f"update staging.stg_identifies set traits = '{MARK}'")


def marked(db: Path) -> list[str]:
    frame = query(
        db, f"select identify_id from staging.stg_identifies where traits = '{MARK}' order by 1"
    )
    return list(frame["identify_id"])


def unmarked(db: Path) -> list[Row]:
    return [row for row in staged(db) if row[3] != MARK]


def test_raw_keyed_table_holds_exactly_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    args = ("run", "--quiet", "--select", "stg_identifies")

    load(db, KEPT, COPIED, COPIED, CHANGED, GONE)
    run_dbt(db, *args, work_dir=tmp_path / "first")
    assert staged(db) == expected(KEPT, COPIED, COPIED, CHANGED, GONE)

    # A third copy, a changed row, a row removed from the source and a new one: only the
    # unchanged row keeps its marker; the copies are written again (their count changed).
    changed = {**CHANGED, "traits": '{"role": "lead"}'}
    load(db, KEPT, COPIED, COPIED, COPIED, changed, NEW)
    mark_all(db)
    run_dbt(db, *args, work_dir=tmp_path / "second")
    assert marked(db) == ["rw_kept"]
    assert unmarked(db) == expected(COPIED, COPIED, COPIED, changed, NEW)

    # Back to one copy; a row staged without a key (as before the key existed) is parsed again
    # instead of kept beside its new copy.
    load(db, KEPT, COPIED, changed, NEW)
    mark_all(db)
    execute(db, "update staging.stg_identifies set raw_row_key = null where identify_id = 'rw_new'")
    run_dbt(db, *args, work_dir=tmp_path / "third")
    assert marked(db) == ["rw_changed", "rw_kept"]
    assert unmarked(db) == expected(COPIED, NEW)

    # A table staged before the key existed (no key column) is parsed whole once, and holds
    # each row once.
    execute(db, "alter table staging.stg_identifies drop column raw_row_key")
    mark_all(db)
    run_dbt(db, *args, work_dir=tmp_path / "upgrade")
    assert marked(db) == []
    assert staged(db) == expected(KEPT, COPIED, changed, NEW)

    # A full refresh parses every row; then a run with nothing new writes nothing.
    run_dbt(db, *args, "--full-refresh", work_dir=tmp_path / "full")
    assert staged(db) == expected(KEPT, COPIED, changed, NEW)
    mark_all(db)
    run_dbt(db, *args, work_dir=tmp_path / "fourth")
    assert marked(db) == ["rw_changed", "rw_copy", "rw_kept", "rw_new"]
