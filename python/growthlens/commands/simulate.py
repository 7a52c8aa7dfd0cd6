"""`growthlens simulate`: write a simulated raw warehouse (raw.*, truth.*)."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    sim = subparsers.add_parser("simulate", help="write a simulated raw warehouse (raw.*, truth.*)")
    sim.add_argument("--persons", type=int, default=2000, help="number of true people")
    sim.add_argument("--days", type=int, default=90, help="length of the simulated period")
    sim.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    sim.add_argument("--scenario", choices=["saas", "loyalty"], default="saas")
    sim.add_argument("--out", required=True, help="DuckDB file to write (replaced if present)")
    sim.add_argument("--start", default="2026-01-05", help="first simulated day (UTC, YYYY-MM-DD)")
    sim.add_argument(
        "--inject",
        default=None,
        help="tracker failures to add on purpose, comma separated: "
        "unknown_event,missing_property,type_drift,volume_drop",
    )
    return sim


def run(args: argparse.Namespace) -> int:
    from growthlens.simulate import simulate

    counts = simulate(
        out=args.out,
        persons=args.persons,
        days=args.days,
        seed=args.seed,
        scenario=args.scenario,
        start=args.start,
        inject=args.inject,
    )
    for table, n in counts.items():
        print(f"{table:32s} {n:>12,d}")
    return 0
