"""The warehouse on Apache Spark (local mode): a session configured like the `spark` target of
the repository's profiles.yml, loading raw tables from a DuckDB file into it, and exporting
built tables back out as parquet.

dbt's `session` method runs Spark inside the dbt process and keeps the catalogue in an embedded
database beside the tables (GROWTHLENS_SPARK_DIR, default target/spark), so only one process
may hold it at a time: load, then `dbt build --target spark`, then read, one after the other.
pyspark is imported lazily (the `spark` extra: `pip install -e '.[spark]'`, Java 17).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RAW_TABLES = ("events", "identifies", "aliases", "campaigns", "campaign_messages", "ad_spend")

_ENV_VAR = re.compile(r"\{\{\s*env_var\(\s*'([^']+)'\s*(?:,\s*'([^']*)'\s*)?\)\s*\}\}")


def spark_dir(env: Mapping[str, str] | None = None) -> Path:
    """Folder of the Spark tables and catalogue (GROWTHLENS_SPARK_DIR, default target/spark)."""
    env = os.environ if env is None else env
    return Path(env.get("GROWTHLENS_SPARK_DIR", str(REPO / "target" / "spark"))).resolve()


def session_parameters(
    profiles_dir: Path | None = None, env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The `server_side_parameters` of the spark target in profiles.yml, env_var() resolved.

    Reading them from the profile keeps one definition of the session for dbt and for Python.
    """
    import yaml

    env = dict(os.environ if env is None else env)
    env.setdefault("GROWTHLENS_SPARK_DIR", str(spark_dir(env)))
    profiles = Path(profiles_dir or REPO) / "profiles.yml"
    target = yaml.safe_load(profiles.read_text())["growthlens"]["outputs"]["spark"]

    def render(value: Any) -> str:
        return _ENV_VAR.sub(lambda m: env.get(m.group(1), m.group(2) or ""), str(value))

    params = {str(k): render(v) for k, v in target.get("server_side_parameters", {}).items()}
    # dbt-spark turns ANSI mode off for its sessions; do the same so both read alike.
    params.setdefault("spark.sql.ansi.enabled", "false")
    return params


def session(profiles_dir: Path | None = None, env: Mapping[str, str] | None = None) -> Any:
    """A SparkSession with the catalogue and settings of the `spark` target."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport().appName("growthlens")
    for key, value in session_parameters(profiles_dir, env).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def load_raw(
    spark: Any,
    duckdb_path: str | Path,
    tables: Iterable[str] = RAW_TABLES,
    schema: str = "raw",
    staging_dir: Path | None = None,
) -> dict[str, int]:
    """Copy raw.<table> from a DuckDB file into Spark tables <schema>.<table> (parquet).

    Tables absent from the DuckDB file are dropped from Spark too (optional tables stay
    optional). Timestamps stay instants: DuckDB writes them as UTC, Spark reads them as such.
    Returns the rows copied per table.
    """
    import duckdb

    staging = Path(staging_dir or spark_dir() / "load")
    staging.mkdir(parents=True, exist_ok=True)
    spark.sql(f"create database if not exists {schema}")
    copied: dict[str, int] = {}
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
        for table in tables:
            spark.sql(f"drop table if exists {schema}.{table}")
            if table not in present:
                continue
            columns = con.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            # Instants go out as UTC instants; everything else keeps its type.
            select = ", ".join(
                f'timezone(\'UTC\', "{name}") as "{name}"' if dtype == "TIMESTAMP" else f'"{name}"'
                for name, dtype in columns
            )
            path = staging / f"{table}.parquet"
            con.execute("set TimeZone = 'UTC'")
            con.execute(f"copy (select {select} from raw.{table}) to '{path}' (format parquet)")
            frame = spark.read.parquet(str(path))
            frame.write.mode("overwrite").format("parquet").saveAsTable(f"{schema}.{table}")
            copied[table] = spark.table(f"{schema}.{table}").count()
    finally:
        con.close()
    return copied


def export_tables(spark: Any, tables: Iterable[str], out_dir: Path) -> dict[str, Path]:
    """Write Spark tables (`schema.name`) as parquet folders under out_dir, for comparison."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for table in tables:
        path = out_dir / table.replace(".", "__")
        spark.table(table).write.mode("overwrite").parquet(str(path))
        written[table] = path
    return written


def main(argv: list[str] | None = None) -> int:
    """`python -m growthlens.spark load DUCKDB` / `export OUT_DIR TABLE...` / `query OUT_DIR
    SQL_FILE...`, each in its own process (the embedded catalogue admits one at a time)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m growthlens.spark", description=main.__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", help="copy raw.* from a DuckDB file into the Spark catalogue")
    load.add_argument("duckdb_path")
    export = sub.add_parser("export", help="write Spark tables (schema.name) as parquet folders")
    export.add_argument("out_dir")
    export.add_argument("tables", nargs="+")
    query = sub.add_parser("query", help="run the SQL of each file, write each answer as parquet")
    query.add_argument("out_dir")
    query.add_argument("sql_files", nargs="+")
    args = parser.parse_args(argv)
    spark = session()
    try:
        if args.command == "load":
            for table, rows in load_raw(spark, args.duckdb_path).items():
                print(f"raw.{table}: {rows} rows")
        elif args.command == "export":
            for table, path in export_tables(spark, args.tables, Path(args.out_dir)).items():
                print(f"{table} -> {path}")
        else:
            out_dir = Path(args.out_dir)
            out_dir.mkdir(parents=True, exist_ok=True)
            for sql_file in map(Path, args.sql_files):
                answer = spark.sql(sql_file.read_text())
                answer.write.mode("overwrite").parquet(str(out_dir / sql_file.stem))
                print(f"{sql_file} -> {out_dir / sql_file.stem}")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
