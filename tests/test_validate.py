"""`growthlens validate` and marts.data_quality_issues on hand-made rows with exact expected
counts, on clean simulated data (both pass), and on simulated data with each tracker failure
injected (both catch it; the dbt build fails on it; no raw row is lost)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import (
    BASE_EVENT_COLUMNS,
    SIM_DAYS,
    SIM_PERSONS,
    SIM_SEED,
    DbtBuildError,
    query,
    run_dbt,
    values_sql,
    write_raw_tables,
)
from growthlens.cli import main as cli_main
from growthlens.simulate import simulate
from growthlens.simulate._inject import INJECTIONS, TARGETS
from growthlens.validate import validate

EVENT_COLUMNS = {
    **BASE_EVENT_COLUMNS,
    "currency": "varchar",
    "revenue": "double",
    "properties": "varchar",
}
TS, RECEIVED = "2026-01-01 12:00:00", "2026-01-01 12:00:05"


def ev(event_id, name, props, **extra):
    row = {
        "event_id": event_id,
        "event_name": name,
        "event_ts": TS,
        "received_at": RECEIVED,
        "anonymous_id": f"anon-{event_id}",
        "user_id": None,
        "properties": props if props is None or isinstance(props, str) else json.dumps(props),
    }
    row.update(extra)
    return row


SIGNUP = {"signup_type": "organic", "plan": "free"}
PAGE = {"title": "Home"}
ROWS = [
    ev("e01", "signed_up", SIGNUP),  # clean
    ev("e02", "Signed Up", SIGNUP),  # naming convention (warn)
    ev("e03", "signed_up", {"plan": "free"}),  # missing required signup_type (error)
    ev("e04", "signed_up", {"signup_type": 1, "plan": "free"}),  # wrong type (error)
    ev("e05", "signed_up", {"signup_type": "viral", "plan": "free"}),  # outside the set (error)
    ev("e06", "workflow_saved", {"steps": "4", "template": "blank"}),  # integer as text (error)
    ev("e07", "connection_added", {"connector": "Post Gres"}),  # pattern (warn)
    ev("e08", "debug_ping", {}),  # not in the plan (error)
    ev("e09", "signed_up", "not json"),  # malformed: not judged on properties (warn)
    ev("e01", "signed_up", SIGNUP, received_at="2026-01-01 12:00:09"),  # repeated id (warn)
    ev(None, "page_viewed", PAGE),  # no event id (warn)
    ev("e12", "page_viewed", PAGE, anonymous_id="undefined"),  # no identifier (warn)
    ev("e13", "page_viewed", PAGE, event_ts="2026-01-03 12:00:06"),  # 48 h ahead (warn)
    ev("e14", "page_viewed", PAGE, event_ts="1999-12-31 23:00:00"),  # too old (warn)
    ev("e15", "subscription_paid", {"plan": "team"}, currency="XXX", revenue=10.0),  # currency
    ev("e16", "workflow_run", {"status": "success", "rows": 10}),  # clean, optional key present
]

# check -> rows flagged by validate (raw rows; a repeated id counts once)
EXPECTED_VALIDATE = {
    "event_name_convention": 1,
    "missing_property:signed_up.signup_type": 1,
    "wrong_type:signed_up.signup_type": 1,
    "unexpected_value:signed_up.signup_type": 1,
    "wrong_type:workflow_saved.steps": 1,
    "pattern_mismatch:connection_added.connector": 1,
    "unknown_event": 1,
    "malformed_event_properties": 1,
    "rejected_duplicate_event_id": 1,
    "rejected_missing_event_id": 1,
    "rejected_no_identifier": 1,
    "rejected_event_ts_in_future": 1,
    "rejected_event_ts_too_old": 1,
    "unknown_event_currency": 1,
}
ERRORS = {
    "missing_property:signed_up.signup_type",
    "wrong_type:signed_up.signup_type",
    "unexpected_value:signed_up.signup_type",
    "wrong_type:workflow_saved.steps",
    "unknown_event",
}


@pytest.fixture(scope="module")
def handmade(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("validate_handmade")
    db = work / "warehouse.duckdb"
    write_raw_tables(db, {"events": values_sql(EVENT_COLUMNS, ROWS)})
    return db


@pytest.mark.parametrize("batch_rows", [500_000, 2048])
def test_validate_counts_each_hand_made_problem_exactly(handmade, tmp_path, batch_rows):
    # a batch of 2048 rows still sees all 16 rows at once; the multi-batch path is exercised
    # on simulated data below
    report = validate(str(handmade), plan="saas", out=tmp_path, batch_rows=batch_rows)
    flagged = {r.check_name: r.unexpected_count for r in report.results if not r.success}
    assert flagged == EXPECTED_VALIDATE
    assert {r.check_name for r in report.failed("error")} == ERRORS
    assert report.exit_code == 1
    assert report.result("unknown_event").samples == ["e08"]
    assert report.result("wrong_type:workflow_saved.steps").samples == ["e06"]
    assert report.result("rejected_duplicate_event_id").samples == ["e01"]
    # optional tables absent: their checks are listed, clean
    assert report.result("campaign_unknown_channel").success
    document = json.loads((tmp_path / "validation_result.json").read_text())
    assert document["success"] is False
    by_name = {r["expectation_config"]["meta"]["check_name"]: r for r in document["results"]}
    assert by_name["unknown_event"]["expectation_config"]["type"] == "ExpectColumnValuesToBeInSet"
    assert by_name["unknown_event"]["result"]["unexpected_count"] == 1
    assert by_name["unknown_event"]["expectation_config"]["meta"]["severity"] == "error"
    page = (tmp_path / "validation_report.html").read_text()
    assert "Validation FAILED" in page and "wrong_type:workflow_saved.steps" in page


def test_validate_command_exit_codes(handmade, tmp_path, capsys):
    assert (
        cli_main(["validate", "--path", str(handmade), "--plan", "saas", "--out", str(tmp_path)])
        == 1
    )
    text = capsys.readouterr().out
    assert "FAILED" in text and "ERROR unknown_event" in text.replace("  ", " ")
    # only warnings left once the error rows are gone: exit 0
    warn_only = tmp_path / "warn.duckdb"
    keep = [r for r in ROWS if r["event_id"] not in {"e03", "e04", "e05", "e06", "e08"}]
    write_raw_tables(warn_only, {"events": values_sql(EVENT_COLUMNS, keep)})
    assert cli_main(["validate", "--path", str(warn_only), "--plan", "saas"]) == 0
    assert "passed" in capsys.readouterr().out


@pytest.mark.dbt
def test_dbt_mart_counts_the_same_problems_and_fails_the_build(handmade, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    db.write_bytes(handmade.read_bytes())
    with pytest.raises(DbtBuildError, match="assert_no_failed_error_checks"):
        run_dbt(
            db,
            "build",
            "--select",
            "+data_quality_issues assert_no_failed_error_checks",
            vars={"scenario": "saas"},
        )
    mart = query(
        db, "select check_name, severity, n_rows, sample_ids from marts.data_quality_issues"
    )
    flagged = {r.check_name: r.n_rows for r in mart.itertuples() if r.n_rows > 0}
    # staging judges one reason per row, and the plan checks read accepted events only
    assert flagged == {
        "event_name_convention": 1,
        "missing_property:signed_up.signup_type": 1,
        "wrong_type:signed_up.signup_type": 1,
        "unexpected_value:signed_up.signup_type": 1,
        "wrong_type:workflow_saved.steps": 1,
        "pattern_mismatch:connection_added.connector": 1,
        "unknown_event": 1,
        "malformed_event_properties": 1,
        "rejected_duplicate_event_id": 1,
        "rejected_missing_event_id": 1,
        "rejected_no_identifier": 1,
        "rejected_event_ts_in_future": 1,
        "rejected_event_ts_too_old": 1,
        "unknown_event_currency": 1,
    }
    severity = dict(zip(mart.check_name, mart.severity, strict=True))
    assert {c for c in flagged if severity[c] == "error"} == ERRORS
    samples = dict(zip(mart.check_name, mart.sample_ids, strict=True))
    assert samples["unknown_event"] == "e08" and samples["event_name_convention"] == "e02"
    # every planned event has its volume checks; every planned property its type check
    names = set(mart.check_name)
    assert {
        "volume_drop:signed_up",
        "volume_spike:signed_up",
        "wrong_type:workflow_run.rows",
    } <= names
    assert "missing_property:workflow_run.rows" not in names  # optional


# ----------------------------------------------------------------------------- simulated


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """scenario -> (clean path, injected path), same seed and size as the suite's warehouses."""
    out = {}
    for scenario in ("saas", "loyalty"):
        work = tmp_path_factory.mktemp(f"inject_{scenario}")
        paths = []
        for name, inject in (("clean", None), ("injected", ",".join(INJECTIONS))):
            path = work / f"{name}.duckdb"
            simulate(
                str(path),
                persons=SIM_PERSONS,
                days=SIM_DAYS,
                seed=SIM_SEED,
                scenario=scenario,
                inject=inject,
            )
            paths.append(path)
        out[scenario] = tuple(paths)
    return out


