"""Benchmark retention + growth accounting alone against the one-sort floor (performance.md).

    python bench/retention.py                       # 10 M events, two runs
    python bench/retention.py --millions 1 --runs 1
    python bench/retention.py --memory-limit 6GB    # when the machine is shared

The full benchmark (bench/run.py) times every model group on simulated data; this one isolates
the retention models so they can be measured quickly and at any size. It writes a synthetic
warehouse whose `raw.events` has the contract's columns (for the floor: `create table ... as
select * from raw.events order by anonymous_id, event_ts`) and whose `marts.fct_events` holds the
same events already stitched (the retention models' only input), then runs
`dbt run --select int_person_days_summarized+` (the retention intermediates, fct_retention and
fct_growth_accounting) and reports each model's time from target/run_results.json as a multiple
of the floor. Target: all of it ≤ 1.5× the floor.

Synthetic activity: persons start over the first 60 days and stay active for a random
lifetime (events thin out towards its end), so person-days are sparse as in real data;
~30 event names, three of them passive; 2 % of events carry revenue.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = REPO / "bench" / "results"
DAYS = 90
EVENTS_PER_PERSON = 100
TIMEZONE = "America/New_York"
EVENT_NAMES = [
    "app_opened", "home_screen_viewed", "offer_viewed", "receipt_scanned", "coins_earned",
    "reward_redeemed", "purchase_completed", "search_performed", "product_viewed", "cart_viewed",
    "item_added", "item_removed", "checkout_started", "payment_added", "profile_updated",
    "settings_viewed", "notification_opened", "share_clicked", "review_written", "wishlist_added",
    "coupon_applied", "support_contacted", "faq_viewed", "video_played", "banner_clicked",
    "referral_sent", "login", "logout", "app_backgrounded", "push_received",
]  # fmt: skip
PASSIVE_EVENTS = ["app_backgrounded", "push_received", "notification_opened"]
MODELS = [
    "int_person_days_summarized",
    "int_persons_cohorted",
    "int_person_periods_active",
    "fct_retention",
    "fct_growth_accounting",
]


def write_warehouse(path: Path, n_events: int) -> None:
    """raw.events (contract columns), marts.fct_events and staging.stg_events, synthetic."""
    persons = max(100, n_events // EVENTS_PER_PERSON)
    names = "[" + ", ".join(f"'{n}'" for n in EVENT_NAMES) + "]"
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("create schema raw; create schema marts; create schema staging")
        con.execute(
            f"""
            create table raw.events as
            with ids as (
                select
                    range as i,
                    cast(hash(range) % {persons} as bigint) as p,
                    (hash(range * 7 + 1) % 1000000) / 1e6 as u,
                    cast(hash(range * 13 + 5) % 86400 as bigint) as second_of_day
                from range({n_events})
            ),
            placed as (
                select
                    i,
                    p,
                    cast(least({DAYS - 1}, (p % 60) + floor((5 + hash(p) % 85) * u * u)) as int)
                        as day,
                    second_of_day,
                    {names}[1 + cast(hash(i * 31 + 3) % {len(EVENT_NAMES)} as bigint)] as event_name
                from ids
            )
            select
                'evt-' || i as event_id,
                event_name,
                timestamp '2026-01-05' + to_days(day) + to_seconds(second_of_day) as event_ts,
                timestamp '2026-01-05' + to_days(day) + to_seconds(second_of_day + 5)
                    as received_at,
                'dev-' || p as anonymous_id,
                case when p % 3 = 0 then null else 'user-' || p end as user_id,
                case when p % 5 = 0 then 'acct-' || (p % 97) end as account_id,
                ['web', 'ios', 'android'][1 + p % 3] as platform,
                case when i % 11 = 0 then 'google' end as utm_source,
                case when i % 11 = 0 then 'cpc' end as utm_medium,
                case when i % 11 = 0 then 'spring_sale' end as utm_campaign,
                cast(null as varchar) as utm_content,
                cast(null as varchar) as utm_term,
                case when i % 13 = 0 then 'https://www.google.com/search' end as referrer,
                'https://shop.example/p/' || (i % 5000) as page_url,
                case when event_name = 'purchase_completed' or i % 50 = 0
                    then round(cast(hash(i) % 10000 as bigint) / 100.0, 2) end as revenue,
                case when i % 50 = 0 then 'EUR' end as currency,
                '{{"screen": "s' || (i % 40) || '", "ab": ' || (i % 2) || '}}' as properties
            from placed
            """
        )
        con.execute(
            f"""
            create table marts.fct_events as
            select
                event_id,
                md5(coalesce(user_id, anonymous_id)) as person_id,
                event_name,
                revenue,
                event_ts,
                cast(timezone('{TIMEZONE}', timezone('UTC', event_ts)) as date) as event_date
            from raw.events
            """
        )
        con.execute("create view staging.stg_events as select event_ts from marts.fct_events")
        con.execute("checkpoint")
    finally:
        con.close()


def time_floor(path: Path) -> float:
    con = duckdb.connect(str(path))
    try:
        con.execute("drop table if exists main.bench_floor")
        start = time.perf_counter()
        con.execute(
            "create table main.bench_floor as"
            " select * from raw.events order by anonymous_id, event_ts"
        )
        elapsed = time.perf_counter() - start
        con.execute("drop table main.bench_floor")
        con.execute("checkpoint")
        return elapsed
    finally:
        con.close()


def write_profile(work: Path, memory_limit: str | None) -> Path:
    """The repository's profile, with a memory limit and a spill folder when asked."""
    profile = yaml.safe_load((REPO / "profiles.yml").read_text())
    if memory_limit:
        settings = profile["growthlens"]["outputs"]["dev"].setdefault("settings", {})
        settings["memory_limit"] = memory_limit
        settings["temp_directory"] = str(work / "spill")
    (work / "profiles.yml").write_text(yaml.safe_dump(profile))
    return work


