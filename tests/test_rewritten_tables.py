"""Tables rewritten as a difference (macros/incremental.sql, rewritten_table): after each run
the table holds exactly the rows of its select, repeated rows included, whichever stored rows
were kept. Checked on stg_identifies with hand-made identify calls over four runs: rows that
change, disappear, appear and repeat, and a run where nothing changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import IDENTIFY_COLUMNS, query, run_dbt, values_sql, write_raw_tables

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


def test_rewritten_table_holds_exactly_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    args = ("run", "--quiet", "--select", "stg_identifies")

    load(db, KEPT, COPIED, COPIED, CHANGED, GONE)
    run_dbt(db, *args, work_dir=tmp_path / "first")
    assert staged(db) == expected(KEPT, COPIED, COPIED, CHANGED, GONE)

    # A third copy, a changed row, a row removed from the source and a new one.
    changed = {**CHANGED, "traits": '{"role": "lead"}'}
    load(db, KEPT, COPIED, COPIED, COPIED, changed, NEW)
    run_dbt(db, *args, work_dir=tmp_path / "second")
    assert staged(db) == expected(KEPT, COPIED, COPIED, COPIED, changed, NEW)

    # Back to one copy; then a run with nothing new changes nothing.
    load(db, KEPT, COPIED, changed, NEW)
    run_dbt(db, *args, work_dir=tmp_path / "third")
    assert staged(db) == expected(KEPT, COPIED, changed, NEW)
    run_dbt(db, *args, work_dir=tmp_path / "fourth")
    assert staged(db) == expected(KEPT, COPIED, changed, NEW)
