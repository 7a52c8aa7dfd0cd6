"""The library's SQL per dialect: snapshots under tests/snapshots/, DuckDB renderings executed.

Regenerate the snapshots after an intended change with
`GROWTHLENS_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_library_sql.py` and review
the diff.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlglot

import growthlens
from conftest import query
from growthlens.queries import DIALECTS

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("GROWTHLENS_UPDATE_SNAPSHOTS") == "1"

# Questions with arguments that exercise every part of their SQL (property filters, a list of
# values, an absent property, `by`, entry dates).
QUESTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "funnel": (
        "funnel",
        {
            "steps": [
                {"event": "Signed Up", "properties": {"signup_type": ["invited", "organic"]}},
                {"event": "workflow_started", "properties": {"template": None}},
                "workflow_saved",
            ],
            "window": "7d",
            "by": "persona",
            "start": "2026-01-01",
            "end": "2026-12-31",
        },
    ),
    "funnel_plain": ("funnel", {"steps": ["signed_up", "workflow_saved"], "window": "24h"}),
    "retention_week": ("retention", {"grain": "week", "by": "acquisition_channel"}),
    "retention_month": ("retention", {"grain": "month"}),
    "activation": ("activation", {"by": "persona"}),
    "growth_accounting": ("growth_accounting", {"grain": "week"}),
    "attribution_channel": ("attribution", {"model": "linear", "by": "channel"}),
    "attribution_persona": ("attribution", {"model": None, "by": "persona"}),
    "ltv": ("ltv", {"by": "persona", "days": [7, 30, 90]}),
    "events": ("events", {"event_names": ["Signed Up"], "start": "2026-01-01", "limit": 5}),
}
NEEDS = {
    "attribution_channel": "agg_channel_performance",
    "attribution_persona": "fct_attribution",
    "ltv": "fct_ltv",
}


def render(name: str, dialect: str) -> str:
    question, kwargs = QUESTIONS[name]
    wh = growthlens.Warehouse("unused.duckdb")  # render() needs no warehouse
    return wh.render(question, dialect=dialect, **kwargs) + "\n"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_sql_snapshot(name: str, dialect: str) -> None:
    sql = render(name, dialect)
    snapshot = SNAPSHOTS / f"{name}.{dialect}.sql"
    if UPDATE or not snapshot.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot {snapshot.name}; run with GROWTHLENS_UPDATE_SNAPSHOTS=1")
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(sql)
    assert sql == snapshot.read_text()
    # Every rendering parses back in its own dialect.
    assert sqlglot.parse_one(sql, read=dialect) is not None


def test_values_reach_sql_only_as_literals() -> None:
    evil = "x'; drop table marts.dim_persons; --"
    wh = growthlens.Warehouse("unused.duckdb")
    for dialect in DIALECTS:
        sql = wh.render(
            "funnel",
            dialect=dialect,
            steps=[evil, {"event": "a", "properties": {evil: evil}}],
        )
        statements = sqlglot.parse(sql, read=dialect)
        assert len(statements) == 1
        assert not any(isinstance(node, sqlglot.exp.Drop) for node in statements[0].walk())


@pytest.mark.dbt
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_duckdb_rendering_runs(simulated_warehouse, name: str) -> None:
    path = simulated_warehouse("saas")
    tables = set(query(path, "select table_name from information_schema.tables")["table_name"])
    if name in NEEDS and NEEDS[name] not in tables:
        pytest.skip(f"{NEEDS[name]} not built in this tree")
    result = query(path, render(name, "duckdb"))
    assert len(result) > 0
