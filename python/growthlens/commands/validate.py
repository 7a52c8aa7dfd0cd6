"""`growthlens validate`: check the raw tables against the tracking plan."""

from __future__ import annotations

import argparse
import os


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    cmd = subparsers.add_parser(
        "validate",
        help="check raw tables against the tracking plan (exit 1 on a failed `error` check)",
    )
    cmd.add_argument("--path", default=None, help="DuckDB file (default $GROWTHLENS_DUCKDB)")
    cmd.add_argument(
        "--plan",
        "--scenario",
        dest="plan",
        default=None,
        help="plan name in seeds/tracking_plan.csv (default $GROWTHLENS_SCENARIO, else saas)",
    )
    cmd.add_argument("--plan-file", default=None, help="tracking plan CSV (default the seed)")
    cmd.add_argument("--out", default=None, help="folder for validation_result.json and .html")
    cmd.add_argument("--batch-rows", type=int, default=250_000, help="rows per batch")
    cmd.add_argument("--max-clock-skew-hours", type=float, default=24.0)
    cmd.add_argument("--min-event-date", default="2000-01-01")
    cmd.add_argument("--volume-k", type=float, default=4.0, help="band half-width in robust scales")
    return cmd


def run(args: argparse.Namespace) -> int:
    from growthlens.validate import validate

    report = validate(
        args.path,
        plan=args.plan or os.environ.get("GROWTHLENS_SCENARIO", "saas"),
        plan_file=args.plan_file,
        out=args.out,
        batch_rows=args.batch_rows,
        max_clock_skew_hours=args.max_clock_skew_hours,
        min_event_date=args.min_event_date,
        volume_k=args.volume_k,
    )
    print(report.summary())
    for kind, file in report.files.items():
        print(f"{kind}: {file}")
    return report.exit_code
