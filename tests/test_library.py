"""growthlens.connect(): every Warehouse method on the simulated warehouses.

Funnels are checked three ways: the configured funnels against agg_funnel_steps, ad hoc
funnels against a plain-Python reading of metrics.md §4 (every candidate entry walked step by
step), and `by` groups summing to the totals. Retention matrices equal fct_retention cell by
cell for every grain and both modes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import growthlens
from conftest import REPO, query, run_dbt
from growthlens.errors import (
    EmptyResultError,
    GrowthlensError,
    InvalidArgumentError,
    MartsNotBuiltError,
    ReadOnlyError,
    UnknownColumnError,
    UnknownEventError,
    WarehouseBusyError,
    WarehouseNotFoundError,
)

pytestmark = pytest.mark.dbt

INJECTION = "x'; drop table marts.dim_persons; --"


@pytest.fixture(scope="module")
def saas(simulated_warehouse) -> Path:
    return simulated_warehouse("saas")


@pytest.fixture(scope="module")
def wh(saas: Path) -> growthlens.Warehouse:
    return growthlens.connect(saas)


def configured_funnels(path: Path) -> dict[str, tuple[list[dict], float]]:
    steps = query(
        path,
        "select funnel_name, step_index, step_event, step_properties, window_hours"
        " from intermediate.int_funnel_steps_configured order by funnel_name, step_index",
    )
    funnels: dict[str, tuple[list[dict], float]] = {}
    for name, rows in steps.groupby("funnel_name"):
        spec = [
            {
                "event": r.step_event,
                "properties": json.loads(
                    r.step_properties if isinstance(r.step_properties, str) else "{}"
                ),
            }
            for r in rows.itertuples()
        ]
        funnels[name] = (spec, float(rows["window_hours"].iloc[0]))
    return funnels


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_configured_funnels_equal_the_mart(simulated_warehouse, scenario: str) -> None:
    path = simulated_warehouse(scenario)
    wh = growthlens.connect(path)
    mart = query(path, "select * from marts.agg_funnel_steps order by funnel_name, step_index")
    funnels = configured_funnels(path)
    assert funnels, "the scenario configures funnels"
    for name, (steps, window_hours) in funnels.items():
        expected = mart[mart["funnel_name"] == name].drop(columns="funnel_name")
        got = wh.funnel(steps, window=window_hours)
        assert list(got.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(
            got.reset_index(drop=True),
            expected.reset_index(drop=True),
            check_dtype=False,
            rtol=1e-9,
        )


def reference_funnel(
    events: pd.DataFrame, steps: list[str], window_seconds: float
) -> tuple[dict[int, int], dict[int, float]]:
    """metrics.md §4 read literally: every step-1 event is a candidate; each next step is the
    first matching event after the previous one, within the window; furthest, then earliest."""
    per_person: dict[str, list[tuple]] = defaultdict(list)
    for row in events.sort_values(["event_ts", "event_id"]).itertuples():
        per_person[row.person_id].append((row.event_ts, row.event_id, row.event_name))
    reached: dict[int, int] = defaultdict(int)
    gaps: dict[int, list[float]] = defaultdict(list)
    for history in per_person.values():
        best: list | None = None
        for i, (ts0, _, name0) in enumerate(history):
            if name0 != steps[0]:
                continue
            times, pos = [ts0], i
            for step in steps[1:]:
                nxt = next((j for j in range(pos + 1, len(history)) if history[j][2] == step), None)
                if nxt is None or (history[nxt][0] - ts0).total_seconds() > window_seconds:
                    break
                times.append(history[nxt][0])
                pos = nxt
            if best is None or len(times) > len(best):
                best = times
        if best is None:
            continue
        for k in range(1, len(best) + 1):
            reached[k] += 1
            if k > 1:
                gaps[k].append((best[k - 1] - best[k - 2]).total_seconds())
    medians = {k: float(np.median(v)) for k, v in gaps.items()}
    return dict(reached), medians


@pytest.mark.parametrize(
    "steps, window",
    [
        (["workflow_started", "workflow_saved", "workflow_started", "workflow_saved"], "2h"),
        (["signed_up", "teammate_invited", "workflow_saved"], "3d"),
        (["page_viewed", "signed_up", "email_verified", "connection_added"], 0.5),
    ],
)
def test_ad_hoc_funnels_follow_metrics_md(
    wh: growthlens.Warehouse, saas: Path, steps: list[str], window
) -> None:
    events = query(
        saas,
        "select person_id, event_id, event_name, event_ts from marts.fct_events"
        " where event_name in (select unnest(?))",
        [steps],
    )
    window_seconds = growthlens.queries.parse_window(window)
    reached, medians = reference_funnel(events, steps, window_seconds)
    got = wh.funnel(steps, window=window)
    assert list(got["persons"]) == [reached.get(k, 0) for k in range(1, len(steps) + 1)]
    for k in range(2, len(steps) + 1):
        if k in medians:
            assert got["median_seconds_from_previous"].iloc[k - 1] == pytest.approx(
                medians[k], rel=1e-9
            )
    assert got["conversion_from_previous"].iloc[0] == 1.0
    assert got["conversion_from_start"].iloc[-1] == pytest.approx(
        got["persons"].iloc[-1] / got["persons"].iloc[0]
    )


def test_funnel_by_groups_sum_to_total(wh: growthlens.Warehouse) -> None:
    steps = ["signed_up", "email_verified", "workflow_saved"]
    total = wh.funnel(steps, window="7d")
    for by in ["persona", "acquisition_channel", "lifecycle_status"]:
        grouped = wh.funnel(steps, window="7d", by=by)
        assert grouped.columns[0] == by
        sums = grouped.groupby("step_index", dropna=False)["persons"].sum()
        assert list(sums) == list(total["persons"])


def test_funnel_property_steps_and_entry_dates(wh: growthlens.Warehouse, saas: Path) -> None:
    invited = wh.funnel(
        [{"event": "Signed Up", "properties": {"signup_type": "invited"}}, "workflow_saved"],
        window="7d",
    )
    n_invited = query(
        saas,
        "select count(distinct person_id) as n from marts.fct_events where event_name ="
        " 'signed_up' and json_extract_string(properties, '$.signup_type') = 'invited'",
    )["n"][0]
    assert invited["step_name"][0] == "signed_up (signup_type = invited)"
    assert invited["persons"][0] == n_invited
    either = wh.funnel(
        [{"event": "signed_up", "properties": {"signup_type": ["invited", "organic"]}}]
    )
    assert either["persons"][0] >= invited["persons"][0]
    # Entries restricted to [start, end): the persons whose first signup lies in it.
    start, end = "2026-02-01", "2026-02-15"
    dated = wh.funnel(["signed_up", "workflow_saved"], start=start, end=end)
    n_dated = query(
        saas,
        "select count(distinct person_id) as n from marts.fct_events where event_name ="
        " 'signed_up' and event_ts >= ? and event_ts < ?",
        [start, end],
    )["n"][0]
    assert dated["persons"][0] == n_dated
    with pytest.raises(EmptyResultError):
        wh.funnel(["signed_up", "workflow_saved"], start="2030-01-01")


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_retention_equals_the_mart(wh: growthlens.Warehouse, saas: Path, grain: str) -> None:
    mart = query(
        saas, "select * from marts.fct_retention where grain = ? order by cohort_start", [grain]
    )
    for mode, column in [("on", "active_persons"), ("on_or_after", "retained_on_or_after")]:
        expected = mart.pivot(index="cohort_start", columns="period_number", values=column)
        got = wh.retention(grain=grain, mode=mode, values="persons").set_index("cohort_start")
        assert list(got["cohort_size"]) == list(mart.groupby("cohort_start")["cohort_size"].first())
        matrix = got.drop(columns="cohort_size")
        matrix.columns = matrix.columns.astype(int)
        expected.columns = expected.columns.astype(int)
        pd.testing.assert_frame_equal(
            matrix, expected.astype("float64"), check_names=False, check_index_type=False
        )
        rates = wh.retention(grain=grain, mode=mode).set_index("cohort_start")
        assert rates[0].to_numpy() == pytest.approx((matrix[0] / got["cohort_size"]).to_numpy())
    complete = wh.retention(grain=grain, complete_only=True).set_index("cohort_start")
    n_incomplete = int((~mart["is_complete"]).sum())
    assert (
        int(complete.drop(columns="cohort_size").isna().sum().sum())
        == int(matrix.isna().sum().sum()) + n_incomplete
    )


def test_retention_by_sums_to_total(wh: growthlens.Warehouse) -> None:
    total = wh.retention("week", mode="on_or_after", values="persons")
    grouped = wh.retention("week", mode="on_or_after", by="persona", values="persons")
    summed = grouped.drop(columns="persona").groupby("cohort_start").sum(min_count=1)
    pd.testing.assert_frame_equal(summed.reset_index(), total, check_dtype=False, check_names=False)


def test_activation_and_growth_accounting_match_their_marts(
    wh: growthlens.Warehouse, saas: Path
) -> None:
    expected = query(
        saas,
        "select count(*) as signups,"
        " count(*) filter (where is_window_complete) as complete,"
        " count(*) filter (where is_window_complete and is_activated) as activated,"
        " median(hours_to_activation) filter (where is_activated) as median_hours"
        " from marts.fct_activation",
    ).iloc[0]
    got = wh.activation().iloc[0]
    assert got["signups"] == expected["signups"]
    assert got["activated"] == expected["activated"]
    assert got["activation_rate"] == pytest.approx(expected["activated"] / expected["complete"])
    assert got["median_hours_to_activation"] == pytest.approx(expected["median_hours"])
    buckets = got[["n_within_window", "n_within_3_days", "n_later", "n_never"]].sum()
    assert buckets == expected["signups"]
    by_persona = wh.activation(by="persona")
    assert by_persona["signups"].sum() == expected["signups"]

    for grain in ["week", "month"]:
        mart = query(
            saas,
            "select period_start, active, new, retained, resurrected, churned, quick_ratio"
            " from marts.fct_growth_accounting where grain = ? order by period_start",
            [grain],
        )
        pd.testing.assert_frame_equal(wh.growth_accounting(grain), mart, check_dtype=False)
    with pytest.raises(InvalidArgumentError):
        wh.growth_accounting("day")


def test_persons_events_and_sql(wh: growthlens.Warehouse, saas: Path) -> None:
    persons = wh.persons()
    n_persons = query(saas, "select count(*) as n from marts.dim_persons")["n"][0]
    assert len(persons) == n_persons
    assert {"person_id", "persona", "lifecycle_status"} <= set(persons.columns)
    assert set(wh.person_columns()) == set(persons.columns)

    person = persons["person_id"].iloc[0]
    mine = wh.events(person_id=person, limit=None)
    n_mine = query(
        saas, "select count(*) as n from marts.fct_events where person_id = ?", [person]
    )["n"][0]
    assert len(mine) == n_mine and (mine["person_id"] == person).all()
    assert mine["event_ts"].is_monotonic_increasing
    signups = wh.events(event_names="Signed Up", limit=5)
    assert len(signups) == 5 and set(signups["event_name"]) == {"signed_up"}
    assert wh.event_names()[0] == "page_viewed"

    assert wh.sql("select count(*) as n from marts.dim_persons")["n"][0] == n_persons
    assert wh.sql("select ? as x", [INJECTION])["x"][0] == INJECTION
    for statement in [
        "drop table marts.dim_persons",
        "create table marts.x as select 1",
        f"copy marts.dim_persons to '{saas.parent / 'out.csv'}'",
        f"attach '{saas.parent / 'other.duckdb'}' as other",
    ]:
        with pytest.raises(ReadOnlyError):
            wh.sql(statement)
    assert not (saas.parent / "out.csv").exists()
    assert len(wh.persons()) == n_persons


def test_attribution_campaigns_and_ltv(wh: growthlens.Warehouse, saas: Path) -> None:
    tables = set(query(saas, "select table_name from information_schema.tables")["table_name"])
    if not {"agg_channel_performance", "fct_campaign_impact", "fct_ltv"} <= tables:
        pytest.skip("attribution, campaign and LTV marts not built in this tree")
    channels = wh.attribution("linear")
    mart = query(
        saas,
        "select channel, conversions from marts.agg_channel_performance where model = 'linear'",
    )
    assert channels["conversions"].sum() == pytest.approx(mart["conversions"].sum())
    n_conversions = query(saas, "select count(*) as n from marts.fct_conversions")["n"][0]
    every = wh.attribution(None)
    assert set(every["model"]) >= {"first_touch", "last_touch", "linear", "markov"}
    for model, rows in every.groupby("model"):
        assert rows["conversions"].sum() == pytest.approx(n_conversions), model
    by_campaign = wh.attribution("first_touch", by="campaign")
    assert by_campaign["conversions"].sum() == pytest.approx(n_conversions)
    by_persona = wh.attribution("last_touch", by="persona")
    assert by_persona["conversions"].sum() == pytest.approx(n_conversions)

    impact = wh.campaign_impact()
    n_campaigns = query(saas, "select count(*) as n from marts.fct_campaign_impact")["n"][0]
    assert len(impact) == n_campaigns and "absolute_lift" in impact.columns

    ltv = wh.ltv(days=[7, 30])
    expected = query(
        saas,
        "select acquisition_channel, count(*) as persons, avg(revenue_d30) as d30"
        " from marts.fct_ltv group by 1 order by 1",
    )
    assert list(ltv["persons"]) == list(expected["persons"])
    assert ltv["avg_revenue_d30"].to_numpy() == pytest.approx(
        expected["d30"].to_numpy(), nan_ok=True
    )
    assert wh.ltv(by="persona", days=30)["persons"].sum() == expected["persons"].sum()


def test_fit_clv(wh: growthlens.Warehouse, saas: Path) -> None:
    pytest.importorskip("growthlens.clv")
    tables = set(query(saas, "select table_name from information_schema.tables")["table_name"])
    if "fct_rfm" not in tables:
        pytest.skip("fct_rfm not built in this tree")
    model = wh.fit_clv()
    assert {"r", "alpha", "a", "b", "p", "q", "gamma"} <= set(model.params)
    assert len(wh.rfm()) == query(saas, "select count(*) as n from marts.fct_rfm")["n"][0]


def test_typed_errors(wh: growthlens.Warehouse, tmp_path: Path) -> None:
    with pytest.raises(UnknownEventError) as unknown:
        wh.funnel(["signed_up", "workflow_savd"])
    assert "workflow_saved" in unknown.value.suggestions
    assert "workflow_saved" in str(unknown.value)
    with pytest.raises(UnknownColumnError) as column:
        wh.funnel(["signed_up"], by="favourite_colour")
    assert "persona" in str(column.value)
    for bad in [[], "signed_up", [{"properties": {}}], [{"event": "a", "properties": [1]}]]:
        with pytest.raises(InvalidArgumentError):
            wh.funnel(bad)
    for bad_window in ["soon", -1, 0, True]:
        with pytest.raises(InvalidArgumentError):
            wh.funnel(["signed_up"], window=bad_window)
    with pytest.raises(InvalidArgumentError):
        wh.retention(mode="sometimes")
    with pytest.raises(WarehouseNotFoundError):
        growthlens.connect(tmp_path / "missing.duckdb")

    import duckdb

    raw_only = tmp_path / "raw_only.duckdb"
    con = duckdb.connect(str(raw_only))
    con.execute("create schema raw; create table raw.events as select 1 as event_id")
    con.close()
    bare = growthlens.connect(raw_only)
    for call in [bare.persons, lambda: bare.funnel(["a"]), bare.retention, bare.activation]:
        with pytest.raises(MartsNotBuiltError, match="dbt build"):
            call()
    assert issubclass(MartsNotBuiltError, GrowthlensError)


def test_injection_attempts_leave_the_warehouse_intact(
    wh: growthlens.Warehouse, saas: Path
) -> None:
    n_persons = len(wh.persons())
    attempts = [
        lambda: wh.funnel([INJECTION]),
        lambda: wh.funnel(["signed_up", INJECTION]),
        lambda: wh.funnel([{"event": "signed_up", "properties": {"signup_type": INJECTION}}]),
        lambda: wh.funnel([{"event": "signed_up", "properties": {INJECTION: "invited"}}]),
        lambda: wh.funnel([{"event": "signed_up", "properties": {"a\"]'); --": "x"}}]),
        lambda: wh.funnel(["signed_up"], by=INJECTION),
        lambda: wh.retention(by=INJECTION),
        lambda: wh.activation(by=INJECTION),
        lambda: wh.ltv(by=INJECTION),
        lambda: wh.attribution(by=INJECTION),
        lambda: wh.events(person_id=INJECTION),
        lambda: wh.events(event_names=[INJECTION]),
        lambda: wh.funnel(["signed_up"], start=INJECTION),
    ]
    for attempt in attempts:
        try:
            result = attempt()
        except GrowthlensError:
            continue
        assert isinstance(result, pd.DataFrame)
        assert result.empty or "persons" not in result or result["persons"].iloc[0] == 0
    assert len(wh.persons()) == n_persons
    assert query(saas, "select count(*) as n from marts.dim_persons")["n"][0] == n_persons


def test_dbt_build_runs_while_a_notebook_is_open(saas: Path, tmp_path: Path) -> None:
    copy = tmp_path / saas.name  # views name their catalog: the file name must stay
    shutil.copy(saas, copy)
    wh = growthlens.connect(copy)
    before = len(wh.persons())
    run_dbt(copy, "run", "--select", "dim_persons", vars={"scenario": "saas"}, work_dir=tmp_path)
    assert len(wh.persons()) == before

    # While another process writes (holds the lock), a call waits briefly, then says so.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " time.sleep(30)",
            str(copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        busy = growthlens.connect(copy, busy_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(WarehouseBusyError):
            busy.persons()
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    assert len(wh.persons()) == before
