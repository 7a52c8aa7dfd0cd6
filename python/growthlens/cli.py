"""The `growthlens` console script.

Each subcommand lives in its own module under `growthlens.commands` and exposes
`add_parser(subparsers)` and `run(args) -> int`. Those modules import their heavy dependencies
inside `run`, so `growthlens --help` stays fast.

growthlens simulate --persons 2000 --days 90 --seed 7 --scenario saas --out warehouse.duckdb
growthlens summary [--path warehouse.duckdb]
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Subcommands in the order `growthlens --help` lists them; one module per name.
COMMANDS: tuple[str, ...] = ("simulate", "load", "build", "summary", "report", "validate", "clv")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="growthlens", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"growthlens.commands.{name}")
        command = module.add_parser(subparsers)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    from growthlens.errors import GrowthlensError

    try:
        return int(args.run(args))
    except GrowthlensError as exc:
        print(f"growthlens: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