def target_checks(scenario: str) -> set[str]:
    t = TARGETS[scenario]
    return {
        "unknown_event",
        f"missing_property:{t['missing_property'][0]}.{t['missing_property'][1]}",
        f"wrong_type:{t['type_drift'][0]}.{t['type_drift'][1]}",
        f"volume_drop:{t['volume_drop'][0]}",
    }


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_clean_simulation_passes_and_each_injection_is_caught(injected, scenario):
    clean, dirty = injected[scenario]
    report = validate(str(clean), plan=scenario)
    assert report.failed("error") == [], report.summary()
    assert report.exit_code == 0
    # the everyday dirt is there, as warnings
    for name in (
        "rejected_duplicate_event_id",
        "malformed_event_properties",
        "event_name_convention",
    ):
        assert not report.result(name).success
    whole = validate(str(dirty), plan=scenario)
    assert whole.n_batches == 1
    flagged = {r.check_name: r.unexpected_count for r in whole.results if not r.success}
    if scenario == "saas":  # several batches give the same answer as one
        small = validate(str(dirty), plan=scenario, batch_rows=16_384)
        assert small.n_batches == 3
        assert {r.check_name: r.unexpected_count for r in small.results if not r.success} == flagged
    assert {r.check_name for r in whole.failed("error")} == target_checks(scenario)
    assert whole.exit_code == 1
    import duckdb

    with duckdb.connect(str(dirty), read_only=True) as con:
        log = {r[0]: r[3] for r in con.execute("select * from truth.injections").fetchall()}
    assert flagged["unknown_event"] == log["unknown_event"]
    t = TARGETS[scenario]
    assert (
        flagged[f"missing_property:{t['missing_property'][0]}.{t['missing_property'][1]}"]
        == log["missing_property"]
    )
    assert flagged[f"wrong_type:{t['type_drift'][0]}.{t['type_drift'][1]}"] == log["type_drift"]
    assert 1 <= flagged[f"volume_drop:{t['volume_drop'][0]}"] <= 3


