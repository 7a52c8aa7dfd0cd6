"""`growthlens report`: one self-contained HTML file with the charts and tables of every mart."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    report = subparsers.add_parser(
        "report",
        help="write one self-contained HTML report (charts and every mart)",
        description="Write one self-contained HTML file (charts embedded as PNG, a table per "
        "mart) from a built warehouse; progress goes to stderr.",
    )
    report.add_argument("--path", default=None, help="DuckDB file (default $GROWTHLENS_DUCKDB)")
    report.add_argument("--out", default="growthlens_report.html", help="HTML file to write")
    report.add_argument("--quiet", action="store_true", help="no progress lines")
    return report


def run(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from growthlens.report import write_report

    kwargs = {"progress": None} if args.quiet else {}
    target = write_report(args.path, args.out, **kwargs)
    print(target)
    return 0
