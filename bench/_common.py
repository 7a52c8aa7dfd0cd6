"""Pieces shared by the benchmark scripts in bench/ (not a benchmark itself).

Every benchmark times some dbt models against the same floor, one sort of `raw.events`
(`create table ... as select * from raw.events order by anonymous_id, event_ts`), runs dbt in a
subprocess with its own target and log folders, reads each node's time back from
target/run_results.json, and reports medians of the runs as a markdown table of seconds and
ratios to the floor. The synthetic warehouses share their set-up and the contract's marketing
columns.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = REPO / "bench" / "results"

# Header of the per-step tables: seconds and ratio to the floor, optionally with a row count.
TABLE_HEADER = ["| step | seconds | × floor |", "|---|---:|---:|"]
TABLE_HEADER_ROWS = ["| step | seconds | × floor | rows |", "|---|---:|---:|---:|"]
FLOOR_LABEL = "floor: one sort of raw.events"


def time_floor(path: Path, memory_limit: str | None = None) -> float:
    """Seconds to write raw.events sorted by (anonymous_id, event_ts) into a new table, under
    the builds' memory_limit when they had one (else DuckDB's default, 80 % of RAM)."""
    con = duckdb.connect(str(path))
    try:
        if memory_limit:
            con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute("drop table if exists main.bench_floor")
        start = time.perf_counter()
        con.execute(
            "create table main.bench_floor as"
            " select * from raw.events order by anonymous_id, event_ts"
        )
        elapsed = time.perf_counter() - start
        con.execute("drop table main.bench_floor")
        con.execute("checkpoint")
        return elapsed
    finally:
        con.close()


def write_profile(work: Path, memory_limit: str | None) -> Path:
    """The repository's profile, with DuckDB's memory_limit when asked. No temp_directory: DuckDB
    spills to <warehouse>.tmp beside the file by default, and dbt re-applying a temp_directory on
    a later connection after a spill fails ("Cannot switch temporary directory")."""
    profile = yaml.safe_load((REPO / "profiles.yml").read_text())
    if memory_limit:
        settings = profile["growthlens"]["outputs"]["dev"].setdefault("settings", {})
        settings["memory_limit"] = memory_limit
        settings.pop("temp_directory", None)
    (work / "profiles.yml").write_text(yaml.safe_dump(profile))
    return work


def run_dbt(
    command: str,
    args: list[str],
    path: Path,
    work: Path,
    profiles: Path = REPO,
    prefix: list[str] | None = None,
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run `dbt <command> --quiet <args>` on the warehouse at `path`; exit when it fails.

    Target and logs go under `work`; `prefix` wraps the command (e.g. /usr/bin/time -v).
    Returns the wall-clock seconds and the finished process.
    """
    env = {**os.environ, "GROWTHLENS_DUCKDB": str(path), "DBT_PROFILES_DIR": str(profiles)}
    cmd = [
        str(BIN / "dbt"), command, "--quiet",
        *args,
        "--project-dir", str(REPO),
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run((prefix or []) + cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"dbt {command} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return wall, proc


def read_artifact(work: Path, name: str) -> dict:
    """A dbt artifact (run_results.json, manifest.json) from the target folder under `work`."""
    return json.loads((work / "target" / name).read_text())


def seconds_per_model(work: Path) -> dict[str, float]:
    """Execution seconds of each node of the last run, keyed by model name."""
    results = read_artifact(work, "run_results.json")
    return {
        r["unique_id"].rsplit(".", 1)[-1]: float(r["execution_time"]) for r in results["results"]
    }


def seconds_per_node(work: Path) -> dict[str, float]:
    """Execution seconds of the last run, keyed by model file path or `test:<unique_id>`."""
    results = read_artifact(work, "run_results.json")
    manifest = read_artifact(work, "manifest.json")
    per_node: dict[str, float] = {}
    for result in results["results"]:
        node = manifest["nodes"].get(result["unique_id"], {})
        key = node.get("original_file_path", result["unique_id"])
        if node.get("resource_type") == "test":
            key = "test:" + result["unique_id"]
        per_node[key] = per_node.get(key, 0.0) + float(result["execution_time"])
    return per_node


def time_runs(
    path: Path, runs: int, run_models: Callable[[], tuple[float, dict[str, float]]]
) -> tuple[float, list[float], list[dict[str, float]]]:
    """`runs` times: time the floor, then `run_models()` (wall seconds, seconds per model).

    Returns the median floor, the wall-clock seconds and the per-model seconds of each run.
    """
    floors, walls, models = [], [], []
    for _ in range(runs):
        floors.append(time_floor(path))
        wall, per_model = run_models()
        walls.append(wall)
        models.append(per_model)
    return statistics.median(floors), walls, models


def row_counts(path: Path, tables: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Row count of each (schema, table), keyed by table name."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            name: con.execute(f"select count(*) from {schema}.{name}").fetchone()[0]
            for schema, name in tables
        }
    finally:
        con.close()


def median_sum(runs: Iterable[Mapping[str, float]], names: Iterable[str]) -> float:
    """Median over the runs of the summed seconds of `names` (missing names count 0)."""
    names = list(names)
    return statistics.median(sum(run.get(name, 0.0) for name in names) for run in runs)


def ratio_row(label: str, seconds: float, floor: float, *extra: str) -> str:
    """One table row: label, seconds, ratio to the floor, then any extra cells."""
    row = f"| {label} | {seconds:.2f} | {seconds / floor:.2f} |"
    return row + "".join(f" {cell} |" if cell else " |" for cell in extra)


def table_header(floor: float, rows: int | None = None) -> list[str]:
    """Table header and the floor's row; with `rows`, a row-count column is added."""
    if rows is None:
        return [*TABLE_HEADER, f"| {FLOOR_LABEL} | {floor:.2f} | 1.00 |"]
    return [*TABLE_HEADER_ROWS, f"| {FLOOR_LABEL} | {floor:.2f} | 1.00 | {rows:,d} |"]


def prepare_work(name: str) -> Path:
    """An empty bench/results/<name> folder."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = RESULTS / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work


@contextmanager
def new_warehouse(path: Path, schemas: Iterable[str]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh DuckDB file (UTC session) with `schemas`; on success, adds the
    `staging.stg_events` view the models read the data's end from and checkpoints."""
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("; ".join(f"create schema {schema}" for schema in schemas))
        yield con
        con.execute("create view staging.stg_events as select event_ts from marts.fct_events")
        con.execute("checkpoint")
    finally:
        con.close()


def marketing_columns(site: str) -> str:
    """The contract's device and marketing columns of raw.events, from `i` (event) and `p`
    (person), as a select-list fragment (platform .. page_url, pages on `site`)."""
    return f"""['web', 'ios', 'android'][1 + p % 3] as platform,
                case when i % 11 = 0 then 'google' end as utm_source,
                case when i % 11 = 0 then 'cpc' end as utm_medium,
                case when i % 11 = 0 then 'spring_sale' end as utm_campaign,
                cast(null as varchar) as utm_content,
                cast(null as varchar) as utm_term,
                case when i % 13 = 0 then 'https://www.google.com/search' end as referrer,
                'https://{site}/p/' || (i % 5000) as page_url"""


def memory_gib() -> float:
    """Total memory of this machine in GiB (nan where /proc/meminfo can't be read)."""
    try:
        text = Path("/proc/meminfo").read_text()
        kb = int(re.search(r"MemTotal:\s+(\d+)", text).group(1))  # type: ignore[union-attr]
        return kb / 1024 / 1024
    except (OSError, AttributeError):
        return float("nan")


def update_readme(table: str, marker: str) -> None:
    """Replace the README's text between `<!-- {marker}:start -->` and `<!-- {marker}:end -->`."""
    readme = REPO / "README.md"
    text = readme.read_text()
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        readme.write_text(f"{head}{start}\n{table}\n{end}{tail}")
