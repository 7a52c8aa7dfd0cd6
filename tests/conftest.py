"""Shared pytest fixtures: build the dbt project on small DuckDB files in a temporary folder.

dbt runs in a subprocess (see environment.md: in-process dbt and a read-only DuckDB connection
in one process clash), with its own target and log folders so builds don't trample each other.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


class DbtBuildError(AssertionError):
    """dbt exited non-zero; the message carries the tail of its log."""


def run_dbt(
    db_path: Path,
    *args: str,
    vars: Mapping[str, Any] | None = None,
    work_dir: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` against the DuckDB file `db_path`; raise with the log tail on failure."""
    work = work_dir or db_path.parent
    env = {
        **os.environ,
        "GROWTHLENS_DUCKDB": str(db_path),
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    cmd = [
        str(BIN / "dbt"),
        *args,
        "--project-dir",
        str(REPO),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    if vars:
        cmd += ["--vars", json.dumps(vars)]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-60:])
        raise DbtBuildError(f"dbt {' '.join(args)} failed:\n{tail}\n{proc.stderr[-2000:]}")
    return proc


def differing_rows(
    incremental: Path, full: Path, relations: Sequence[str] | None = None
) -> dict[str, tuple[int, int]]:
    """Rows of each relation ("schema.table") found in one file and not the other, both ways
    (doubles rounded to 9 places), for the relations that differ. Without `relations`: every
    table of the marts schema."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{incremental}' as inc (read_only)")
        con.execute(f"attach '{full}' as ful (read_only)")
        if relations is None:
            relations = [
                f"marts.{name}"
                for (name,) in con.execute(
                    "select table_name from information_schema.tables where table_catalog = "
                    "'ful' and table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
                ).fetchall()
            ]
        differences = {}
        for relation in relations:
            schema, table = relation.split(".")
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'ful' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, table],
            ).fetchall()
            select = ", ".join(
                f'round("{name}", 9)' if kind == "DOUBLE" else f'"{name}"' for name, kind in columns
            )
            both = tuple(
                con.execute(
                    f"select count(*) from (select {select} from {a}.{relation} "
                    f"except all select {select} from {b}.{relation})"
                ).fetchone()[0]
                for a, b in (("inc", "ful"), ("ful", "inc"))
            )
            if any(both):
                differences[relation] = both
        return differences
    finally:
        con.close()


def write_raw_tables(db_path: Path, tables: Mapping[str, pd.DataFrame | str]) -> None:
    """Create raw.<name> tables from DataFrames, or from a SQL select given as text."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create schema if not exists raw")
        for name, data in tables.items():
            if isinstance(data, str):
                con.execute(f"create or replace table raw.{name} as {data}")
            else:
                con.register("frame", data)
                con.execute(f"create or replace table raw.{name} as select * from frame")
                con.unregister("frame")
    finally:
        con.close()


def execute(db_path: Path, sql: str) -> None:
    """Run a statement that changes a warehouse file (a test's deliberate edit of its state)."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute(sql)
    finally:
        con.close()


def query(db_path: Path, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run a read-only query against a built warehouse file."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


BuildFn = Callable[..., Path]


@pytest.fixture(scope="session")
def build_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuildFn:
    """Return build(name, tables, vars=None, select=None) -> path of a built DuckDB file.

    `tables` maps raw table names to DataFrames or SQL selects; `select` limits the build.
    The tracking plan is off (var `tracking_plan: null`) unless `vars` names one.
    """

    def build(
        name: str,
        tables: Mapping[str, pd.DataFrame | str],
        vars: Mapping[str, Any] | None = None,
        select: str | None = None,
    ) -> Path:
        work = tmp_path_factory.mktemp(name)
        db_path = work / "warehouse.duckdb"
        write_raw_tables(db_path, tables)
        # Hand-made events follow no scenario's tracking plan: no plan checks unless the test
        # names a plan (an `error` check would otherwise fail the build on purpose).
        vars = {"tracking_plan": None, **(vars or {})}
        args = ["build", "--quiet"]
        if select:
            args += ["--select", select, "--indirect-selection", "cautious"]
        run_dbt(db_path, *args, vars=vars, work_dir=work)
        return db_path

    return build


# Size of the simulated warehouses the test suite builds: small enough for a fast suite,
# big enough for every identity story and campaign to occur.
SIM_PERSONS = 1500
SIM_DAYS = 60
SIM_SEED = 7


@pytest.fixture(scope="session")
def simulated_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Return get(scenario) -> path of a simulated warehouse built with `dbt build` (cached)."""
    from growthlens.simulate import simulate

    built: dict[str, Path] = {}

    def get(scenario: str) -> Path:
        if scenario not in built:
            work = tmp_path_factory.mktemp(f"sim_{scenario}")
            db_path = work / "warehouse.duckdb"
            simulate(
                out=str(db_path),
                persons=SIM_PERSONS,
                days=SIM_DAYS,
                seed=SIM_SEED,
                scenario=scenario,
                start="2026-01-05",
            )
            run_dbt(db_path, "build", "--quiet", vars={"scenario": scenario}, work_dir=work)
            built[scenario] = db_path
        return built[scenario]

    return get


# Leading columns of raw.events in the hand-made test data (event_ts already a timestamp); test
# modules add the contract columns they need after these.
BASE_EVENT_COLUMNS: dict[str, str] = {
    "event_id": "varchar",
    "event_name": "varchar",
    "event_ts": "timestamp",
    "received_at": "timestamp",
    "anonymous_id": "varchar",
    "user_id": "varchar",
}


# Every raw.identifies column of the contract, for hand-made identify calls.
IDENTIFY_COLUMNS: dict[str, str] = {
    "identify_id": "varchar",
    "ts": "timestamp",
    "anonymous_id": "varchar",
    "user_id": "varchar",
    "email": "varchar",
    "traits": "varchar",
}


def sql_literal(value: Any) -> str:
    """A python value as a SQL literal: null, true/false, a number, else quoted text
    (datetimes as their ISO text, which the caller's cast turns back into a timestamp)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def values_sql(columns: Mapping[str, str], rows: Sequence[Mapping[str, Any]]) -> str:
    """A `select` over a VALUES list with every column cast to its declared type; a column a
    row lacks is null."""
    names = list(columns)
    body = ",\n".join(
        "(" + ", ".join(sql_literal(row.get(name)) for name in names) + ")" for row in rows
    )
    casts = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in columns.items())
    return f"select {casts} from (values {body}) as t({', '.join(names)})"
