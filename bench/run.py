"""Benchmark growthlens' dbt build against the one-sort floor (performance.md).

    python bench/run.py                 # 1 M and 10 M events, two runs each
    python bench/run.py --sizes 1 --runs 1
    python bench/run.py --sizes 100 --runs 1 --no-readme

For each size: simulate a warehouse, time the floor (`create table ... as select * from
raw.events order by anonymous_id, event_ts`), run `dbt build` under /usr/bin/time -v, read each
model's time from target/run_results.json, and print one table with medians of the runs and
their ratios to the floor. The table is saved to bench/results/latest.md and copied into the
README between the bench markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import time
from pathlib import Path

import duckdb
from _common import (
    BIN,
    RESULTS,
    median_sum,
    memory_gib,
    prepare_work,
    ratio_row,
    run_dbt,
    seconds_per_node,
    table_header,
    time_floor,
    update_readme,
)

# Model groups reported separately: (label, path prefixes under models/).
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("staging (parse, judge, dedupe)", ("staging/",)),
    ("identity", ("intermediate/identity/", "marts/identity/")),
    (
        "sessions + channels",
        (
            "intermediate/engagement/int_events_sessionized",
            "intermediate/engagement/int_sessions_classified",
            "intermediate/engagement/int_channel_rules",
            "marts/engagement/fct_events",
            "marts/engagement/fct_sessions",
            "marts/marketing/fct_touchpoints",
        ),
    ),
    (
        "funnels + activation",
        (
            "intermediate/funnels/",
            "marts/engagement/fct_funnel",
            "marts/engagement/agg_funnel",
            "marts/engagement/fct_activation",
            "marts/engagement/fct_milestones",
            "marts/engagement/fct_account_activation",
        ),
    ),
    (
        "retention + growth",
        (
            "intermediate/retention/",
            "marts/engagement/fct_retention",
            "marts/engagement/fct_growth_accounting",
        ),
    ),
    (
        "attribution + campaigns",
        (
            "intermediate/marketing/",
            "marts/marketing/fct_conversions",
            "marts/marketing/fct_attribution",
            "marts/marketing/agg_channel",
            "marts/marketing/fct_campaign",
        ),
    ),
    ("ltv", ("intermediate/revenue/", "marts/revenue/")),
    ("quality", ("intermediate/quality/", "marts/quality/")),
]

# Simulated events per person per simulated day, measured on the saas scenario; used to pick
# a persons count for a target number of events.
DAYS = 90


def persons_for(events: int, ratio: float) -> int:
    return max(100, int(events / ratio))


def simulate(path: Path, persons: int, seed: int) -> int:
    if path.exists():
        path.unlink()
    subprocess.run(
        [
            str(BIN / "growthlens"),
            "simulate",
            "--scenario",
            "saas",
            "--persons",
            str(persons),
            "--days",
            str(DAYS),
            "--seed",
            str(seed),
            "--out",
            str(path),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    con = duckdb.connect(str(path), read_only=True)
    try:
        return int(con.execute("select count(*) from raw.events").fetchone()[0])
    finally:
        con.close()


def dbt_build(path: Path, work: Path) -> tuple[float, float, dict[str, float]]:
    """Run a full dbt build; return wall seconds, peak RSS in GiB, and seconds per model path.

    --full-refresh: every run after the first finds the models of the one before, and would
    otherwise be an incremental build with nothing new to read."""
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    # What the previous run wrote reaches the disk before this one is timed.
    os.sync()
    wall, proc = run_dbt("build", ["--full-refresh"], path, work, prefix=timer)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    peak = int(match.group(1)) / 1024 / 1024 if match else float("nan")
    return wall, peak, seconds_per_node(work)


def group_times(per_node: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {label: 0.0 for label, _ in GROUPS}
    out["tests"] = 0.0
    out["other"] = 0.0
    for key, seconds in per_node.items():
        if key.startswith("test:"):
            out["tests"] += seconds
            continue
        rel = key.removeprefix("models/")
        for label, prefixes in GROUPS:
            if rel.startswith(prefixes):
                out[label] += seconds
                break
        else:
            out["other"] += seconds
    return out


def run_size(millions: float, runs: int, ratio: float) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench_{millions:g}m.duckdb"
    persons = persons_for(int(millions * 1_000_000), ratio)
    t0 = time.perf_counter()
    n_events = simulate(path, persons, seed=11)
    sim_seconds = time.perf_counter() - t0
    floors, walls, peaks, groups = [], [], [], []
    for i in range(runs):
        floors.append(time_floor(path))
        work = prepare_work(f"work_{millions:g}m_{i}")
        wall, peak, per_node = dbt_build(path, work)
        walls.append(wall)
        peaks.append(peak)
        groups.append(group_times(per_node))
    floor = statistics.median(floors)
    lines = [
        f"### {n_events:,d} raw events ({persons:,d} simulated persons, {DAYS} days;"
        f" simulated in {sim_seconds:.0f} s)",
        "",
        f"Machine: {os.cpu_count()} cores, {memory_gib():.0f} GiB, DuckDB {duckdb.__version__}, "
        f"Python {platform.python_version()}; median of {runs} run(s).",
        "",
        *table_header(floor),
    ]
    labels = [label for label, _ in GROUPS] + ["other", "tests"]
    for label in labels:
        seconds = median_sum(groups, [label])
        if seconds > 0:
            lines.append(ratio_row(label, seconds, floor))
    ident = median_sum(groups, ["identity", "sessions + channels"])
    lines.append(ratio_row("identity + sessions (target ≤ 4×)", ident, floor))
    wall = statistics.median(walls)
    lines.append(ratio_row("whole `dbt build`, wall clock (target ≤ 15×)", wall, floor))
    lines.append("")
    size_gib = path.stat().st_size / 1024**3
    lines.append(
        f"Peak RSS of `dbt build`: {max(peaks):.2f} GiB; warehouse file: {size_gib:.2f} GiB."
    )
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=float, nargs="+", default=[1, 10], help="millions of events"
    )
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--ratio",
        type=float,
        default=None,
        help="events per simulated person over the period (measured when omitted)",
    )
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    ratio = args.ratio or _measure_ratio()
    tables = [run_size(size, args.runs, ratio) for size in args.sizes]
    report = "\n".join(tables)
    print(report)
    (RESULTS / "latest.md").write_text(report)
    if not args.no_readme:
        update_readme(report, "bench")


def _measure_ratio() -> float:
    RESULTS.mkdir(parents=True, exist_ok=True)
    probe = RESULTS / "probe.duckdb"
    n = simulate(probe, 2000, seed=11)
    probe.unlink()
    return n / 2000


if __name__ == "__main__":
    main()
