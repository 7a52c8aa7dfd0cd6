"""Benchmark the Python library: import time, and an ad hoc 4-step funnel (performance.md).

    python bench/library.py                 # 10 M events
    python bench/library.py --millions 1 --runs 1

Targets: `import growthlens` < 0.5 s; `Warehouse.funnel()` with 4 steps within 3× a plain
`select person_id, count(*) from marts.fct_events group by 1` on the same file, and at least
10× faster than the same funnel (same semantics, vectorised) in pandas on the same events.

The warehouse is the synthetic one of bench/funnels.py (100 events per person over 90 days,
saas names in random order, so every person has many candidate entries), with
`marts.fct_events` a view over a stored table as in a dbt build. The group-by, the funnel and
the pandas funnel all start from the same events; loading them into pandas is timed apart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
from _common import RESULTS, prepare_work
from funnels import write_warehouse

STEPS = ["signed_up", "email_verified", "workflow_started", "workflow_saved"]
WINDOW_HOURS = 168.0


def layout_as_dbt(path: Path) -> None:
    """marts.fct_events as a view over a stored table, as `dbt build` leaves it."""
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists intermediate")
        con.execute("create table intermediate.events_stored as select * from marts.fct_events")
        con.execute("drop table marts.fct_events")
        con.execute("create view marts.fct_events as select * from intermediate.events_stored")
        con.execute("checkpoint")
    finally:
        con.close()


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_seconds(runs: int) -> float:
    code = "import time; t = time.perf_counter(); import growthlens; print(time.perf_counter() - t)"
    times = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(times)


def pandas_funnel(events: pd.DataFrame, steps: list[str], window_hours: float) -> pd.Series:
    """Persons reaching each step: the library's semantics (metrics.md §4) in pandas, the
    same linear algorithm (running step counts, chained merges, furthest entry per person)."""
    frame = events[events["event_name"].isin(steps)].sort_values(
        ["person_id", "event_ts", "event_id"], kind="stable"
    )
    n = len(steps)
    for k, name in enumerate(steps, start=1):
        frame[f"is_{k}"] = frame["event_name"] == name
    by_person = frame.groupby("person_id", sort=False)
    for k in range(2, n + 1):
        frame[f"count_{k}"] = by_person[f"is_{k}"].cumsum()
    chain = frame.loc[frame["is_1"], ["person_id", "event_id", "event_ts"]].rename(
        columns={"event_ts": "at_1"}
    )
    chain["count_2"] = frame.loc[frame["is_1"], "count_2"].to_numpy()
    window = pd.Timedelta(hours=window_hours)
    for k in range(2, n + 1):
        lookup = frame.loc[frame[f"is_{k}"], ["person_id", f"count_{k}", "event_ts"]]
        if k < n:
            lookup = lookup.assign(
                **{f"next_{k + 1}": frame.loc[frame[f"is_{k}"], f"count_{k + 1}"]}
            )
        lookup = lookup.rename(columns={f"count_{k}": "key", "event_ts": f"at_{k}"})
        chain = chain.assign(key=chain[f"count_{k}"] + 1).merge(
            lookup, on=["person_id", "key"], how="left"
        )
        chain = chain.drop(columns=["key"])
        if k < n:
            chain = chain.rename(columns={f"next_{k + 1}": f"count_{k + 1}"})
        chain.loc[chain[f"at_{k}"] - chain["at_1"] > window, f"at_{k}"] = pd.NaT
    for k in range(3, n + 1):  # steps within the window are a prefix
        chain.loc[chain[f"at_{k - 1}"].isna(), f"at_{k}"] = pd.NaT
    chain["furthest"] = 1 + sum(chain[f"at_{k}"].notna() for k in range(2, n + 1))
    best = chain.sort_values(
        ["person_id", "furthest", "at_1", "event_id"], ascending=[True, False, True, True]
    ).drop_duplicates("person_id")
    return pd.Series({k: int((best["furthest"] >= k).sum()) for k in range(1, n + 1)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--millions", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the warehouse of a last run")
    args = parser.parse_args()

    import growthlens

    name = f"library_{args.millions:g}m"
    path = RESULTS / name / "warehouse.duckdb"
    n_events = int(args.millions * 1_000_000)
    if not (args.reuse and path.exists()):
        prepare_work(name)
        write_warehouse(path, n_events)
        layout_as_dbt(path)
    wh = growthlens.connect(path)

    imported = import_seconds(max(args.runs, 3))

    def group_by() -> None:
        con = duckdb.connect(str(path), read_only=True)
        try:
            con.execute("select person_id, count(*) from marts.fct_events group by 1").fetchall()
        finally:
            con.close()

    # Interleaved, so both see the same load on a shared machine.
    floors, libraries = [], []
    for _ in range(args.runs):
        floors.append(median_seconds(group_by, 1))
        libraries.append(median_seconds(lambda: wh.funnel(STEPS, window=WINDOW_HOURS), 1))
    floor, library = statistics.median(floors), statistics.median(libraries)
    result = wh.funnel(STEPS, window=WINDOW_HOURS)

    start = time.perf_counter()
    events = wh.sql("select person_id, event_id, event_name, event_ts from marts.fct_events")
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    reference = pandas_funnel(events, STEPS, WINDOW_HOURS)
    in_pandas = time.perf_counter() - start
    same = list(reference) == list(result["persons"])

    lines = [
        f"### Library, {n_events:,d} synthetic events",
        "",
        f"Machine: {os.cpu_count()} cores, DuckDB {duckdb.__version__}; median of {args.runs}"
        " run(s) (pandas: one run).",
        "",
        "| measure | seconds | ratio |",
        "|---|---:|---:|",
        f"| `import growthlens` (target < 0.5 s) | {imported:.3f} | |",
        f"| group by person over marts.fct_events (reference) | {floor:.2f} | 1.00 |",
        f"| `wh.funnel()` 4 steps, 7 d window (target ≤ 3×) | {library:.2f} |"
        f" {library / floor:.2f} |",
        f"| same funnel in pandas, events already loaded | {in_pandas:.2f} |"
        f" {in_pandas / floor:.2f} |",
        f"| loading the events into pandas (not in the above) | {loaded:.2f} | |",
        f"| pandas / library (target ≥ 10×) | | {in_pandas / library:.1f} |",
        "",
        f"Persons per step: {', '.join(map(str, result['persons']))}"
        f" (pandas {'agrees' if same else 'DIFFERS: ' + ', '.join(map(str, reference))}).",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    (RESULTS / f"library_{args.millions:g}m.md").write_text(report)


if __name__ == "__main__":
    main()