def run_models(path: Path, work: Path, profiles: Path) -> tuple[float, dict[str, float]]:
    env = {**os.environ, "GROWTHLENS_DUCKDB": str(path), "DBT_PROFILES_DIR": str(profiles)}
    variables = {"reporting_timezone": TIMEZONE, "passive_events": PASSIVE_EVENTS}
    cmd = [
        str(BIN / "dbt"), "run", "--quiet",
        "--select", "int_person_days_summarized+",
        "--project-dir", str(REPO),
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
        "--vars", json.dumps(variables),
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"dbt run failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    results = json.loads((work / "target" / "run_results.json").read_text())
    per_model = {
        r["unique_id"].rsplit(".", 1)[-1]: float(r["execution_time"]) for r in results["results"]
    }
    return wall, per_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--millions", type=float, default=10)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 6GB")
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    work = RESULTS / f"retention_{args.millions:g}m"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    path = work / "warehouse.duckdb"
    n_events = int(args.millions * 1_000_000)
    t0 = time.perf_counter()
    write_warehouse(path, n_events)
    generated = time.perf_counter() - t0
    profiles = write_profile(work, args.memory_limit)

    floors, walls, models = [], [], []
    for _ in range(args.runs):
        floors.append(time_floor(path))
        wall, per_model = run_models(path, work, profiles)
        walls.append(wall)
        models.append(per_model)
    floor = statistics.median(floors)
    con = duckdb.connect(str(path), read_only=True)
    try:
        sizes = {
            name: con.execute(f"select count(*) from {schema}.{name}").fetchone()[0]
            for schema, name in [
                ("intermediate", "int_person_days_summarized"),
                ("intermediate", "int_person_periods_active"),
                ("marts", "fct_retention"),
                ("marts", "fct_growth_accounting"),
            ]
        }
    finally:
        con.close()

    lines = [
        f"### Retention + growth accounting, {n_events:,d} synthetic events"
        f" (generated in {generated:.0f} s)",
        "",
        f"Machine: {os.cpu_count()} cores, DuckDB {duckdb.__version__}, memory_limit"
        f" {args.memory_limit or 'default'}; median of {args.runs} run(s).",
        "",
        "| step | seconds | × floor | rows |",
        "|---|---:|---:|---:|",
        f"| floor: one sort of raw.events | {floor:.2f} | 1.00 | {n_events:,d} |",
    ]
    total = 0.0
    for name in MODELS:
        seconds = statistics.median(m.get(name, 0.0) for m in models)
        total += seconds
        rows = f"{sizes[name]:,d}" if name in sizes else ""
        lines.append(f"| {name} | {seconds:.2f} | {seconds / floor:.2f} | {rows} |")
    lines.append(
        f"| **retention, all grains + growth (target ≤ 1.5×)** | {total:.2f}"
        f" | {total / floor:.2f} | |"
    )
    wall = statistics.median(walls)
    lines.append(f"| dbt run, wall clock (incl. dbt start-up) | {wall:.2f} | | |")
    report = "\n".join(lines) + "\n"
    print(report)
    (RESULTS / f"retention_{args.millions:g}m.md").write_text(report)


if __name__ == "__main__":
    main()
