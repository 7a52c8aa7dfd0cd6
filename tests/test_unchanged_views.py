"""Views on DuckDB are created again only when their compiled SQL changed
(macros/unchanged_views.sql): a run with nothing new leaves a view as it is, and a view is
created again when its SQL changes (here: a column added to the raw table it reads), on
--full-refresh, and when it is missing. A comment put on the view before a run tells whether
the run left it as it was (a view created again has none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import execute, query, run_dbt, write_raw_tables

pytestmark = pytest.mark.dbt

CAMPAIGNS = """
    select * from (values
        ('c1', 'Spring push', ' Push ', 'Order Completed'),
        ('c2', 'Welcome', 'email', 'signed_up')
    ) as t(campaign_id, campaign_name, channel, goal_event)
"""


def mark(db: Path) -> None:
    execute(db, "comment on view staging.stg_campaigns is 'before this run'")


def kept(db: Path) -> bool:
    frame = query(
        db,
        "select comment from duckdb_views() "
        "where schema_name = 'staging' and view_name = 'stg_campaigns'",
    )
    assert len(frame) == 1
    return frame.iloc[0, 0] == "before this run"


def run_view(db: Path, *flags: str) -> None:
    run_dbt(db, "run", "--quiet", "--select", "stg_campaigns", *flags)


def test_a_view_is_created_again_only_when_its_sql_changed(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    write_raw_tables(db, {"campaigns": CAMPAIGNS})
    run_view(db)
    stored = query(db, "select view_name from intermediate.growthlens_view_state")
    assert stored["view_name"].tolist() == ["staging.stg_campaigns"]

    mark(db)
    run_view(db)
    assert kept(db)

    # A raw column the view read as null before: the compiled SQL changes.
    execute(db, "alter table raw.campaigns add column ended_at timestamp")
    execute(db, "update raw.campaigns set ended_at = timestamp '2026-03-01 00:00:00'")
    run_view(db)
    assert not kept(db)
    ended = query(db, "select campaign_id, ended_at from staging.stg_campaigns order by 1")
    assert ended["ended_at"].astype(str).tolist() == ["2026-03-01"] * 2
    assert query(db, "select count(*) as n from intermediate.growthlens_view_state")["n"][0] == 1

    mark(db)
    run_view(db)
    assert kept(db)
    run_view(db, "--full-refresh")
    assert not kept(db)

    execute(db, "drop view staging.stg_campaigns")
    run_view(db)
    channels = query(db, "select channel from staging.stg_campaigns order by campaign_id")
    assert channels["channel"].tolist() == ["push", "email"]