@pytest.mark.dbt
@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_clean_simulated_build_has_no_error_checks(simulated_warehouse, scenario):
    db = simulated_warehouse(scenario)  # built green by `dbt build` (the error test included)
    mart = query(db, "select check_name, severity, n_rows from marts.data_quality_issues")
    assert mart[(mart.severity == "error") & (mart.n_rows > 0)].empty
    assert mart[mart.check_name == "rejected_duplicate_event_id"].n_rows.iloc[0] > 0
    assert mart[mart.check_name == "unknown_event"].n_rows.iloc[0] == 0


@pytest.mark.dbt
def test_injected_build_fails_on_each_injection_and_loses_no_row(injected, tmp_path):
    _, dirty = injected["saas"]
    db = tmp_path / "warehouse.duckdb"
    db.write_bytes(dirty.read_bytes())
    with pytest.raises(DbtBuildError, match="assert_no_failed_error_checks"):
        run_dbt(db, "build", "--select", "+data_quality_issues+", vars={"scenario": "saas"})
    mart = query(db, "select check_name, severity, n_rows from marts.data_quality_issues")
    failed = set(mart[(mart.severity == "error") & (mart.n_rows > 0)].check_name)
    assert failed == target_checks("saas")
    counts = query(
        db,
        "select (select count(*) from raw.events) as n_raw, (select count(*) from staging.stg_events) as n_accepted, "
        "(select count(*) from staging.rejected_events) as n_rejected",
    ).iloc[0]
    assert counts.n_raw == counts.n_accepted + counts.n_rejected
