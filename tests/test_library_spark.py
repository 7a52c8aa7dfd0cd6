"""The library's Spark SQL executed on Apache Spark (local mode) where pyspark and Java are
installed (the `spark` extra): the marts a question reads are copied from the simulated DuckDB
warehouse as parquet tables, and Spark's answers must equal DuckDB's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import growthlens

pytestmark = pytest.mark.dbt

TABLES = [
    ("marts", "fct_events"),
    ("marts", "dim_persons"),
    ("marts", "fct_activation"),
    ("intermediate", "int_persons_cohorted"),
    ("intermediate", "int_person_periods_active"),
]

QUESTIONS: list[tuple[str, dict[str, Any]]] = [
    (
        "funnel",
        {
            "steps": [
                {"event": "signed_up", "properties": {"signup_type": ["invited", "organic"]}},
                "email_verified",
                "workflow_saved",
            ],
            "window": "7d",
            "by": "persona",
        },
    ),
    ("retention", {"grain": "week", "by": "acquisition_channel"}),
    ("activation", {"by": "persona"}),
]


@pytest.fixture(scope="module")
def spark(simulated_warehouse, tmp_path_factory) -> Iterator[Any]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed")
    import duckdb
    from pyspark.sql import SparkSession

    path = simulated_warehouse("saas")
    work = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("growthlens-library-test")
        .config("spark.sql.warehouse.dir", str(work / "warehouse"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
        .getOrCreate()
    )
    con = duckdb.connect(str(path), read_only=True)
    try:
        for schema, name in TABLES:
            target = work / "parquet" / f"{schema}.{name}.parquet"
            target.parent.mkdir(exist_ok=True)
            con.execute(f"copy (select * from {schema}.{name}) to '{target}' (format parquet)")
            session.sql(f"create database if not exists {schema}")
            session.sql(f"create table {schema}.{name} using parquet location '{target}'")
    finally:
        con.close()
    yield session, path
    session.stop()


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if str(frame[column].dtype).startswith("datetime") or frame[column].dtype == object:
            frame[column] = frame[column].astype(str)
        elif pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("float64")
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.mark.parametrize("index", range(len(QUESTIONS)))
def test_spark_rendering_equals_duckdb(spark, index: int) -> None:
    session, path = spark
    question, kwargs = QUESTIONS[index]
    wh = growthlens.connect(path)
    spark_sql = wh.render(question, dialect="spark", **kwargs)
    duck_sql = wh.render(question, dialect="duckdb", **kwargs)
    got = session.sql(spark_sql).toPandas()
    expected = wh.sql(duck_sql)
    assert len(expected) > 0
    got.columns = expected.columns
    pd.testing.assert_frame_equal(
        normalised(got), normalised(expected), check_dtype=False, rtol=1e-9
    )
