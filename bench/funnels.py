"""Benchmark funnels + activation alone against the one-sort floor (performance.md).

    python bench/funnels.py                       # 10 M events, two runs
    python bench/funnels.py --millions 1 --runs 1
    python bench/funnels.py --memory-limit 6GB    # when the machine is shared

The full benchmark (bench/run.py) times every model group on simulated data; this one isolates
the funnel and activation models so they can be measured quickly at any size. It writes a
synthetic warehouse whose `raw.events` has the contract's columns (for the floor: `create table
... as select * from raw.events order by anonymous_id, event_ts`) and whose `marts.fct_events`
and `marts.dim_persons` hold the same events already stitched (the only inputs of these models),
then runs `dbt run` on the funnel and activation models with the saas scenario's vars (three
funnels: onboarding, 5 steps; core_loop, 3 steps; invited_onboarding, 2 steps with a property
filter) and reports each model's time from target/run_results.json as a multiple of the floor.
Target: each funnel ≤ 2× the floor.

Synthetic activity: 100 events per person over 90 days, saas event names with realistic
frequencies in random order (so every funnel has many candidate entries per person), 1 person
in 5 in an account, sign-ups invited or organic.
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
# saas event names with their share of events, in percent
EVENT_MIX = [
    ("page_viewed", 30), ("logged_in", 10), ("notification_received", 10),
    ("workflow_started", 12), ("workflow_saved", 10), ("workflow_run", 15), ("guide_viewed", 5),
    ("connection_added", 3), ("teammate_invited", 2), ("email_verified", 1), ("signed_up", 1),
    ("subscription_paid", 1),
]  # fmt: skip
FUNNEL_MODELS = ["int_funnel_steps_configured", "int_funnel_entries_chained", "fct_funnel_persons",
                 "agg_funnel_steps"]  # fmt: skip
ACTIVATION_MODELS = ["fct_activation", "fct_milestones", "fct_account_activation"]


def write_warehouse(path: Path, n_events: int) -> None:
    """raw.events (contract columns), marts.fct_events, marts.dim_persons, staging.stg_events."""
    persons = max(100, n_events // EVENTS_PER_PERSON)
    cases, bound, signup_buckets = [], 0, (0, 0)
    for name, share in EVENT_MIX:
        if name == "signed_up":
            signup_buckets = (bound, bound + share - 1)
        bound += share
        cases.append(f"when bucket < {bound} then '{name}'")
    event_name = "case " + " ".join(cases) + " end"
    columns = marketing_columns("app.example")
    with new_warehouse(path, ["raw", "marts", "staging"]) as con:
        con.execute(
            f"""
            create table raw.events as
            with ids as (
                select
                    range as i,
                    cast(hash(range) % {persons} as bigint) as p,
                    cast(hash(range * 7 + 1) % 100 as integer) as bucket,
                    cast(hash(range * 13 + 5) % ({DAYS} * 86400) as bigint) as second
                from range({n_events})
            )
            select
                'evt-' || i as event_id,
                {event_name} as event_name,
                timestamp '2026-01-05' + to_seconds(second) as event_ts,
                timestamp '2026-01-05' + to_seconds(second + 5) as received_at,
                'dev-' || p as anonymous_id,
                'user-' || p as user_id,
                case when p % 5 = 0 then 'acct-' || (p // 25) end as account_id,
                {columns},
                cast(null as double) as revenue,
                cast(null as varchar) as currency,
                case
                    when bucket between {signup_buckets[0]} and {signup_buckets[1]}
                        then '{{"signup_type": "'
                            || (case when p % 3 = 0 then 'invited' else 'organic' end) || '"}}'
                    else '{{"screen": "s' || (i % 40) || '", "ab": ' || (i % 2) || '}}'
                end as properties
            from ids
            """
        )
        con.execute(
            """
            create table marts.fct_events as
            select
                event_id,
                md5(user_id) as person_id,
                event_name,
                account_id,
                properties,
                event_ts
            from raw.events
            """
        )
        con.execute(
            """
            create table marts.dim_persons as
            select
                person_id,
                ['analyst', 'engineer', 'manager'][1 + cast(hash(person_id) % 3 as bigint)]
                    as persona,
                'direct' as acquisition_channel
            from (select distinct person_id from marts.fct_events)
            """
        )


def run_models(path: Path, work: Path, profiles: Path) -> tuple[float, dict[str, float]]:
    """dbt run of the funnel and activation models; wall seconds and seconds per model."""
    select = ["--select", *FUNNEL_MODELS, *ACTIVATION_MODELS]
    variables = ["--vars", json.dumps({"scenario": "saas"})]
    wall, _ = run_dbt("run", select + variables, path, work, profiles)
    return wall, seconds_per_model(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--millions", type=float, default=10)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 6GB")
    args = parser.parse_args()

    work = prepare_work(f"funnels_{args.millions:g}m")
    path = work / "warehouse.duckdb"
    n_events = int(args.millions * 1_000_000)
    t0 = time.perf_counter()
    write_warehouse(path, n_events)
    generated = time.perf_counter() - t0
    profiles = write_profile(work, args.memory_limit)

    floor, walls, models = time_runs(path, args.runs, lambda: run_models(path, work, profiles))
    con = duckdb.connect(str(path), read_only=True)
    try:
        n_funnels = con.execute(
            "select count(distinct funnel_name) from intermediate.int_funnel_steps_configured"
        ).fetchone()[0]
    finally:
        con.close()
    sizes = row_counts(
        path,
        [
            ("intermediate", "int_funnel_entries_chained"),
            ("marts", "fct_funnel_persons"),
            ("marts", "agg_funnel_steps"),
            ("marts", "fct_activation"),
            ("marts", "fct_milestones"),
            ("marts", "fct_account_activation"),
        ],
    )

    lines = [
        f"### Funnels + activation, {n_events:,d} synthetic events"
        f" (generated in {generated:.0f} s)",
        "",
        f"Machine: {os.cpu_count()} cores, DuckDB {duckdb.__version__}, memory_limit"
        f" {args.memory_limit or 'default'}; median of {args.runs} run(s); {n_funnels} funnels.",
        "",
        *table_header(floor, rows=n_events),
    ]
    for name in FUNNEL_MODELS + ACTIVATION_MODELS:
        rows = f"{sizes[name]:,d}" if name in sizes else ""
        lines.append(ratio_row(name, median_sum(models, [name]), floor, rows))
    funnels = median_sum(models, FUNNEL_MODELS)
    per_funnel = funnels / max(n_funnels, 1)
    activation = median_sum(models, ACTIVATION_MODELS)
    lines += [
        ratio_row(f"all {n_funnels} funnels", funnels, floor, ""),
        ratio_row("**per funnel (target ≤ 2×)**", per_funnel, floor, ""),
        ratio_row("activation, milestones, accounts", activation, floor, ""),
        f"| dbt run, wall clock (incl. dbt start-up) | {statistics.median(walls):.2f} | | |",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    (RESULTS / f"funnels_{args.millions:g}m.md").write_text(report)


if __name__ == "__main__":
    main()
