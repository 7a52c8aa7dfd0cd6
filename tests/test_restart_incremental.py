"""Person-keyed models that restart a person at rebuild_from stay equal to a full refresh.

An incremental build places a person's events again only from rebuild_from on (the first
session a new, re-sent or replaced event can reach), and models such as
int_funnel_entries_chained chain only that recent part again, keeping the best older result
they stored. Hand-made events of one user on top of a small simulation check the cases where
the stored result can't be kept:

1. first build: an older core_loop entry reaching two steps, and a recent one reaching all
   three (the stored best entry);
2. a copy of the recent entry's third event, received one second earlier than it and named
   page_viewed, replaces it: the recent entry now reaches two steps, ties with the older one
   and loses to it (ties go to the earliest entry), which the stored row no longer shows;
3. a later workflow_started and payment: the person restarts after the older entry, which is
   kept, as are the first sighting of the device and the first payment, twelve days earlier;
4. int_account_members_activated's table loses member_since (as one built by an earlier
   version): the next build rebuilds it whole;
5. incremental_early_restart_share 1: every restarted person's stored rows are read the early
   way (by row id), none through the recent scan.

After each incremental build every mart equals a --full-refresh build of the same raw tables.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import differing_rows, execute, query, run_dbt

PERSONS = 30
DAYS = 20
SEED = 3
USER = "rs_user"
ARGS = ("build", "--quiet", "--exclude", "resource_type:test", "resource_type:unit_test")
INSERT_EVENT = (
    "insert into raw.events"
    " (event_id, event_name, event_ts, received_at, anonymous_id, user_id, platform)"
    " values (?, ?, ?, ?, ?, ?, 'web')"
)


# Compared besides every mart: the person-keyed intermediates that restart at rebuild_from
# (the others carry the build's own stamps).
INTERMEDIATE = (
    "intermediate.int_funnel_entries_chained",
    "intermediate.int_person_first_touches",
    "intermediate.int_conversion_paths",
    "intermediate.int_person_transitions_counted",
    "intermediate.int_person_anonymous_ids_seen",
    "intermediate.int_persons_summarized",
    "intermediate.int_person_periods_active",
    "intermediate.int_account_members_activated",
)


def _differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    return {
        **differing_rows(incremental, full),
        **differing_rows(incremental, full, INTERMEDIATE),
    }


def _build_and_compare(work: Path, db: Path, step: str, vars: dict | None = None) -> None:
    run_dbt(db, *ARGS, vars=vars, work_dir=work / step)
    full = work / f"full_{step}.duckdb"
    shutil.copy(db, full)
    run_dbt(full, *ARGS, "--full-refresh", work_dir=work / f"full_{step}")
    assert _differences(db, full) == {}


def _insert_events(db: Path, rows: list[tuple]) -> None:
    """Append raw events (event_id, event_name, event_ts, received_at, anonymous_id) of USER."""
    con = duckdb.connect(str(db))
    try:
        for row in rows:
            con.execute(INSERT_EVENT, [*row, USER])
    finally:
        con.close()


def _insert_started_and_paid(db: Path, prefix: str, ts: datetime) -> None:
    """USER's workflow_started and subscription_paid at `ts` on the device first seen twelve
    days before the end (ids <prefix>_started, <prefix>_paid), received a minute later."""
    _insert_events(
        db,
        [
            (f"{prefix}_{suffix}", name, ts, ts + timedelta(minutes=1), "rs_device_old")
            for suffix, name in [("started", "workflow_started"), ("paid", "subscription_paid")]
        ],
    )


def _user_rows(db: Path, relation: str, columns: str, condition: str = "true") -> list[tuple]:
    """`columns` of USER's rows of `relation` (a table with person_id), sorted by them."""
    rows = query(
        db,
        f"""
        select {columns}
        from {relation} as rows
        inner join marts.person_identities as ids
            on rows.person_id = ids.person_id
        where ids.identifier_type = 'user_id' and ids.identifier_value = ? and {condition}
        order by all
        """,
        [USER],
    )
    return [
        tuple(value.to_pydatetime() if isinstance(value, pd.Timestamp) else value for value in row)
        for row in rows.itertuples(index=False, name=None)
    ]


