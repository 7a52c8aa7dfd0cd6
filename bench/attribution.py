"""Benchmark attribution and campaign impact against the one-sort floor (performance.md).

    python bench/attribution.py                          # 10 M events, ~1 M conversions, 2 runs
    python bench/attribution.py --millions 1 --runs 1
    python bench/attribution.py --memory-limit 6GB       # when the machine is shared

The full benchmark (bench/run.py) times every model group on the saas simulation, whose two
conversion events make only ~1 % of the events conversions. This one simulates the same
warehouse, builds everything upstream of attribution once (untimed), then times only the
attribution and campaign models with `conversion_events` widened to four events (signed_up,
subscription_paid, workflow_saved, connection_added: ~10 % of the events, ~1 M conversions at
10 M events). Each model's time comes from target/run_results.json and is reported as a multiple
of the floor (`create table ... as select * from raw.events order by anonymous_id, event_ts`,
measured in the same run). Target: all attribution models together ≤ 3× the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from pathlib import Path

import duckdb
from _common import (
    BIN,
    RESULTS,
    median_sum,
    prepare_work,
    ratio_row,
    row_counts,
    run_dbt,
    seconds_per_model,
    table_header,
    time_runs,
    write_profile,
)

DAYS = 90
EVENTS_PER_PERSON = 40  # saas simulation, 90 days (bench/run.py measures ~40)
CONVERSION_EVENTS = ["signed_up", "subscription_paid", "workflow_saved", "connection_added"]
ATTRIBUTION_MODELS = [
    "fct_conversions",
    "int_conversion_paths",
    "int_person_transitions_counted",
    "int_markov_transitions",
    "int_markov_removal_effects",
    "fct_attribution",
    "int_ad_spend_classified",
    "agg_channel_performance",
]
CAMPAIGN_MODELS = [
    "int_campaign_messages_resolved",
    "int_message_clicks_deduplicated",
    "int_marketing_persons_affected",
    "fct_touchpoints",
    "fct_campaign_impact",
]
TIMED = CAMPAIGN_MODELS[:-1] + ATTRIBUTION_MODELS + CAMPAIGN_MODELS[-1:]
ROWS = [
    ("marts", "fct_touchpoints"),
    ("marts", "fct_conversions"),
    ("intermediate", "int_conversion_paths"),
    ("intermediate", "int_markov_transitions"),
    ("intermediate", "int_markov_removal_effects"),
    ("marts", "fct_attribution"),
    ("marts", "agg_channel_performance"),
    ("intermediate", "int_campaign_messages_resolved"),
    ("marts", "fct_campaign_impact"),
]


def simulate(path: Path, persons: int) -> int:
    if path.exists():
        path.unlink()
    subprocess.run(
        [
            str(BIN / "growthlens"), "simulate", "--scenario", "saas",
            "--persons", str(persons), "--days", str(DAYS), "--seed", "11", "--out", str(path),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    con = duckdb.connect(str(path), read_only=True)
    try:
        return int(con.execute("select count(*) from raw.events").fetchone()[0])
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--millions", type=float, default=10)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 6GB")
    args = parser.parse_args()

    work = prepare_work(f"attribution_{args.millions:g}m")
    path = work / "warehouse.duckdb"
    persons = max(100, int(args.millions * 1_000_000 / EVENTS_PER_PERSON))
    t0 = time.perf_counter()
    n_events = simulate(path, persons)
    simulated = time.perf_counter() - t0
    profiles = write_profile(work, args.memory_limit)
    variables = ["--vars", json.dumps({"scenario": "saas", "conversion_events": CONVERSION_EVENTS})]

    # Everything the timed models read, built once and not timed.
    t0 = time.perf_counter()
    upstream = ["--select", "+fct_attribution", "+agg_channel_performance", "+fct_campaign_impact",
                "--exclude", *TIMED]  # fmt: skip
    run_dbt("seed", variables, path, work, profiles)
    run_dbt("run", upstream + variables, path, work, profiles)
    prepared = time.perf_counter() - t0

    def run_models() -> tuple[float, dict[str, float]]:
        wall, _ = run_dbt("run", ["--select", *TIMED] + variables, path, work, profiles)
        return wall, seconds_per_model(work)

    floor, walls, models = time_runs(path, args.runs, run_models)
    sizes = row_counts(path, ROWS)

    lines = [
        f"### Attribution + campaigns, {n_events:,d} simulated events, "
        f"{sizes['fct_conversions']:,d} conversions",
        "",
        f"Machine: {os.cpu_count()} cores, DuckDB {duckdb.__version__}, memory_limit"
        f" {args.memory_limit or 'default'}; median of {args.runs} run(s); saas simulation"
        f" ({persons:,d} persons, {DAYS} days; simulated in {simulated:.0f} s, upstream models"
        f" built in {prepared:.0f} s, untimed); conversion_events = {CONVERSION_EVENTS}.",
        "",
        *table_header(floor, rows=n_events),
    ]
    for name in TIMED:
        rows = f"{sizes[name]:,d}" if name in sizes else ""
        lines.append(ratio_row(name, median_sum(models, [name]), floor, rows))
    attribution = median_sum(models, ATTRIBUTION_MODELS)
    campaigns = median_sum(models, CAMPAIGN_MODELS)
    lines += [
        ratio_row("**attribution, all 7 models (target ≤ 3×)**", attribution, floor, ""),
        ratio_row("touchpoints + campaign impact", campaigns, floor, ""),
        f"| dbt run, wall clock (incl. dbt start-up) | {statistics.median(walls):.2f} | | |",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    (RESULTS / f"attribution_{args.millions:g}m.md").write_text(report)


if __name__ == "__main__":
    main()
