"""Benchmark incremental builds against a full build and the one-sort floor (performance.md).

    python bench/incremental.py                      # 1 M and 10 M events
    python bench/incremental.py --sizes 100 --memory-limit 10GB --no-readme --runs 1

For each size: 90 simulated days land in `stash.events` (100 M = ten copies of the 10 M
simulation with their ids made distinct, so the simulator's memory stays small), ordered by
received_at as a loader appends them (written a day at a time, so no 100 M-row sort);
`raw.events` is a view of the rows received by a cut-off (identify and alias calls likewise by
their time). Then, on one warehouse file: a full
`dbt build` of everything received up to 25 hours before the end of the simulated period, an
incremental `dbt build` of the next hour, and one of the last day (with the few rows received
after the period). Reported side by side: the floor (one sort of all raw events), the models'
seconds of each build (from target/run_results.json; tests apart), how many raw rows each build
staged, peak RSS (/usr/bin/time -v) and the warehouse file's size. The three builds run
--runs times (default 2), each time from the same staged file, and every figure is the median
of the runs (performance.md); the floor runs once. The table goes to
bench/results/incremental.md and into the README between the incremental bench markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import _common
import duckdb
from _common import (
    BIN,
    RESULTS,
    memory_gib,
    prepare_work,
    read_artifact,
    time_floor,
    update_readme,
    write_profile,
)

DAYS = 90
EVENTS_PER_PERSON = 40.1  # saas scenario over 90 days (bench/run.py measures the same)
RAW_TABLES = ("events", "identifies", "aliases", "campaigns", "campaign_messages", "ad_spend")
# Identifier columns made distinct per copy when a size is built from copies of a smaller one.
COPY_IDS = {
    "events": ("event_id", "anonymous_id", "user_id", "account_id"),
    "identifies": ("identify_id", "anonymous_id", "user_id", "email"),
    "aliases": ("previous_id", "user_id"),
    "campaign_messages": ("message_event_id", "user_id", "email"),
}


def _simulate(path: Path, persons: int) -> None:
    subprocess.run(
        [str(BIN / "growthlens"), "simulate", "--scenario", "saas", "--persons", str(persons),
         "--days", str(DAYS), "--seed", "11", "--out", str(path)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def stage(path: Path, millions: float, work: Path, memory_limit: str | None) -> int:
    """Fill stash.* with the size's raw tables (events in received_at order); return the
    number of raw events. A simulation left in the folder by an interrupted run is reused."""
    copies = 10 if millions >= 100 else 1
    persons = int(millions * 1_000_000 / copies / EVENTS_PER_PERSON)
    source = work / "simulated.duckdb"
    if not source.exists() or (work / "simulated.duckdb.wal").exists():
        _simulate(source, persons)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    try:
        # Bounded memory: the sort of the copies spills to disk beside the warehouse.
        con.execute(f"set memory_limit = '{memory_limit or '4GB'}'")
        con.execute(f"set temp_directory = '{work / 'spill'}'")
        con.execute("set preserve_insertion_order = false")
        con.execute(f"attach '{source}' as sim (read_only)")
        con.execute("create schema stash; create schema raw")
        for table in RAW_TABLES:
            exists = con.execute(
                "select count(*) from information_schema.tables where table_catalog = 'sim' "
                "and table_schema = 'raw' and table_name = ?",
                [table],
            ).fetchone()[0]
            if not exists:
                continue
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns"
                    " where table_catalog = 'sim' "
                    "and table_schema = 'raw' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            ids = COPY_IDS.get(table, ()) if copies > 1 else ()
            select = ", ".join(
                f"case when {c} is null then null else {c} || '~' || copy end as {c}"
                if c in ids
                else c
                for c in columns
            )
            if table == "events":
                _stash_events_in_order(con, select, copies)
            else:
                # The copies share the campaigns (one campaign sent in ten markets): a campaign
                # row repeated per copy would break unique campaign_id in fct_campaign_impact.
                n = 1 if table == "campaigns" else copies
                con.execute(
                    f"create table stash.{table} as select {select} "
                    f"from sim.raw.{table}, range({n}) as copies (copy)"
                )
            if table not in ("events", "identifies", "aliases"):
                con.execute(f"create view raw.{table} as select * from stash.{table}")
        return con.execute("select count(*) from stash.events").fetchone()[0]
    finally:
        con.close()
        source.unlink(missing_ok=True)


def _stash_events_in_order(con: duckdb.DuckDBPyConnection, select: str, copies: int) -> None:
    """stash.events in received_at order, as a loader appends them, without sorting all the
    copies at once: the simulation is sorted once, then each day of it is written with its
    copies interleaved (a sort of one day's rows at a time)."""
    con.execute(
        "create temp table events_sorted as select * from sim.raw.events order by received_at"
    )
    con.execute(f"create table stash.events as select {select} from events_sorted, "
                "range(1) as copies (copy) where false")  # fmt: skip
    days = [
        r[0]
        for r in con.execute(
            "select distinct date_trunc('day', received_at) as day from events_sorted"
            " where received_at is not null order by day"
        ).fetchall()
    ]
    for day in days:
        con.execute(
            f"insert into stash.events select {select} from events_sorted,"
            f" range({copies}) as copies (copy) where received_at >= ?"
            " and received_at < ? + interval 1 day order by received_at",
            [day, day],
        )
    con.execute(
        f"insert into stash.events select {select} from events_sorted,"
        f" range({copies}) as copies (copy) where received_at is null"
    )
    con.execute("drop table events_sorted")


def receive_until(path: Path, cut: str | None) -> None:
    """raw.events = the stashed events received by `cut` (all when None); identify and alias
    calls likewise by their time."""
    con = duckdb.connect(str(path))
    try:
        for table, column in (("events", "received_at"), ("identifies", "ts"), ("aliases", "ts")):
            where = f" where {column} <= timestamp '{cut}' or {column} is null" if cut else ""
            con.execute(f"create or replace view raw.{table} as select * from stash.{table}{where}")
    finally:
        con.close()


def build(path: Path, work: Path, profiles: Path) -> dict[str, float]:
    """One `dbt build`: wall seconds, models' seconds, tests' seconds, peak RSS, rows staged."""
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    env = {**os.environ, "GROWTHLENS_DUCKDB": str(path), "DBT_PROFILES_DIR": str(profiles)}
    cmd = [
        str(BIN / "dbt"), "build", "--quiet",
        "--project-dir", str(_common.REPO),
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
    ]  # fmt: skip
    # What the previous build (or a copy of the warehouse) wrote reaches the disk first, so it
    # is not flushed while this build is timed: an hourly run starts long after the last one.
    os.sync()
    start = time.perf_counter()
    proc = subprocess.run(timer + cmd, cwd=_common.REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    results = read_artifact(work, "run_results.json")["results"]
    # A failing data test is reported, not fatal; a model that did not build is.
    failed_models = [
        r["unique_id"]
        for r in results
        if r["unique_id"].startswith("model.") and r["status"] != "success"
    ]
    if failed_models or not results:
        sys.exit(f"dbt build failed: {failed_models}\n{proc.stdout[-3000:]}")
    failed_tests = sum(
        1
        for r in results
        if r["status"] in ("fail", "error") and r["unique_id"].startswith("test.")
    )
    models = sum(r["execution_time"] for r in results if r["unique_id"].startswith("model."))
    tests = sum(r["execution_time"] for r in results if r["unique_id"].startswith("test."))
    # The rows this build read: those received since the cut-off its staging select used (a
    # re-read row that is unchanged keeps its earlier stamp, so the stamp does not count them).
    staging = work / "target" / "compiled" / "growthlens" / "models" / "staging"
    compiled = (staging / "stg_events_checked.sql").read_text()
    cutoff = re.search(r""""received_at" >= (cast\('[^']+' as timestamp\))""", compiled)
    window = f"received_at >= {cutoff.group(1)} or received_at is null" if cutoff else "true"
    con = duckdb.connect(str(path), read_only=True)
    try:
        staged, changed, affected = con.execute(
            f"select (select count(*) from staging.stg_events_checked where {window}),"
            " (select count(*) from intermediate.int_events_changed),"
            " (select count(*) from intermediate.int_persons_affected)"
        ).fetchone()
    finally:
        con.close()
    return {
        "wall": wall,
        "models": models,
        "tests": tests,
        "peak": int(match.group(1)) / 1024 / 1024 if match else float("nan"),
        "staged": staged,
        "changed": changed,
        "affected": affected,
        "failed_tests": failed_tests,
    }


def _has_stash(path: Path) -> bool:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return bool(
            con.execute(
                "select count(*) from information_schema.tables"
                " where table_schema = 'stash' and table_name = 'events'"
            ).fetchone()[0]
        )
    finally:
        con.close()


COUNTS = ("staged", "changed", "affected", "failed_tests")


def _median_builds(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each timing and peak of a build, the median over the runs; each count, the largest (the
    runs build the same data, so they agree)."""
    return {
        key: max(run[key] for run in runs)
        if key in COUNTS
        else statistics.median(run[key] for run in runs)
        for key in runs[0]
    }


def run_size(millions: float, memory_limit: str | None, reuse: bool, runs: int = 2) -> str:
    name = f"incremental_{millions:g}m"
    path = RESULTS / name / "warehouse.duckdb"
    t0 = time.perf_counter()
    if reuse and path.exists() and _has_stash(path):
        # Keep the staged stash.* tables; drop what earlier builds made.
        work = RESULTS / name
        con = duckdb.connect(str(path))
        try:
            for schema in ("staging", "intermediate", "marts", "main"):
                if schema != "main":
                    con.execute(f"drop schema if exists {schema} cascade")
            n_events = con.execute("select count(*) from stash.events").fetchone()[0]
        finally:
            con.close()
        for folder in ("full", "hour", "day", "spill"):
            shutil.rmtree(work / folder, ignore_errors=True)
    elif reuse and (RESULTS / name / "simulated.duckdb").exists():
        work = RESULTS / name
        n_events = stage(path, millions, work, memory_limit)
    else:
        work = prepare_work(name)
        n_events = stage(path, millions, work, memory_limit)
    stage_seconds = time.perf_counter() - t0
    profiles = write_profile(work, memory_limit) if memory_limit else _common.REPO

    con = duckdb.connect(str(path), read_only=True)
    # The end of the simulated period: a few rows are received long after it (late loaders).
    last = con.execute(
        "select to_timestamp(quantile_disc(epoch(received_at), 0.999)) at time zone 'UTC'"
        " from stash.events"
    ).fetchone()[0]
    con.close()
    day_cut = last - timedelta(hours=24)
    hour_cut = day_cut - timedelta(hours=1)

    staged_copy = work / "staged.duckdb"
    if runs > 1:
        shutil.copy(path, staged_copy)
    per_run: dict[str, list[dict[str, float]]] = {"full": [], "hour": [], "day": []}
    for run in range(runs):
        if run > 0:
            shutil.copy(staged_copy, path)
        receive_until(path, str(hour_cut))
        per_run["full"].append(build(path, work / "full", profiles))
        receive_until(path, str(day_cut))
        per_run["hour"].append(build(path, work / "hour", profiles))
        receive_until(path, None)
        per_run["day"].append(build(path, work / "day", profiles))
    staged_copy.unlink(missing_ok=True)
    full, hour, day = (_median_builds(per_run[label]) for label in ("full", "hour", "day"))
    floor = time_floor(path, memory_limit)
    size_gib = path.stat().st_size / 1024**3

    def row(label: str, r: dict[str, float]) -> str:
        share = r["models"] / full["models"] * 100
        return (
            f"| {label} | {r['models']:.1f} | {r['models'] / floor:.2f} | {share:.1f} % |"
            f" {r['tests']:.1f} | {r['wall']:.1f} | {r['staged']:,d} | {r['changed']:,d} |"
            f" {r['affected']:,d} | {r['peak']:.2f} |"
        )

    limit = f", DuckDB memory_limit {memory_limit} (spills to disk)" if memory_limit else ""
    lines = [
        f"### {n_events:,d} raw events, {DAYS} days (staged in {stage_seconds:.0f} s)",
        "",
        f"Machine: {os.cpu_count()} cores, {memory_gib():.0f} GiB, DuckDB {duckdb.__version__}, "
        f"Python {platform.python_version()}{limit}; "
        + ("one run." if runs == 1 else f"median of {runs} runs."),
        "",
        "| build | models s | × floor | % of full build's models | tests s | wall s |"
        " raw rows staged | events placed again | persons rebuilt | peak RSS GiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| floor: one sort of raw.events | {floor:.1f} | 1.00 | | | | {n_events:,d} | | | |",
        row("full build (all but the last 25 h)", full),
        row("incremental: the next hour", hour),
        row("incremental: the last day", day),
        "",
        *(
            [
                "Models s of each run: "
                + "; ".join(
                    f"{label} " + ", ".join(f"{r['models']:.1f}" for r in per_run[label])
                    for label in ("full", "hour", "day")
                )
                + ".",
                "",
            ]
            if runs > 1
            else []
        ),
        f"Warehouse file after the three builds: {size_gib:.2f} GiB."
        + (
            f" Data tests failing (reported, not fatal): {full['failed_tests']} / "
            f"{hour['failed_tests']} / {day['failed_tests']}."
            if full["failed_tests"] or hour["failed_tests"] or day["failed_tests"]
            else ""
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=float, nargs="+", default=[1, 10], help="millions of events"
    )
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("GROWTHLENS_MEMORY_LIMIT"),
        help="DuckDB memory_limit for the builds, with a spill folder beside the warehouse",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=None,
        help="build this copy of the project (e.g. `git archive HEAD`) instead of the working tree",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the raw data staged by an earlier run of a size"
    )
    parser.add_argument(
        "--runs", type=int, default=2, help="builds per size; every figure is their median"
    )
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    if args.project_dir:
        _common.REPO = args.project_dir.resolve()
    tables = [run_size(size, args.memory_limit, args.reuse, args.runs) for size in args.sizes]
    report = "\n".join(tables)
    print(report)
    name = (
        "incremental.md"
        if not args.no_readme
        else f"incremental_{'_'.join(f'{s:g}' for s in args.sizes)}m.md"
    )
    (RESULTS / name).write_text(report)
    if not args.no_readme:
        update_readme(report, "bench-incremental")


if __name__ == "__main__":
    main()
