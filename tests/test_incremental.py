"""Incremental builds equal a full refresh, mart for mart and row for row.

Sixty simulated days arrive in six uneven increments (split by received_at, with rows a loader
writes late). On top of the simulator's own dirt the data holds the hard cases of an hourly
pipeline: an event that arrives three weeks late and bridges two sessions built long before, a
copy of an event received (slightly) earlier than the copy already accepted, a re-sent copy of an
event accepted increments ago, an exact copy of a row loaded again within the lookback, an alias
that merges two persons whose sessions were built several increments earlier, an email that
crosses identity_max_user_ids_per_email and splits a person, and a device that a second user signs
in on after its first events were built (it becomes shared: its anonymous events go to whoever
signed in last before them). The first increment is a normal build, the next five incremental
ones; afterwards `dbt build --full-refresh` on another file with the same raw tables (sessionizing
persons in three slices, as a full build of a large warehouse does) must give identical marts
(every table and view of schema `marts`, found in the catalog, so new marts are covered),
identical staging.stg_events and staging.rejected_events, and raw = accepted + rejected must hold
after every increment.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, run_dbt

PERSONS = 250
DAYS = 60
SEED = 11
START = "2026-02-02"
# Cut points (fractions of the received_at range): uneven, one of them an hour after the first.
CUTS = (0.35, None, 0.55, 0.7, 0.88, 1.0)
JUNK_EMAIL = "shared-inbox@example.org"
LOOKBACK_HOURS = 3  # incremental_lookback_hours (its default in dbt_project.yml)


def _stage_raw(db: Path) -> dict[str, str]:
    """Add the hard cases to the simulated raw tables and give every row its arrival increment
    (stash.*); returns the ids the assertions look at."""
    con = duckdb.connect(str(db))
    try:
        con.execute("create schema stash")
        lo, hi = con.execute("select min(received_at), max(received_at) from raw.events").fetchone()
        cuts = []
        for fraction in CUTS:
            cuts.append(
                cuts[-1] + (hi - lo) / (24 * 60) if fraction is None else lo + (hi - lo) * fraction
            )
        cuts[-1] = hi
        con.execute(
            "create table stash.cuts as select unnest(?::timestamp[]) as cut_at, "
            "unnest(range(1, 7)) as increment",
            [cuts],
        )
        arrival = "(select min(increment) from stash.cuts where cut_at >= {ts})"

        con.execute(
            f"create table stash.events as select *, {arrival.format(ts='received_at')} as arrival "
            "from raw.events"
        )
        con.execute("update stash.events set arrival = 1 where arrival is null")
        ids: dict[str, str] = {}

        # Two identified users with events in the first increment, not yet one person.
        users = con.execute(
            """
            select user_id from stash.events
            where user_id is not null and arrival = 1
              and user_id not in (select user_id from raw.aliases where user_id is not null)
              and user_id not in (select previous_id from raw.aliases where previous_id is not null)
            group by user_id having count(*) >= 5
            order by user_id limit 8
            """
        ).fetchall()
        alias_from, alias_to, email_a, email_b, junk_c, junk_d, owner_a, owner_b = (
            u[0] for u in users
        )
        ids.update(alias_from=alias_from, alias_to=alias_to, email_a=email_a, email_b=email_b)
        ids.update(owner_a=owner_a, owner_b=owner_b)

        # An alias merging two persons, arriving in increment 5.
        con.execute(
            "create table stash.aliases as select *, case when ts is null then 1 else "
            f"coalesce({arrival.format(ts='ts')}, 6) end as arrival from raw.aliases"
        )
        con.execute(
            "insert into stash.aliases values (?, ?, ?, 5)",
            [alias_from, alias_to, cuts[3] + (cuts[4] - cuts[3]) / 2],
        )
        # One email typed by two users early (one person), by two more in the last increment
        # (over the limit of 3: links nothing, the person splits again).
        con.execute(
            "create table stash.identifies as select *, case when ts is null then 1 else "
            f"coalesce({arrival.format(ts='ts')}, 6) end as arrival from raw.identifies"
        )
        early = lo + (cuts[0] - lo) / 2
        late = cuts[4] + (cuts[5] - cuts[4]) / 2
        for n, (user, ts, arrives) in enumerate(
            [(email_a, early, 1), (email_b, early, 1), (junk_c, late, 6), (junk_d, late, 6)]
        ):
            con.execute(
                "insert into stash.identifies values (?, ?, null, ?, ?, null, ?)",
                [f"inc_identify_{n}", ts, user, JUNK_EMAIL, arrives],
            )

        # Two sessions of one person 50 minutes apart, built in the first increment, and an
        # event between them that arrives more than three weeks late and joins them into one.
        first_ts = con.execute(
            "select min(event_ts) from stash.events where user_id = ?", [email_a]
        ).fetchone()[0]
        early_ts = first_ts - timedelta(hours=4)
        late_received = cuts[4] - (cuts[4] - cuts[3]) / 4
        assert (late_received - early_ts).days >= 21
        for event_id, ts, received, arrives in [
            ("inc_session_a", early_ts, early_ts + timedelta(minutes=1), 1),
            (
                "inc_session_b",
                early_ts + timedelta(minutes=50),
                early_ts + timedelta(minutes=51),
                1,
            ),
            ("inc_late_event", early_ts + timedelta(minutes=25), late_received, 5),
        ]:
            con.execute(
                """
                insert into stash.events (event_id, event_name, event_ts, received_at, user_id, platform, arrival)
                values (?, 'page_viewed', ?, ?, ?, 'web', ?)
                """,
                [event_id, ts, received, email_a, arrives],
            )

        # A device of owner_a's (first increment) that owner_b signs in on in increment 3, so it
        # becomes shared after the device's first events were built: anonymous events on it go
        # to whoever signed in last before them, including one arriving in the last increment
        # that happened before owner_b's first sign-in.
        device = con.execute(
            "select anonymous_id from stash.events where user_id = ? and arrival = 1 "
            "group by anonymous_id order by count(*) desc limit 1",
            [owner_a],
        ).fetchone()[0]
        assert device is not None
        ids["shared_device"] = device

        def inside(increment: int, fraction: float):
            start = lo if increment == 1 else cuts[increment - 2]
            return start + (cuts[increment - 1] - start) * fraction

        for event_id, user, ts, received, arrives in [
            ("inc_shared_b", owner_b, inside(3, 0.5), inside(3, 0.5), 3),
            ("inc_shared_anon_b", None, inside(3, 0.5) + timedelta(minutes=5), inside(3, 0.6), 3),
            ("inc_shared_a", owner_a, inside(4, 0.5), inside(4, 0.5), 4),
            ("inc_shared_anon_a", None, inside(4, 0.5) + timedelta(minutes=5), inside(5, 0.5), 5),
            ("inc_shared_anon_late", None, inside(3, 0.2), inside(6, 0.5), 6),
        ]:
            con.execute(
                """
                insert into stash.events (event_id, event_name, event_ts, received_at, user_id, anonymous_id, platform, arrival)
                values (?, 'page_viewed', ?, ?, ?, ?, 'web', ?)
                """,
                [event_id, ts, received, user, device, arrives],
            )

        # A copy received one second before the accepted copy (the last one received in
        # increment 3, so within the lookback), loaded in increment 4 with another page_url: it wins
        # from then on.
        accepted = con.execute(
            """
            select event_id, received_at from stash.events
            where arrival = 3 and event_id is not null and user_id is not null
              and event_ts < received_at
              and event_id in (select event_id from stash.events group by event_id having count(*) = 1)
            order by received_at desc limit 1
            """
        ).fetchone()
        ids["earlier_copy"] = accepted[0]
        con.execute(
            """
            insert into stash.events
            select * replace (received_at - interval 1 second as received_at,
                              'earlier_copy_wins' as page_url, 4 as arrival)
            from stash.events where event_id = ? and received_at = ?
            """,
            list(accepted),
        )
        # A re-sent copy of an event accepted in increment 1, arriving in increment 5: rejected.
        resent = con.execute(
            "select event_id from stash.events where arrival = 1 and event_id is not null "
            "and user_id is not null order by event_id limit 1"
        ).fetchone()[0]
        ids["resent"] = resent
        con.execute(
            """
            insert into stash.events
            select * replace (? as received_at, 'resent_copy' as page_url, 5 as arrival)
            from stash.events where event_id = ? limit 1
            """,
            [cuts[4] - (cuts[4] - cuts[3]) / 3, resent],
        )
        # An exact copy (every column equal) of the last row received in increment 3, loaded
        # again in increment 4, which reads that hour once more (the lookback): it is a
        # second row, rejected as a duplicate, though it equals a row staged already.
        exact = con.execute(
            """
            select event_id, received_at from stash.events
            where arrival = 3 and event_id is not null
              and event_id in (select event_id from stash.events group by event_id having count(*) = 1)
            order by received_at desc limit 1
            """
        ).fetchone()
        ids["exact_copy"] = exact[0]
        con.execute(
            "insert into stash.events select * replace (4 as arrival) from stash.events "
            "where event_id = ? and received_at = ?",
            list(exact),
        )
    finally:
        con.close()
    return ids


def _load_increment(db: Path, increment: int) -> None:
    """raw.* = every stashed row that has arrived by this increment."""
    con = duckdb.connect(str(db))
    try:
        for table in ("events", "identifies", "aliases"):
            con.execute(
                f"create or replace table raw.{table} as select * exclude (arrival) from stash.{table} "
                f"where arrival <= {increment} order by arrival"
            )
    finally:
        con.close()


def _dbt_process(db: Path, work: Path, *args: str) -> subprocess.Popen[str]:
    """A dbt run in the background (the full refresh runs beside the increments)."""
    import os

    env = {**os.environ, "GROWTHLENS_DUCKDB": str(db), "DBT_PROFILES_DIR": str(REPO)}
    cmd = [
        str(Path(sys.executable).parent / "dbt"),
        *args,
        "--project-dir",
        str(REPO),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    return subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _counts(db: Path) -> tuple[int, int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select (select count(*) from raw.events), (select count(*) from staging.stg_events), "
            "(select count(*) from staging.rejected_events)"
        ).fetchone()
    finally:
        con.close()


# Increments before the last build every seed and model (no tests), so the incremental marts are
# built incrementally five times; the last increment is a whole build, tests included.
# Half of the restarted persons (the earliest) have their stored events fetched by person, the
# others read by event time, so both paths of int_events_sessionized are compared below.
EARLY_RESTARTS = ("--vars", json.dumps({"incremental_early_restart_share": 0.5}))
INCREMENT_ARGS = (
    "build",
    "--quiet",
    "--exclude",
    "resource_type:test",
    "resource_type:unit_test",
    *EARLY_RESTARTS,
)


def build_increments(work: Path) -> dict:
    """Simulate, stage the hard cases, build six increments into one file and a full refresh
    into another (beside them); return both paths, the ids of the hard cases and per-increment
    counts."""
    from growthlens.simulate import simulate

    incremental = work / "incremental.duckdb"
    full = work / "full_refresh.duckdb"
    simulate(
        out=str(incremental), persons=PERSONS, days=DAYS, seed=SEED, scenario="saas", start=START
    )
    ids = _stage_raw(incremental)

    shutil.copy(incremental, full)
    _load_increment(full, 6)
    # The full refresh sessionizes persons in three slices (full_build_slice_events), so the
    # comparison below also checks that a sliced full build equals the increments.
    con = duckdb.connect(str(full), read_only=True)
    try:
        n_raw = con.execute("select count(*) from raw.events").fetchone()[0]
    finally:
        con.close()
    slice_vars = json.dumps({"full_build_slice_events": n_raw // 3 + 1})
    full_run = _dbt_process(
        full, work / "full", "build", "--quiet", "--full-refresh", "--vars", slice_vars
    )

    history = []
    try:
        for increment in range(1, 7):
            _load_increment(incremental, increment)
            args = ("build", "--quiet", *EARLY_RESTARTS) if increment == 6 else INCREMENT_ARGS
            run_dbt(incremental, *args, work_dir=work / f"increment_{increment}")
            con = duckdb.connect(str(incremental), read_only=True)
            try:
                n_changed, n_affected, n_batches = con.execute(
                    "select (select count(*) from intermediate.int_events_changed), "
                    "(select count(*) from intermediate.int_persons_affected), "
                    "(select count(distinct batch_loaded_at) from staging.stg_events_checked)"
                ).fetchone()
            finally:
                con.close()
            history.append(
                {
                    "counts": _counts(incremental),
                    "changed": n_changed,
                    "affected": n_affected,
                    "batches": n_batches,
                }
            )
    finally:
        output, _ = full_run.communicate()
    assert full_run.returncode == 0, output[-4000:]
    return {
        "incremental": incremental,
        "full": full,
        "work": work,
        "ids": ids,
        "history": history,
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build_increments(tmp_path_factory.mktemp("incremental"))


def test_every_increment_keeps_every_raw_row(built):
    for step in built["history"]:
        n_raw, n_accepted, n_rejected = step["counts"]
        assert n_raw == n_accepted + n_rejected


def test_increments_were_incremental(built):
    """Later runs placed only the changed events and the persons they touch, not everything."""
    history = built["history"]
    assert history[0]["changed"] == 0 and history[0]["batches"] == 1
    n_accepted = history[-1]["counts"][1]
    for step in history[1:]:
        assert 0 < step["changed"] < n_accepted / 2
        assert step["affected"] > 0
    assert history[-1]["batches"] >= 3


def test_reread_rows_keep_their_stamp(built):
    """Rows the lookback reads again unchanged keep the stamp of the build that first staged
    them: every row received before the first cut (the hard cases aside, none arrives later) is
    still stamped by the first build, although the second build re-read the last hours of it."""
    con = duckdb.connect(str(built["incremental"]), read_only=True)
    try:
        first_cut = con.execute("select cut_at from stash.cuts where increment = 1").fetchone()[0]
        reread, stamps = con.execute(
            "select count(*) filter (where received_at >= ?), "
            "count(distinct batch_loaded_at) from staging.stg_events_checked "
            "where received_at <= ? and coalesce(event_id, '') not like 'inc_%' "
            "and coalesce(page_url, '') not in ('earlier_copy_wins', 'resent_copy')",
            [first_cut - timedelta(hours=LOOKBACK_HOURS), first_cut],
        ).fetchone()
    finally:
        con.close()
    assert reread > 0
    assert stamps == 1


def test_full_refresh_was_sliced(built):
    """The full refresh ran the sessionizing sort in three slices and kept every event."""
    compiled = (
        built["work"] / "full" / "target" / "run" / "growthlens" / "models" / "intermediate"
        / "engagement" / "int_events_sessionized.sql"
    ).read_text()  # fmt: skip
    assert "= 0 /* growthlens_slice of 3 */" in compiled
    con = duckdb.connect(str(built["full"]), read_only=True)
    try:
        n_sessionized, n_persons, n_accepted = con.execute(
            "select count(*), count(distinct person_id), "
            "(select count(*) from staging.stg_events) "
            "from intermediate.int_events_sessionized"
        ).fetchone()
    finally:
        con.close()
    assert n_sessionized == n_accepted
    assert n_persons > 3


def _relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    marts = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = 'full_refresh' and table_schema = 'marts' order by table_name"
    ).fetchall()
    return [
        *marts,
        ("staging", "stg_events"),
        ("staging", "rejected_events"),
        ("intermediate", "int_shared_device_events"),
    ]


def test_shared_device_events_read_their_own_rows(built):
    """From the second increment on, int_shared_device_events starts from the rows it holds
    (the session model ran in every increment); the stored events are read only in the increment
    where a device it held no rows of had become shared (the scenario's device that becomes
    shared, among others), so both paths are compared with the full refresh below."""
    paths = []
    for increment in range(2, 7):
        compiled = next(
            (built["work"] / f"increment_{increment}" / "target" / "run").rglob(
                "int_shared_device_events.sql"
            )
        ).read_text()
        assert '"intermediate"."int_shared_device_events"' in compiled
        assert "int_events_scoped" not in compiled
        paths.append('"int_events_sessionized"' in compiled)
    assert any(paths) and not all(paths)


def test_incremental_equals_full_refresh(built):
    con = duckdb.connect()
    try:
        con.execute(f"attach '{built['incremental']}' as incremental (read_only)")
        con.execute(f"attach '{built['full']}' as full_refresh (read_only)")
        relations = _relations(con)
        assert len(relations) >= 15
        differences = {}
        for schema, table in relations:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'full_refresh' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, table],
            ).fetchall()
            select = ", ".join(
                f'round("{name}", 9) as "{name}"' if kind in ("DOUBLE", "FLOAT") else f'"{name}"'
                for name, kind in columns
            )
            both = []
            for a, b in (("incremental", "full_refresh"), ("full_refresh", "incremental")):
                both.append(
                    con.execute(
                        f"select count(*) from (select {select} from {a}.{schema}.{table} "
                        f"except all select {select} from {b}.{schema}.{table})"
                    ).fetchone()[0]
                )
            n_rows = con.execute(f"select count(*) from full_refresh.{schema}.{table}").fetchone()[
                0
            ]
            if any(both):
                differences[f"{schema}.{table}"] = (n_rows, *both)
        assert differences == {}
    finally:
        con.close()


def test_hard_cases_took_effect(built):
    """The scenario's hard cases are visible in the incremental warehouse (so the equality above
    covers them): the merge, the split, the late bridging event, both copies and the device that
    became shared."""
    ids = built["ids"]
    con = duckdb.connect(str(built["incremental"]), read_only=True)
    try:

        def person(user_id: str) -> str:
            return con.execute(
                "select person_id from marts.person_identities "
                "where identifier_type = 'user_id' and identifier_value = ?",
                [user_id],
            ).fetchone()[0]

        assert person(ids["alias_from"]) == person(ids["alias_to"])
        assert (
            con.execute(
                "select is_shared_device from intermediate.int_anonymous_ids_resolved "
                "where anonymous_id = ?",
                [ids["shared_device"]],
            ).fetchone()[0]
            is True
        )
        shared = dict(
            con.execute(
                "select event_id, person_id from marts.fct_events "
                "where event_id like 'inc_shared_anon_%'"
            ).fetchall()
        )
        assert shared == {
            "inc_shared_anon_b": person(ids["owner_b"]),
            "inc_shared_anon_a": person(ids["owner_a"]),
            "inc_shared_anon_late": person(ids["owner_a"]),
        }
        assert person(ids["email_a"]) != person(ids["email_b"])
        assert (
            con.execute(
                "select count(*) from marts.identity_conflicts where conflict_type = 'shared_email' "
                "and identifier_value = sha256(?)",
                [JUNK_EMAIL],
            ).fetchone()[0]
            == 1
        )
        late = con.execute(
            "select s.n_events, s.started_at < e.event_ts, e.event_ts < s.ended_at "
            "from marts.fct_events as e inner join marts.fct_sessions as s on e.session_id = s.session_id "
            "where e.event_id = 'inc_late_event'"
        ).fetchone()
        assert late == (3, True, True)
        assert (
            con.execute(
                "select page_url from staging.stg_events where event_id = ?",
                [ids["earlier_copy"]],
            ).fetchone()[0]
            == "earlier_copy_wins"
        )
        assert (
            con.execute(
                "select count(*) from staging.rejected_events where event_id = ? and reject_reason = 'duplicate_event_id'",
                [ids["earlier_copy"]],
            ).fetchone()[0]
            == 1
        )
        assert con.execute(
            "select (select count(*) from staging.stg_events where event_id = ?), "
            "(select count(*) from staging.rejected_events where event_id = ? "
            "and reject_reason = 'duplicate_event_id')",
            [ids["exact_copy"], ids["exact_copy"]],
        ).fetchone() == (1, 1)
        assert (
            con.execute(
                "select coalesce(page_url, '') from staging.stg_events where event_id = ?",
                [ids["resent"]],
            ).fetchone()[0]
            != "resent_copy"
        )
    finally:
        con.close()
