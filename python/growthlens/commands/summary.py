"""`growthlens summary`: print headline numbers of a built warehouse."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    summary = subparsers.add_parser("summary", help="print headline numbers of a built warehouse")
    summary.add_argument("--path", default=None, help="DuckDB file (default $GROWTHLENS_DUCKDB)")
    return summary


def run(args: argparse.Namespace) -> int:
    from growthlens.summary import print_summary

    print_summary(args.path)
    return 0
