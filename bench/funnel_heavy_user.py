"""Show that the funnel models cost linear time in the length of one person's history.

    python bench/funnel_heavy_user.py                      # 10 k, 100 k and 1 M events, one person
    python bench/funnel_heavy_user.py --sizes 10000 100000 --runs 3
    python bench/funnel_heavy_user.py --naive-sizes 2500 5000 10000   # the self-join approach

Ordered funnels in dbt packages are usually a chain of self-joins: every step-1 event joined to
every later step-2 event of the same person, and so on, which is quadratic (or worse) in a heavy
user's history. growthlens' `int_funnel_entries_chained` counts step matches in one window pass
and chains candidates with equi-joins, so 10× the events should cost about 10× the time.

For each size, a warehouse holds one person with that many events (page views with and without
`plan: pro`, workflow_started, workflow_saved in random order over 30 days) as `marts.fct_events`;
`dbt run` builds the funnel models with a 4-step funnel whose first two steps are page_viewed
with different properties (window 7 days), and each model's time comes from
target/run_results.json (median of the runs). With `--naive-sizes`, the same funnel (3 steps)
written as a chain of self-joins runs on the same data for contrast.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import duckdb
from _common import RESULTS, new_warehouse, prepare_work, run_dbt, seconds_per_model

MODELS = ["int_funnel_entries_chained", "fct_funnel_persons", "agg_funnel_steps"]
FUNNEL = {
    "name": "heavy",
    "window_hours": 168,
    "steps": [
        "page_viewed",
        {"event": "page_viewed", "properties": {"plan": "pro"}},
        "workflow_started",
        "workflow_saved",
    ],
}


def write_warehouse(path: Path, n_events: int) -> None:
    """One person with n_events events as marts.fct_events (+ the tables the models read)."""
    with new_warehouse(path, ["marts", "staging"]) as con:
        con.execute(
            f"""
            create table marts.fct_events as
            with ids as (
                select range as i, cast(hash(range * 7 + 3) % 4 as integer) as kind
                from range({n_events})
            )
            select
                'evt-' || lpad(cast(i as varchar), 9, '0') as event_id,
                md5('heavy') as person_id,
                case when kind < 2 then 'page_viewed' when kind = 2 then 'workflow_started'
                    else 'workflow_saved' end as event_name,
                case when kind = 1 then '{{"plan": "pro"}}' else '{{"plan": "free"}}' end
                    as properties,
                timestamp '2026-01-01'
                    + to_microseconds(i * (cast(30 * 86400 as bigint) * 1000000 // {n_events}))
                    as event_ts
            from ids
            """
        )
        con.execute(
            "create table marts.dim_persons as"
            " select md5('heavy') as person_id, 'heavy' as persona, 'direct' as acquisition_channel"
        )


def run_models(path: Path, work: Path) -> dict[str, float]:
    """dbt run of the funnel models with the heavy-user funnel; seconds per model."""
    select = ["--select", "int_funnel_steps_configured", *MODELS]
    run_dbt("run", [*select, "--vars", json.dumps({"funnels": [FUNNEL]})], path, work)
    return seconds_per_model(work)


NAIVE_SQL = """
with events as (
    select person_id, event_id, event_name, properties, event_ts from marts.fct_events
),
step_1 as (select * from events where event_name = 'page_viewed'),
step_2 as (
    select step_1.person_id, step_1.event_ts as step_1_at, min(e.event_ts) as step_2_at
    from step_1
    left join events as e
        on e.person_id = step_1.person_id
        and e.event_name = 'page_viewed'
        and json_extract_string(e.properties, '$.plan') = 'pro'
        and e.event_ts > step_1.event_ts
        and e.event_ts <= step_1.event_ts + interval 168 hour
    group by all
),
step_3 as (
    select step_2.person_id, step_2.step_1_at, step_2.step_2_at, min(e.event_ts) as step_3_at
    from step_2
    left join events as e
        on e.person_id = step_2.person_id
        and e.event_name = 'workflow_started'
        and e.event_ts > step_2.step_2_at
        and e.event_ts <= step_2.step_1_at + interval 168 hour
    group by all
)
select person_id, max(case when step_3_at is not null then 3 when step_2_at is not null then 2
    else 1 end) as furthest_step
from step_3
group by person_id
"""


def time_naive(path: Path, runs: int) -> float:
    con = duckdb.connect(str(path))
    try:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            con.execute(f"create or replace temp table naive as {NAIVE_SQL}")
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        con.close()


def _growth(seconds: float, n_events: int, previous: tuple[int, float] | None) -> str:
    if previous is None:
        return ""
    return f"{seconds / previous[1]:.1f} (events × {n_events / previous[0]:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--naive-sizes", type=int, nargs="*", default=[])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    work = prepare_work("funnel_heavy_user")
    lines = [
        "### Funnel models on one person with a long history",
        "",
        f"Machine: {os.cpu_count()} cores, DuckDB {duckdb.__version__}; 4-step funnel, steps 1-2"
        f" both page_viewed (different properties); median of {args.runs} run(s).",
        "",
        "| events of the person | int_funnel_entries_chained s | all funnel models s"
        " | × previous size | µs per event |",
        "|---:|---:|---:|---:|---:|",
    ]
    previous: tuple[int, float] | None = None
    for n_events in args.sizes:
        path = work / f"heavy_{n_events}.duckdb"
        write_warehouse(path, n_events)
        runs = [run_models(path, work) for _ in range(args.runs)]
        chained = statistics.median(r["int_funnel_entries_chained"] for r in runs)
        total = statistics.median(sum(r.get(m, 0.0) for m in MODELS) for r in runs)
        growth = _growth(total, n_events, previous)
        lines.append(
            f"| {n_events:,d} | {chained:.3f} | {total:.3f} | {growth} |"
            f" {total / n_events * 1e6:.2f} |"
        )
        previous = (n_events, total)
        print(lines[-1], flush=True)
    if args.naive_sizes:
        lines += [
            "",
            "Same person, the first three steps as a chain of self-joins (for contrast):",
            "",
            "| events of the person | self-join chain s | × previous size |",
            "|---:|---:|---:|",
        ]
        previous = None
        for n_events in args.naive_sizes:
            path = work / f"naive_{n_events}.duckdb"
            write_warehouse(path, n_events)
            seconds = time_naive(path, args.runs)
            growth = _growth(seconds, n_events, previous)
            lines.append(f"| {n_events:,d} | {seconds:.3f} | {growth} |")
            previous = (n_events, seconds)
            print(lines[-1], flush=True)
    report = "\n".join(lines) + "\n"
    print(report)
    (RESULTS / "funnel_heavy_user.md").write_text(report)


if __name__ == "__main__":
    main()
