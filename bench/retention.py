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
import statistics
import time
from pathlib import Path

import duckdb
from _common import (
    RESULTS,
    marketing_columns,
    median_sum,
    new_warehouse,
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
    columns = marketing_columns("shop.example")
    with new_warehouse(path, ["raw", "marts", "staging"]) as con:
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
                {columns},
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


def run_models(path: Path, work: Path, profiles: Path) -> tuple[float, dict[str, float]]:
    """dbt run of the retention models; wall seconds and seconds per model."""
    variables = {"reporting_timezone": TIMEZONE, "passive_events": PASSIVE_EVENTS}
    args = ["--select", "int_person_days_summarized+", "--vars", json.dumps(variables)]
    wall, _ = run_dbt("run", args, path, work, profiles)
    return wall, seconds_per_model(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--millions", type=float, default=10)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 6GB")
    args = parser.parse_args()

    work = prepare_work(f"retention_{args.millions:g}m")
    path = work / "warehouse.duckdb"
    n_events = int(args.millions * 1_000_000)
    t0 = time.perf_counter()
    write_warehouse(path, n_events)
    generated = time.perf_counter() - t0
    profiles = write_profile(work, args.memory_limit)

    floor, walls, models = time_runs(path, args.runs, lambda: run_models(path, work, profiles))
    sizes = row_counts(
        path,
        [
            ("intermediate", "int_person_days_summarized"),
            ("intermediate", "int_person_periods_active"),
            ("marts", "fct_retention"),
            ("marts", "fct_growth_accounting"),
        ],
    )

    lines = [
        f"### Retention + growth accounting, {n_events:,d} synthetic events"
        f" (generated in {generated:.0f} s)",
        "",
        f"Machine: {os.cpu_count()} cores, DuckDB {duckdb.__version__}, memory_limit"
        f" {args.memory_limit or 'default'}; median of {args.runs} run(s).",
        "",
        *table_header(floor, rows=n_events),
    ]
    total = 0.0
    for name in MODELS:
        seconds = median_sum(models, [name])
        total += seconds
        rows = f"{sizes[name]:,d}" if name in sizes else ""
        lines.append(ratio_row(name, seconds, floor, rows))
    lines.append(ratio_row("**retention, all grains + growth (target ≤ 1.5×)**", total, floor, ""))
    wall = statistics.median(walls)
    lines.append(f"| dbt run, wall clock (incl. dbt start-up) | {wall:.2f} | | |")
    report = "\n".join(lines) + "\n"
    print(report)
    (RESULTS / f"retention_{args.millions:g}m.md").write_text(report)


if __name__ == "__main__":
    main()
