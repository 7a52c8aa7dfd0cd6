"""The `growthlens` console script.

growthlens simulate --persons 2000 --days 90 --seed 7 --scenario saas --out warehouse.duckdb
growthlens summary [--path warehouse.duckdb]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="growthlens", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    sim = commands.add_parser("simulate", help="write a simulated raw warehouse (raw.*, truth.*)")
    sim.add_argument("--persons", type=int, default=2000, help="number of true people")
    sim.add_argument("--days", type=int, default=90, help="length of the simulated period")
    sim.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    sim.add_argument("--scenario", choices=["saas", "loyalty"], default="saas")
    sim.add_argument("--out", required=True, help="DuckDB file to write (replaced if present)")
    sim.add_argument("--start", default="2026-01-05", help="first simulated day (UTC, YYYY-MM-DD)")

    summary = commands.add_parser("summary", help="print headline numbers of a built warehouse")
    summary.add_argument("--path", default=None, help="DuckDB file (default $GROWTHLENS_DUCKDB)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    from growthlens.errors import GrowthlensError

    try:
        if args.command == "simulate":
            from growthlens.simulate import simulate

            counts = simulate(
                out=args.out,
                persons=args.persons,
                days=args.days,
                seed=args.seed,
                scenario=args.scenario,
                start=args.start,
            )
            for table, n in counts.items():
                print(f"{table:32s} {n:>12,d}")
            return 0
        if args.command == "summary":
            from growthlens.summary import print_summary

            print_summary(args.path)
            return 0
    except GrowthlensError as exc:
        print(f"growthlens: {exc}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
