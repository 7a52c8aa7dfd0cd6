"""Scenario var sets and --vars precedence, the summary command, and absent optional tables."""

from __future__ import annotations

import pytest

from conftest import DbtBuildError, query, run_dbt, write_raw_tables

EVENTS = """
select * from (values
    ('e1', 'Registered', timestamp '2026-02-01 10:00:00', timestamp '2026-02-01 10:00:01', 'a1', 'u1'),
    ('e2', 'Signed Up', timestamp '2026-02-01 11:00:00', timestamp '2026-02-01 11:00:01', 'a1', 'u1'),
    ('e3', 'Custom Start', timestamp '2026-02-01 12:00:00', timestamp '2026-02-01 12:00:01', 'a1', 'u1')
) as t (event_id, event_name, event_ts, received_at, anonymous_id, user_id)
"""


@pytest.mark.dbt
def test_scenario_sets_defaults_and_vars_win(tmp_path):
    db = tmp_path / "w.duckdb"
    write_raw_tables(db, {"events": EVENTS})
    select = ["--select", "+dim_persons", "--indirect-selection", "cautious", "--quiet"]

    run_dbt(db, "build", *select, vars={"scenario": "saas"}, work_dir=tmp_path)
    assert (
        str(query(db, "select signup_at from marts.dim_persons").signup_at[0])
        == "2026-02-01 11:00:00"
    )

    # Another scenario changes signup_event, a var that changes history: a full refresh
    # (README "Incremental builds"). An incremental run only rebuilds persons with new events.
    run_dbt(db, "build", *select, "--full-refresh", vars={"scenario": "loyalty"}, work_dir=tmp_path)
    assert (
        str(query(db, "select signup_at from marts.dim_persons").signup_at[0])
        == "2026-02-01 10:00:00"
    )

    # A var passed on the command line wins over the scenario's default, and is normalised.
    run_dbt(
        db,
        "build",
        *select,
        "--full-refresh",
        vars={"scenario": "loyalty", "signup_event": "CUSTOM-start"},
        work_dir=tmp_path,
    )
    assert (
        str(query(db, "select signup_at from marts.dim_persons").signup_at[0])
        == "2026-02-01 12:00:00"
    )


@pytest.mark.dbt
def test_unknown_scenario_is_a_clear_error(tmp_path):
    db = tmp_path / "w.duckdb"
    write_raw_tables(db, {"events": EVENTS})
    with pytest.raises(DbtBuildError, match="unknown scenario 'retail'"):
        run_dbt(
            db, "run", "--select", "dim_persons", vars={"scenario": "retail"}, work_dir=tmp_path
        )


@pytest.mark.dbt
def test_summary_prints_headlines(build_warehouse, capsys):
    from growthlens.summary import headline, print_summary

    db = build_warehouse("summary", {"events": EVENTS})
    rows = dict(headline(db))
    assert rows["raw events"] == "3"
    assert rows["accepted events"] == "3"
    assert rows["rejected events"] == "0"
    assert rows["persons"] == "1"
    print_summary(db)
    assert "growthlens summary" in capsys.readouterr().out


def test_summary_explains_missing_warehouse(tmp_path):
    from growthlens.errors import MartsNotBuiltError, WarehouseNotFoundError
    from growthlens.summary import headline

    with pytest.raises(WarehouseNotFoundError, match="make demo"):
        headline(tmp_path / "nope.duckdb")
    db = tmp_path / "raw_only.duckdb"
    write_raw_tables(db, {"events": EVENTS})
    with pytest.raises(MartsNotBuiltError, match="dbt build"):
        headline(db)


REVENUE_EVENTS = """
select * from (values
    ('r1', 'Purchase', timestamp '2026-02-01 10:00:00', timestamp '2026-02-01 10:00:01', 'a1', 'u1', 10.0, 'USD'),
    ('r2', 'Purchase', timestamp '2026-02-01 11:00:00', timestamp '2026-02-01 11:00:01', 'a1', 'u1', 20.0, 'BRL'),
    ('r3', 'Purchase', timestamp '2026-02-01 12:00:00', timestamp '2026-02-01 12:00:01', 'a1', 'u1', 5.0, null)
) as t (event_id, event_name, event_ts, received_at, anonymous_id, user_id, revenue, currency)
"""


@pytest.mark.dbt
def test_reporting_currency_other_than_usd(tmp_path):
    db = tmp_path / "w.duckdb"
    write_raw_tables(db, {"events": REVENUE_EVENTS})
    run_dbt(
        db,
        "build",
        "--select",
        "+stg_events",
        "--indirect-selection",
        "cautious",
        "--quiet",
        vars={"reporting_currency": "eur"},
        work_dir=tmp_path,
    )
    revenue = dict(
        query(db, "select event_id, revenue from staging.stg_events").itertuples(index=False)
    )
    assert revenue == {"r1": 10.0 * 1.0 / 1.08, "r2": 20.0 * 0.18 / 1.08, "r3": 5.0}


@pytest.mark.dbt
def test_reporting_currency_without_rate_fails_clearly(tmp_path):
    db = tmp_path / "w.duckdb"
    write_raw_tables(db, {"events": REVENUE_EVENTS})
    with pytest.raises(DbtBuildError, match="assert_reporting_currency_has_rate"):
        run_dbt(
            db,
            "build",
            "--select",
            "+stg_events",
            "--indirect-selection",
            "cautious",
            "--quiet",
            vars={"reporting_currency": "XYZ"},
            work_dir=tmp_path,
        )


@pytest.mark.dbt
def test_a_var_passed_as_null_switches_a_scenario_default_off(tmp_path):
    db = tmp_path / "w.duckdb"
    events = """
    select * from (values
        ('n1', 'Signed Up', timestamp '2026-02-01 10:00:00', timestamp '2026-02-01 10:00:01', 'a1', 'u1'),
        ('n2', 'Page Viewed', timestamp '2026-02-01 11:00:00', timestamp '2026-02-01 11:00:01', 'a1', 'u1')
    ) as t (event_id, event_name, event_ts, received_at, anonymous_id, user_id)
    """
    write_raw_tables(db, {"events": events})
    select = ["--select", "+dim_persons", "--indirect-selection", "cautious", "--quiet"]

    # The saas scenario lists page_viewed among its passive events ...
    run_dbt(db, "build", *select, vars={"scenario": "saas"}, work_dir=tmp_path)
    assert (
        str(query(db, "select last_active_at from marts.dim_persons").last_active_at[0])
        == "2026-02-01 10:00:00"
    )

    # ... and passive_events: null on the command line switches that off (a var that changes
    # history, so a full refresh).
    run_dbt(
        db,
        "build",
        *select,
        "--full-refresh",
        vars={"scenario": "saas", "passive_events": None},
        work_dir=tmp_path,
    )
    assert (
        str(query(db, "select last_active_at from marts.dim_persons").last_active_at[0])
        == "2026-02-01 11:00:00"
    )