def _core_loop(db: Path) -> list[tuple]:
    """USER's core_loop row: (entry_event_id, furthest_step)."""
    return _user_rows(
        db,
        "intermediate.int_funnel_entries_chained",
        "rows.entry_event_id, rows.furthest_step",
        "rows.funnel_name = 'core_loop'",
    )


def _conversions(db: Path) -> list[tuple]:
    """USER's (conversion_id, is_first_conversion) rows."""
    return _user_rows(db, "marts.fct_conversions", "rows.conversion_id, rows.is_first_conversion")


def _devices(db: Path) -> list[tuple]:
    """USER's (anonymous_id, first_seen_at) rows."""
    return _user_rows(
        db, "intermediate.int_person_anonymous_ids_seen", "rows.anonymous_id, rows.first_seen_at"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    from growthlens.simulate import simulate

    work = tmp_path_factory.mktemp("restart_incremental")
    db = work / "warehouse.duckdb"
    simulate(out=str(db), persons=PERSONS, days=DAYS, seed=SEED, scenario="saas")
    end = query(db, "select max(received_at) as end from raw.events")["end"][0].to_pydatetime()
    old = end - timedelta(days=12)
    recent = end - timedelta(minutes=80)
    _insert_events(
        db,
        [
            (event_id, name, ts, ts + timedelta(minutes=1), device)
            for event_id, name, ts, device in [
                ("rs_old_started", "workflow_started", old, "rs_device_old"),
                ("rs_old_saved", "workflow_saved", old + timedelta(minutes=30), "rs_device_old"),
                ("rs_old_paid", "subscription_paid", old + timedelta(minutes=40), "rs_device_old"),
                ("rs_recent_started", "workflow_started", recent, "rs_device_new"),
                (
                    "rs_recent_saved",
                    "workflow_saved",
                    recent + timedelta(minutes=10),
                    "rs_device_new",
                ),
                ("rs_recent_run", "workflow_run", recent + timedelta(minutes=20), "rs_device_new"),
            ]
        ],
    )
    run_dbt(db, *ARGS, work_dir=work / "first")
    return work, db, {"end": end, "recent": recent}


def test_stored_best_entry_replaced(built):
    work, db, at = built
    assert _core_loop(db) == [("rs_recent_started", 3)]
    run_ts = at["recent"] + timedelta(minutes=20)
    # Received one second before the copy staged in the first build: it wins the copy rank.
    _insert_events(
        db,
        [("rs_recent_run", "page_viewed", run_ts, run_ts + timedelta(seconds=59), "rs_device_new")],
    )
    _build_and_compare(work, db, "replaced")
    assert _core_loop(db) == [("rs_old_started", 2)]


def test_older_best_entry_kept(built):
    work, db, at = built
    ts = at["end"] + timedelta(hours=1)
    # On the device first seen twelve days ago: its stored first sighting stands.
    _insert_started_and_paid(db, "rs_later", ts)
    _build_and_compare(work, db, "later")
    assert _core_loop(db) == [("rs_old_started", 2)]
    # The stored payment twelve days ago stays the first one.
    assert _conversions(db) == [("rs_later_paid", False), ("rs_old_paid", True)]
    assert _devices(db) == [
        ("rs_device_new", at["recent"]),
        ("rs_device_old", at["end"] - timedelta(days=12)),
    ]
    rebuild_from = query(
        db,
        """
        select rebuild_from from intermediate.int_persons_affected
        where person_id in (
            select person_id from marts.person_identities
            where identifier_type = 'user_id' and identifier_value = ?
        )
        """,
        [USER],
    )["rebuild_from"].tolist()
    # Restarted from a time on (not rebuilt whole), after the older entry's window.
    assert len(rebuild_from) == 1 and not pd.isna(rebuild_from[0])
    assert rebuild_from[0] - timedelta(hours=168) > at["end"] - timedelta(days=12)
    # The lookback read USER's recent events again (received within its hours before the
    # latest row staged earlier), unchanged: they keep their stamp and are not placed again;
    # only the two new ones carry this build's stamp.
    stamps = query(
        db,
        """
        select distinct
            event_id,
            batch_loaded_at = (select max(batch_loaded_at) from staging.stg_events_checked)
                as has_latest_stamp,
            received_at >= (
                select max(received_at) - interval 3 hour from staging.stg_events_checked
                where event_id not like 'rs_later_%'
            ) as is_in_lookback
        from staging.stg_events_checked
        where event_id like 'rs_recent_%' or event_id like 'rs_later_%'
        order by event_id
        """,
    )
    assert list(stamps.itertuples(index=False, name=None)) == [
        ("rs_later_paid", True, True),
        ("rs_later_started", True, True),
        ("rs_recent_run", False, True),
        ("rs_recent_saved", False, True),
        ("rs_recent_started", False, True),
    ]
    changed = query(
        db,
        "select event_id from intermediate.int_events_changed where event_id like 'rs_%'"
        " order by event_id",
    )["event_id"].tolist()
    assert changed == ["rs_later_paid", "rs_later_started"]


def test_table_without_read_back_column_rebuilt(built):
    """int_account_members_activated reads its stored member_since back; a table built before
    the column existed is rebuilt whole (the select could not read it) and equals a full
    refresh."""
    work, db, at = built
    execute(db, "alter table intermediate.int_account_members_activated drop column member_since")
    ts = at["end"] + timedelta(hours=2)
    _insert_events(
        db, [("rs_upgrade_run", "workflow_run", ts, ts + timedelta(minutes=1), "rs_device_old")]
    )
    _build_and_compare(work, db, "upgraded")
    # Rebuilt whole: the delete was not narrowed to the affected accounts.
    executed = next(
        (work / "upgraded" / "target" / "run").rglob("int_account_members_activated.sql")
    )
    assert "delete from" in executed.read_text()
    assert "(1 = 1)" in executed.read_text()
    missing = query(
        db,
        "select count(*) - count(member_since) as n from intermediate.int_account_members_activated",
    )["n"][0]
    assert missing == 0


def test_every_person_read_the_early_way(built):
    work, db, at = built
    ts = at["end"] + timedelta(hours=3)
    _insert_started_and_paid(db, "rs_early", ts)
    _build_and_compare(work, db, "all_early", vars={"incremental_early_restart_share": 1})
    assert ("rs_early_paid", False) in _conversions(db)


def test_restart_readers_run_without_the_session_model(built):
    """The models that read the session model's restarted slices by its stamp
    (person_restart_rows) read them from its table when it did not run in the same build: run
    again on their own after a build, they change nothing."""
    work, db, at = built
    ts = at["end"] + timedelta(hours=4)
    _insert_started_and_paid(db, "rs_alone", ts)
    readers = [
        "int_sessions_classified",
        "fct_conversions",
        "int_person_anonymous_ids_seen",
        "int_account_members_activated",
    ]
    run_dbt(db, *ARGS, work_dir=work / "with_sessions")
    run_dbt(db, "run", "--quiet", "--select", *readers, work_dir=work / "alone")
    for step, stamped in [("with_sessions", True), ("alone", False)]:
        for name in readers:
            compiled = next((work / step / "target" / "compiled").rglob(f"{name}.sql"))
            assert ("person_rows.sessionized_at = cast(" in compiled.read_text()) == stamped
    full = work / "full_alone.duckdb"
    shutil.copy(db, full)
    run_dbt(full, *ARGS, "--full-refresh", work_dir=work / "full_alone")
    assert _differences(db, full) == {}
    assert differing_rows(db, full, ["intermediate.int_sessions_classified"]) == {}
    assert ("rs_alone_paid", False) in _conversions(db)
