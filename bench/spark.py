"""Spark local build time next to DuckDB's on the same simulated data (`make bench-spark`).

Both engines build every seed and model (no data tests) of one scenario from the same raw
tables; the table reports wall seconds of the dbt process, the sum of the model times dbt
recorded, the slowest models on Spark, and the one-sort floor on DuckDB for scale. Spark runs
in local mode on this machine (driver memory from GROWTHLENS_SPARK_MEMORY, default 2g): the
numbers show the fixed cost of a distributed engine on small data, not its scaling.

    python bench/spark.py --persons 1000 --days 30 --scenario saas
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BIN, REPO, RESULTS, time_floor  # noqa: E402

BUILD = ["build", "--exclude", "resource_type:test", "resource_type:unit_test"]


def run_dbt(work: Path, name: str, target: str, env: dict[str, str], scenario: str) -> float:
    cmd = [
        str(BIN / "dbt"), *BUILD, "--target", target, "--project-dir", str(REPO),
        "--target-path", str(work / f"target_{name}"), "--log-path", str(work / f"logs_{name}"),
        "--vars", json.dumps({"scenario": scenario}),
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join(line for line in proc.stdout.splitlines()[-40:] if '{"ts"' not in line)
        raise SystemExit(f"dbt on {target} failed:\n{tail}")
    return elapsed


def model_seconds(work: Path, name: str) -> dict[str, float]:
    results = json.loads((work / f"target_{name}" / "run_results.json").read_text())
    return {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in results["results"]
        if r["unique_id"].startswith("model.")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scenario", default="saas")
    args = parser.parse_args()

    from growthlens.simulate import simulate

    work = RESULTS / "spark_work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    warehouse = work / "warehouse.duckdb"
    simulate(
        out=str(warehouse),
        persons=args.persons,
        days=args.days,
        seed=args.seed,
        scenario=args.scenario,
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    n_events = con.execute("select count(*) from raw.events").fetchone()[0]
    con.close()
    floor = time_floor(warehouse)

    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GROWTHLENS_DUCKDB": str(warehouse),
        "GROWTHLENS_SPARK_DIR": str(work / "spark"),
    }
    duck_wall = run_dbt(work, "duckdb", "dev", env, args.scenario)

    start = time.perf_counter()
    load = subprocess.run(
        [sys.executable, "-m", "growthlens.spark", "load", str(warehouse)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    load_wall = time.perf_counter() - start
    if load.returncode != 0:
        raise SystemExit(f"loading raw tables into Spark failed:\n{load.stderr[-2000:]}")
    spark_wall = run_dbt(work, "spark", "spark", env, args.scenario)

    duck_models, spark_models = model_seconds(work, "duckdb"), model_seconds(work, "spark")
    slowest = sorted(spark_models.items(), key=lambda item: -item[1])[:8]
    lines = [
        f"# Spark local build vs DuckDB ({args.scenario}, {args.persons} persons × {args.days}"
        f" days, {n_events:,} raw events)",
        "",
        "Every seed and model, no data tests; Spark in local mode (2 cores, driver ≤ 2g).",
        "",
        "| engine | dbt wall s | sum of model s | models |",
        "|---|---:|---:|---:|",
        f"| DuckDB | {duck_wall:.1f} | {sum(duck_models.values()):.1f} | {len(duck_models)} |",
        f"| Spark local | {spark_wall:.1f} | {sum(spark_models.values()):.1f} |"
        f" {len(spark_models)} |",
        "",
        f"Loading raw.* into Spark: {load_wall:.1f} s (JVM start included)."
        f" DuckDB one-sort floor: {floor:.2f} s.",
        "",
        "Slowest models on Spark (s, DuckDB s beside):",
        "",
        "| model | Spark | DuckDB |",
        "|---|---:|---:|",
        *(f"| {m} | {s:.1f} | {duck_models.get(m, float('nan')):.2f} |" for m, s in slowest),
        "",
    ]
    out = RESULTS / "spark.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
