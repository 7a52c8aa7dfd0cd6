"""A var that changes history (macros/history_settings.sql) stops an incremental run: a changed
session timeout would otherwise apply to new rows only, and the marts would differ from a full
build. Checked on hand-made events through a first build, a refused incremental run, a partial
and a whole --full-refresh, and the runs after them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASE_EVENT_COLUMNS, DbtBuildError, query, run_dbt, values_sql, write_raw_tables

pytestmark = pytest.mark.dbt

EVENTS = [
    {
        "event_id": f"h{i}",
        "event_name": name,
        "event_ts": ts,
        "received_at": ts,
        "anonymous_id": "a1",
        "user_id": "u1" if i > 0 else None,
    }
    for i, (name, ts) in enumerate(
        [
            ("page_viewed", "2026-03-02 10:00:00"),
            ("signed_up", "2026-03-02 10:20:00"),
            # 40 minutes later: a second session under the 30-minute timeout, the same
            # session under 45 minutes
            ("page_viewed", "2026-03-02 11:00:00"),
        ]
    )
]
# Hand-made events follow no scenario's tracking plan.
BASE_VARS = {"tracking_plan": None}
LONGER = {**BASE_VARS, "session_timeout_minutes": 45}


def recorded(db: Path) -> dict[str, str]:
    frame = query(
        db, "select setting_name, value_hash from intermediate.growthlens_history_settings"
    )
    return dict(zip(frame["setting_name"], frame["value_hash"], strict=True))


def n_sessions(db: Path) -> int:
    return int(query(db, "select count(*) as n from marts.fct_sessions")["n"][0])


def n_logged_runs(db: Path) -> int:
    return int(
        query(db, "select count(*) as n from intermediate.growthlens_incremental_state")["n"][0]
    )


def test_changed_history_var_needs_a_full_refresh(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    write_raw_tables(db, {"events": values_sql(BASE_EVENT_COLUMNS, EVENTS)})

    # A first build records the values it used: the default 30-minute timeout.
    run_dbt(db, "build", "--quiet", vars=BASE_VARS, work_dir=tmp_path / "first")
    first = recorded(db)
    assert "session_timeout_minutes" in first and "funnels" in first and "as_of" in first
    assert n_sessions(db) == 2

    # An incremental run with another timeout stops before any model runs, naming the var.
    logged = n_logged_runs(db)
    with pytest.raises(DbtBuildError, match="session_timeout_minutes differs"):
        run_dbt(db, "run", "--quiet", vars=LONGER, work_dir=tmp_path / "refused")
    assert n_logged_runs(db) == logged
    # Commands that build nothing are not stopped.
    run_dbt(
        db,
        "compile",
        "--quiet",
        "--select",
        "stg_events",
        vars=LONGER,
        work_dir=tmp_path / "compile",
    )

    # A full refresh of some models runs, but does not record: the other models keep the old
    # timeout, so incremental runs with the new one are still refused.
    run_dbt(
        db,
        "run",
        "--quiet",
        "--full-refresh",
        "--select",
        "stg_events_checked",
        vars=LONGER,
        work_dir=tmp_path / "partial",
    )
    assert recorded(db) == first

    # A full refresh of every model applies and records the new timeout (leaving out the data
    # tests still builds every model).
    run_dbt(
        db,
        "build",
        "--quiet",
        "--full-refresh",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
        vars=LONGER,
        work_dir=tmp_path / "full",
    )
    after = recorded(db)
    assert after["session_timeout_minutes"] != first["session_timeout_minutes"]
    assert {k: v for k, v in after.items() if k != "session_timeout_minutes"} == {
        k: v for k, v in first.items() if k != "session_timeout_minutes"
    }
    assert n_sessions(db) == 1

    # Incremental runs with the new value go on; the old value is refused now.
    run_dbt(db, "run", "--quiet", vars=LONGER, work_dir=tmp_path / "next")
    assert n_sessions(db) == 1
    with pytest.raises(DbtBuildError, match="session_timeout_minutes differs"):
        run_dbt(db, "run", "--quiet", vars=BASE_VARS, work_dir=tmp_path / "old")
