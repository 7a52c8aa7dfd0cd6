"""Marketing marts stay equal to a full refresh when only message clicks change.

A click can arrive, disappear or reach another person (a new identify links its email) while
no event of that person changes, so the persons of int_persons_affected are not the whole
marketing slice: int_marketing_persons_affected adds the persons whose resolved clicks differ
from the clicks fct_touchpoints holds. Each step below changes only campaign messages or an
identify, builds incrementally, and compares the marketing marts with a --full-refresh build of
a copy of the same raw tables.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import differing_rows, run_dbt

PERSONS = 150
DAYS = 30
SEED = 5
SELECT = ("--select", "+fct_attribution +agg_channel_performance +fct_campaign_impact +dim_persons")
ARGS = ("build", "--quiet", "--exclude", "resource_type:test", "resource_type:unit_test", *SELECT)
COMPARED = (
    "staging.stg_identifies",
    "intermediate.int_campaign_messages_resolved",
    "marts.fct_touchpoints",
    "marts.fct_conversions",
    "marts.fct_attribution",
    "marts.agg_channel_performance",
    "marts.fct_campaign_impact",
    "marts.dim_persons",
    "intermediate.int_person_first_touches",
    "intermediate.int_conversion_paths",
    "intermediate.int_person_transitions_counted",
    "intermediate.int_markov_transitions",
)
INSERT_MESSAGE = (
    "insert into raw.campaign_messages (message_event_id, campaign_id, user_id, email, event_type,"
    " is_control, variant, ts) values (?, ?, ?, ?, 'clicked', false, null, ?)"
)


def _build_and_compare(work: Path, db: Path, step: str) -> Path:
    run_dbt(db, *ARGS, work_dir=work / step)
    full = work / f"full_{step}.duckdb"
    shutil.copy(db, full)
    run_dbt(full, *ARGS, "--full-refresh", work_dir=work / f"full_{step}")
    assert differing_rows(db, full, COMPARED) == {}
    return work / step


def _person(db: Path, user_id: str) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select person_id from marts.person_identities "
            "where identifier_type = 'user_id' and identifier_value = ?",
            [user_id],
        ).fetchone()[0]
    finally:
        con.close()


def _slice(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select person_id from intermediate.int_marketing_persons_affected"
        ).fetchall()
        return {row[0] for row in rows}
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from growthlens.simulate import simulate

    work = tmp_path_factory.mktemp("marketing_incremental")
    db = work / "warehouse.duckdb"
    simulate(out=str(db), persons=PERSONS, days=DAYS, seed=SEED, scenario="saas")
    run_dbt(db, *ARGS, work_dir=work / "first")
    return work, db


def test_click_only_changes_equal_full_refresh(warehouse):
    work, db = warehouse
    con = duckdb.connect(str(db))
    try:
        user_a, user_b = (
            row[0]
            for row in con.execute(
                "select identifier_value from marts.person_identities "
                "where identifier_type = 'user_id' order by identifier_value limit 2"
            ).fetchall()
        )
        campaign = con.execute(
            "select campaign_id from raw.campaigns order by campaign_id limit 1"
        ).fetchone()[0]
        at = con.execute("select max(event_ts) - interval 3 day from raw.events").fetchone()[0]
        removed = con.execute(
            "select message_event_id from raw.campaign_messages where event_type = 'clicked' "
            "order by message_event_id limit 1"
        ).fetchone()
        # A click for a known user, a click by an email nobody has typed yet, one click gone.
        con.execute(INSERT_MESSAGE, ["mk_click_user", campaign, user_a, None, at])
        con.execute(
            INSERT_MESSAGE, ["mk_click_email", campaign, None, " MK.Person@Example.com", at]
        )
        if removed:
            con.execute(
                "delete from raw.campaign_messages where message_event_id = ?", [removed[0]]
            )
    finally:
        con.close()
    step = _build_and_compare(work, db, "clicks")
    assert _person(db, user_a) in _slice(db)
    touchpoints = next((step / "target" / "run").rglob("fct_touchpoints.sql")).read_text()
    assert "delete from" in touchpoints and "int_marketing_persons_affected" in touchpoints

    # An identify links the email to user_b: the email's click now reaches user_b's person.
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "insert into raw.identifies (identify_id, ts, anonymous_id, user_id, email, traits) "
            "values ('mk_identify', ?, null, ?, 'mk.person@example.com', null)",
            [at, user_b],
        )
    finally:
        con.close()
    _build_and_compare(work, db, "identify")
    assert _person(db, user_b) in _slice(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        reached = con.execute(
            "select person_id from marts.fct_touchpoints where touch_id = 'mk_click_email'"
        ).fetchone()
    finally:
        con.close()
    assert reached == (_person(db, user_b),)
