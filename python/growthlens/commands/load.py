"""`growthlens load`: CSV or Parquet files that follow the raw contract into raw.* tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from growthlens.errors import GrowthlensError, InvalidArgumentError

# Required columns of each raw table (contract.md); the other contract columns are optional.
RAW_TABLES: dict[str, tuple[str, ...]] = {
    "events": ("event_id", "event_name", "event_ts", "received_at", "anonymous_id", "user_id"),
    "identifies": ("identify_id", "ts"),
    "aliases": ("previous_id", "user_id", "ts"),
    "campaigns": ("campaign_id", "campaign_name", "channel", "goal_event"),
    "campaign_messages": ("message_event_id", "campaign_id", "event_type", "is_control", "ts"),
    "ad_spend": ("spend_date", "spend"),
}


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    load = subparsers.add_parser(
        "load",
        help="load CSV/Parquet files into raw.* tables",
        description="Load CSV or Parquet files that follow the raw contract into the raw schema. "
        "The table is --table, else the file name (events.csv -> raw.events, "
        "ad_spend.parquet -> raw.ad_spend). Rows are appended (columns matched by name) unless "
        "--replace. Then run `growthlens build`.",
    )
    load.add_argument("files", nargs="+", help="CSV (.csv, .csv.gz) or Parquet (.parquet) files")
    load.add_argument("--table", choices=sorted(RAW_TABLES), help="raw table for every file")
    load.add_argument("--path", default=None, help="DuckDB file (default $GROWTHLENS_DUCKDB)")
    load.add_argument(
        "--replace", action="store_true", help="replace the table instead of appending"
    )
    return load


def _table_for(file: Path, table: str | None) -> str:
    if table:
        return table
    name = file.name.split(".")[0]
    if name not in RAW_TABLES:
        raise InvalidArgumentError(
            f"{file.name}: can't tell the raw table from the file name; pass --table "
            f"({', '.join(sorted(RAW_TABLES))})"
        )
    return name


def _reader(file: Path) -> str:
    suffixes = "".join(file.suffixes).lower()
    if suffixes.endswith(".parquet"):
        return "read_parquet"
    if ".csv" in suffixes or ".tsv" in suffixes:
        return "read_csv"
    raise InvalidArgumentError(f"{file.name}: only CSV and Parquet files can be loaded")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from growthlens.summary import default_path

    db = Path(args.path) if args.path else default_path()
    files = [Path(f) for f in args.files]
    for file in files:
        if not file.exists():
            raise GrowthlensError(f"no such file: {file}")
    plan = [(file, _table_for(file, args.table), _reader(file)) for file in files]
    con = duckdb.connect(str(db))
    try:
        con.execute("create schema if not exists raw")
        replaced: set[str] = set()
        for i, (file, table, reader) in enumerate(plan, start=1):
            print(f"growthlens load: [{i}/{len(plan)}] {file} -> raw.{table}", file=sys.stderr)
            query = f"select * from {reader}(?)"
            columns = [
                row[0].lower() for row in con.execute(f"describe {query}", [str(file)]).fetchall()
            ]
            missing = [c for c in RAW_TABLES[table] if c not in columns]
            if missing:
                raise InvalidArgumentError(
                    f"{file.name}: raw.{table} needs the columns {', '.join(missing)}"
                )
            exists = con.execute(
                "select count(*) from information_schema.tables"
                " where table_schema = 'raw' and table_name = ?",
                [table],
            ).fetchone()[0]
            if (args.replace and table not in replaced) or not exists:
                con.execute(f"create or replace table raw.{table} as {query}", [str(file)])
                replaced.add(table)
            else:
                con.execute(f"insert into raw.{table} by name {query}", [str(file)])
            total = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            print(f"growthlens load: raw.{table} now has {total:,d} rows", file=sys.stderr)
    finally:
        con.close()
    return 0
