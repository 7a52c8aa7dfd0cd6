"""Activation, milestones, account activation and ordered funnels (metrics.md §3-4) on
hand-made event sequences, plus every analysis of `analyses/` run against the same warehouse.

One warehouse is built for the whole module (as_of = 2026-03-01 00:00). Each user_id below is
its own person; every expected number was worked out by hand from the events listed with it.

Funnels (vars below):
- `tour` (1 h window): re-entry where a later entry goes further, a tie (earliest entry wins),
  window edges (exactly 1 h passes, 1 h + 1 s fails), steps at one timestamp ordered by
  event_id both ways; names written in mixed case (normalised).
- `twice` (the same event twice): a step event serves one step only; window completeness.
- `props`: property filters (string, boolean, numbers), page_viewed in two consecutive steps.
- `install_to_home`: the loyalty question of the analyses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from conftest import BASE_EVENT_COLUMNS, REPO, BuildFn, DbtBuildError, query, run_dbt, values_sql

pytestmark = pytest.mark.dbt

AS_OF = "2026-03-01 00:00:00"

VARS: dict[str, Any] = {
    "signup_event": "Signed Up",
    "activation_event": "workflow_saved",
    "activation_window_hours": 24,
    "milestone_events": [
        "email_verified",
        "connection_added",
        "Teammate Invited",
        "workflow_started",
        "workflow_saved",
    ],
    "persona_trait": "role",
    "as_of": AS_OF,
    "funnels": [
        {
            "name": "tour",
            "window_hours": 1,
            "steps": ["tour_started", "Tour Step Done", "tour-finished"],
        },
        {"name": "twice", "window_hours": 24, "steps": ["lesson_done", "lesson_done"]},
        {
            "name": "props",
            "window_hours": 24,
            "steps": [
                {"event": "page_viewed", "properties": {"path": "/pricing"}},
                {"event": "Page Viewed", "properties": {"is_trial": True}},
                {"event": "subscription_paid", "properties": {"seats": 5, "amount": 1.5}},
            ],
        },
        {
            "name": "install_to_home",
            "window_hours": 24,
            "steps": ["app_installed", "app_opened", "home_screen_viewed"],
        },
    ],
}

EVENT_COLUMNS = {
    **BASE_EVENT_COLUMNS,
    "account_id": "varchar",
    "properties": "varchar",
}

D = datetime(2026, 1, 10)  # funnel day
T = datetime(2026, 1, 20)  # signup time of the activation persons
H = timedelta(hours=1)
M = timedelta(minutes=1)
S = timedelta(seconds=1)


class Events:
    """Collects raw events; ids are `<user>-<nn>` unless given."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.counts: dict[str, int] = {}

    def add(
        self,
        user: str,
        name: str,
        ts: datetime,
        properties: str | None = None,
        event_id: str | None = None,
        account: str | None = None,
    ) -> None:
        n = self.counts.get(user, 0) + 1
        self.counts[user] = n
        self.rows.append(
            {
                "event_id": event_id or f"{user}-{n:02d}",
                "event_name": name,
                "event_ts": ts,
                "received_at": ts,
                "anonymous_id": f"anon-{user}",
                "user_id": user,
                "account_id": account,
                "properties": properties,
            }
        )


def build_events() -> list[dict[str, Any]]:
    e = Events()
    # --- funnel `tour`: tour_started -> tour_step_done -> tour_finished within 1 h
    # re-entry: the first entry reaches step 2 only (finish 2 h 20 after it), the later one all 3
    e.add("r_reentry", "tour_started", D)
    e.add("r_reentry", "tour_step_done", D + 30 * M)
    e.add("r_reentry", "Tour Started", D + 2 * H)
    e.add("r_reentry", "tour_step_done", D + 2 * H + 10 * M)
    e.add("r_reentry", "tour_finished", D + 2 * H + 20 * M)
    # tie: both entries reach step 2; the earliest wins
    e.add("r_tie", "tour_started", D)
    e.add("r_tie", "tour_step_done", D + 10 * M)
    e.add("r_tie", "tour_started", D + 20 * M)
    e.add("r_tie", "tour_step_done", D + 30 * M)
    # window edges: exactly 1 h passes, 1 h + 1 s fails
    e.add("r_edge_ok", "tour_started", D)
    e.add("r_edge_ok", "tour_step_done", D + 30 * M)
    e.add("r_edge_ok", "tour_finished", D + H)
    e.add("r_edge_late", "tour_started", D)
    e.add("r_edge_late", "tour_step_done", D + 30 * M)
    e.add("r_edge_late", "tour_finished", D + H + S)
    # one timestamp: event_id decides the order
    e.add("r_same_fwd", "tour_started", D + 5 * H, event_id="sf-1")
    e.add("r_same_fwd", "tour_step_done", D + 5 * H, event_id="sf-2")
    e.add("r_same_fwd", "tour_finished", D + 5 * H, event_id="sf-3")
    e.add("r_same_rev", "tour_finished", D + 5 * H, event_id="sr-1")
    e.add("r_same_rev", "tour_step_done", D + 5 * H, event_id="sr-2")
    e.add("r_same_rev", "tour_started", D + 5 * H, event_id="sr-3")
    e.add("r_plain", "tour_started", D)
    e.add("r_plain", "tour_step_done", D + 5 * M)
    e.add("r_plain", "tour_finished", D + 25 * M)
    # --- funnel `twice`: lesson_done twice within 24 h
    e.add("t_once", "lesson_done", D)
    e.add("t_same_ts", "lesson_done", D, event_id="ts-a")
    e.add("t_same_ts", "lesson_done", D, event_id="ts-b")
    e.add("t_incomplete", "lesson_done", datetime(2026, 2, 28, 1))
    e.add("t_exact_complete", "lesson_done", datetime(2026, 2, 28))
    # --- funnel `props`
    pricing = '{"path": "/pricing"}'
    trial = '{"is_trial": true, "path": "/app"}'
    both = '{"path": "/pricing", "is_trial": true}'
    e.add("p_ok", "page_viewed", D, pricing)
    e.add("p_ok", "page_viewed", D + 5 * M, trial)
    e.add("p_ok", "subscription_paid", D + 10 * M, '{"seats": 5, "amount": 1.50}')
    # one event matching steps 1 and 2 serves step 1 only
    e.add("p_single", "page_viewed", D, both)
    e.add("p_single", "subscription_paid", D + 10 * M, '{"seats": 5, "amount": 1.5}')
    # two such events serve steps 1 and 2
    e.add("p_two_same", "page_viewed", D, both)
    e.add("p_two_same", "page_viewed", D + M, both)
    e.add(
        "p_two_same", "subscription_paid", D + 2 * M, '{"amount": 1.5, "seats": 5, "extra": null}'
    )
    # boolean false and the string "yes" are not true
    e.add("p_bool", "page_viewed", D, pricing)
    e.add("p_bool", "page_viewed", D + M, '{"is_trial": false}')
    e.add("p_bool", "page_viewed", D + 2 * M, '{"is_trial": "yes"}')
    e.add("p_bool", "subscription_paid", D + 3 * M, '{"seats": 5, "amount": 1.5}')
    # 5.0 is written `5.0`, not `5`
    e.add("p_number_form", "page_viewed", D, pricing)
    e.add("p_number_form", "page_viewed", D + M, trial)
    e.add("p_number_form", "subscription_paid", D + 2 * M, '{"seats": 5.0, "amount": 1.5}')
    # compared as text: the strings "5" and "1.5" read like the configured numbers
    e.add("p_string_number", "page_viewed", D, pricing)
    e.add("p_string_number", "page_viewed", D + M, trial)
    e.add("p_string_number", "subscription_paid", D + 2 * M, '{"seats": "5", "amount": "1.5"}')
    # property values are case-sensitive: no entry
    e.add("p_wrong_case", "page_viewed", D, '{"path": "/Pricing"}')
    # --- funnel `install_to_home`
    e.add("i_full", "app_installed", D)
    e.add("i_full", "app_opened", D + M)
    e.add("i_full", "home_screen_viewed", D + 2 * M)
    e.add("i_opened", "app_installed", D)
    e.add("i_opened", "app_opened", D + M)
    e.add("i_installed", "app_installed", D)
    e.add("i_no_install", "app_opened", D)
    e.add("i_no_install", "home_screen_viewed", D + M)
    # --- activation: signup_event `Signed Up`, activation workflow_saved, window 24 h
    for user, delay in [
        ("a_exact", 24 * H),
        ("a_late", 24 * H + S),
        ("a_3d", 72 * H),
        ("a_later", 72 * H + S),
    ]:
        e.add(user, "Signed Up", T, '{"signup_type": "organic"}')
        e.add(user, "workflow_saved", T + delay)
    e.add("a_never", "signed_up", T, '{"signup_type": "invited"}')
    e.add("a_counts", "workflow_saved", T - H)
    e.add("a_counts", "signed-up", T)
    e.add("a_counts", "workflow_saved", T + H)
    e.add("a_counts", "workflow_saved", T + 2 * H)
    e.add("a_counts", "workflow_saved", T + 7 * 24 * H - S)
    e.add("a_counts", "workflow_saved", T + 7 * 24 * H)
    e.add("a_twice", "signed_up", T)
    e.add("a_twice", "signed_up", T + H)
    e.add("a_twice", "workflow_saved", T + 30 * M)
    # activation at the signup's very timestamp, with a smaller event_id: still "at" signup_at
    e.add("a_same_ts", "workflow_saved", T, event_id="ast-1")
    e.add("a_same_ts", "signed_up", T, event_id="ast-2")
    e.add("a_recent_ok", "signed_up", datetime(2026, 2, 28))
    e.add("a_recent", "signed_up", datetime(2026, 2, 28) + S)
    e.add("a_after_as_of", "signed_up", datetime(2026, 3, 1) + S)
    e.add("n_no_signup", "workflow_saved", T)
    # --- milestones
    e.add("m_flow", "email_verified", T - H)
    e.add("m_flow", "signed_up", T, '{"signup_type": "invited"}')
    e.add("m_flow", "email_verified", T + H)
    e.add("m_flow", "teammate_invited", T + 2 * H)
    e.add("m_flow", "workflow_saved", T + 3 * H)
    e.add("m_flow", "teammate_invited", T + 4 * H)
    e.add("m_flow", "connection_added", T + 5 * H)
    e.add("m_tie_before", "signed_up", T)
    e.add("m_tie_before", "teammate_invited", T + H, event_id="mtb-1")
    e.add("m_tie_before", "workflow_saved", T + H, event_id="mtb-2")
    e.add("m_tie_after", "signed_up", T)
    e.add("m_tie_after", "workflow_saved", T + H, event_id="mta-1")
    e.add("m_tie_after", "teammate_invited", T + H, event_id="mta-2")
    e.add("m_noact", "signed_up", T, '{"signup_type": "organic"}')
    e.add("m_noact", "email_verified", T + H)
    e.add("m_noact", "workflow_started", T + 2 * H)
    # a second email_verified at the same second: the smaller event_id is the first occurrence
    e.add("m_noact", "email_verified", T + H, event_id="m_noact-00")
    e.add("m_unverified", "signed_up", T, '{"signup_type": "organic"}')
    e.add("m_unverified", "connection_added", T + H)
    # --- accounts
    e.add("x_acc", "workflow_saved", T - H)
    e.add("x_acc", "signed_up", T, account="acc_a")
    e.add("y_acc", "signed_up", T + H, account="acc_a")
    e.add("y_acc", "workflow_saved", T + 5 * H)
    e.add("z_acc", "page_viewed", T, account="acc_a")
    e.add("w_acc", "page_viewed", T, account="acc_b")
    return e.rows


IDENTIFIES = [
    ("id-1", "2026-01-20 00:00:00", "m_flow", '{"role": "analyst"}'),
    ("id-2", "2026-01-20 00:00:00", "m_noact", '{"role": "engineer"}'),
    ("id-3", "2026-01-20 00:00:00", "m_unverified", '{"role": "engineer"}'),
]


@pytest.fixture(scope="module")
def warehouse(build_warehouse: BuildFn) -> Path:
    identifies = values_sql(
        {"identify_id": "varchar", "ts": "timestamp", "user_id": "varchar", "traits": "varchar"},
        [
            dict(zip(("identify_id", "ts", "user_id", "traits"), row, strict=True))
            for row in IDENTIFIES
        ],
    )
    return build_warehouse(
        "activation_funnels",
        {"events": values_sql(EVENT_COLUMNS, build_events()), "identifies": identifies},
        vars=VARS,
    )


@pytest.fixture(scope="module")
def person_of(warehouse: Path) -> dict[str, str]:
    frame = query(warehouse, "select primary_user_id, person_id from marts.dim_persons")
    return dict(zip(frame["primary_user_id"], frame["person_id"], strict=True))


def by_user(warehouse: Path, person_of: dict[str, str], sql: str) -> dict[str, dict[str, Any]]:
    """Rows of a query with a person_id column, keyed by user_id."""
    user_of = {person: user for user, person in person_of.items()}
    frame = query(warehouse, sql)
    return {user_of[row["person_id"]]: row for row in frame.to_dict("records")}


def funnel(warehouse: Path, person_of: dict[str, str], name: str) -> dict[str, dict[str, Any]]:
    return by_user(
        warehouse,
        person_of,
        f"select * from marts.fct_funnel_persons where funnel_name = '{name}'",
    )


def steps_of(row: Mapping[str, Any]) -> list[datetime]:
    return [row[f"step_{k}_at"].to_pydatetime() for k in range(1, row["furthest_step"] + 1)]


def test_tour_funnel_entries(warehouse: Path, person_of: dict[str, str]) -> None:
    rows = funnel(warehouse, person_of, "tour")
    assert set(rows) == {
        "r_reentry",
        "r_tie",
        "r_edge_ok",
        "r_edge_late",
        "r_same_fwd",
        "r_same_rev",
        "r_plain",
    }
    expected = {
        # the later entry goes further
        "r_reentry": [D + 2 * H, D + 2 * H + 10 * M, D + 2 * H + 20 * M],
        # tie at step 2: the earliest entry and its own step 2
        "r_tie": [D, D + 10 * M],
        "r_edge_ok": [D, D + 30 * M, D + H],
        "r_edge_late": [D, D + 30 * M],
        "r_same_fwd": [D + 5 * H] * 3,
        "r_same_rev": [D + 5 * H],
        "r_plain": [D, D + 5 * M, D + 25 * M],
    }
    for user, times in expected.items():
        row = rows[user]
        assert row["furthest_step"] == len(times), user
        assert steps_of(row) == times, user
        assert row["entered_at"].to_pydatetime() == times[0], user
        assert all(pd.isna(row[f"step_{k}_at"]) for k in range(len(times) + 1, 11)), user
        assert row["n_steps"] == 3
        assert row["is_completed"] == (len(times) == 3)
        assert row["is_window_complete"]
    assert rows["r_reentry"]["entry_event_id"] == "r_reentry-03"
    assert rows["r_tie"]["entry_event_id"] == "r_tie-01"
    assert rows["r_same_fwd"]["entry_event_id"] == "sf-1"


def test_twice_funnel_uses_each_event_once(warehouse: Path, person_of: dict[str, str]) -> None:
    rows = funnel(warehouse, person_of, "twice")
    assert rows["t_once"]["furthest_step"] == 1
    assert rows["t_same_ts"]["furthest_step"] == 2
    assert rows["t_same_ts"]["entry_event_id"] == "ts-a"
    assert steps_of(rows["t_same_ts"]) == [D, D]
    # lesson_done never happens to the activation persons
    assert "a_exact" not in rows
    # window completeness against as_of = 2026-03-01 00:00: 24 h exactly is complete
    assert rows["t_once"]["is_window_complete"]
    assert rows["t_exact_complete"]["is_window_complete"]
    assert not rows["t_incomplete"]["is_window_complete"]


def test_property_filtered_steps(warehouse: Path, person_of: dict[str, str]) -> None:
    rows = funnel(warehouse, person_of, "props")
    assert {user: row["furthest_step"] for user, row in rows.items()} == {
        "p_ok": 3,  # string, boolean, 1.50 in the data matches 1.5 in the var
        "p_single": 1,  # one page view can't serve steps 1 and 2
        "p_two_same": 3,  # page_viewed in two consecutive steps, two events
        "p_bool": 1,  # false and "yes" are not true
        "p_number_form": 2,  # 5.0 is not written 5
        "p_string_number": 3,  # compared as text
    }
    assert steps_of(rows["p_two_same"]) == [D, D + M, D + 2 * M]


def test_funnel_step_table(warehouse: Path) -> None:
    frame = query(
        warehouse,
        """
        select funnel_name, step_index, step_name, persons, conversion_from_start,
            conversion_from_previous, median_seconds_from_previous
        from marts.agg_funnel_steps
        order by funnel_name, step_index
        """,
    )
    got = {(r["funnel_name"], r["step_index"]): r for r in frame.to_dict("records")}
    assert len(got) == 3 + 2 + 3 + 3
    tour = [got[("tour", k)] for k in (1, 2, 3)]
    assert [r["step_name"] for r in tour] == ["tour_started", "tour_step_done", "tour_finished"]
    assert [r["persons"] for r in tour] == [7, 6, 4]
    assert [r["conversion_from_start"] for r in tour] == pytest.approx([1.0, 6 / 7, 4 / 7])
    assert [r["conversion_from_previous"] for r in tour] == pytest.approx([1.0, 6 / 7, 4 / 6])
    # step 2 gaps 0, 300, 600, 600, 1800, 1800 s; step 3 gaps 0, 600, 1200, 1800 s (interpolated)
    assert pd.isna(tour[0]["median_seconds_from_previous"])
    assert tour[1]["median_seconds_from_previous"] == pytest.approx(600.0)
    assert tour[2]["median_seconds_from_previous"] == pytest.approx(900.0)

    props = [got[("props", k)] for k in (1, 2, 3)]
    assert [r["step_name"] for r in props] == [
        "page_viewed (path = /pricing)",
        "page_viewed (is_trial = true)",
        "subscription_paid (seats = 5, amount = 1.5)",
    ]
    assert [r["persons"] for r in props] == [6, 4, 3]
    assert [r["conversion_from_previous"] for r in props] == pytest.approx([1.0, 4 / 6, 3 / 4])
    # props step 2 gaps: 300, 60, 60, 60 s -> 60; step 3: 300 (p_ok), 60, 60 -> 60
    assert props[1]["median_seconds_from_previous"] == pytest.approx(60.0)
    assert props[2]["median_seconds_from_previous"] == pytest.approx(60.0)

    twice = [got[("twice", k)] for k in (1, 2)]
    assert [r["persons"] for r in twice] == [4, 1]
    assert twice[1]["median_seconds_from_previous"] == 0.0

    # invariant: persons never grow along the steps of a funnel
    for name, steps in frame.groupby("funnel_name"):
        persons = steps.sort_values("step_index")["persons"].tolist()
        assert persons == sorted(persons, reverse=True), name


def test_activation(warehouse: Path, person_of: dict[str, str]) -> None:
    rows = by_user(warehouse, person_of, "select * from marts.fct_activation")
    signed_up = {
        "a_exact",
        "a_late",
        "a_3d",
        "a_later",
        "a_never",
        "a_counts",
        "a_twice",
        "a_same_ts",
        "a_recent_ok",
        "a_recent",
        "m_flow",
        "m_tie_before",
        "m_tie_after",
        "m_noact",
        "m_unverified",
        "x_acc",
        "y_acc",
    }
    # persons who never signed up (and a signup after as_of) are absent
    assert set(rows) == signed_up

    def check(user: str, hours: float | None, bucket: str, activated: bool) -> None:
        row = rows[user]
        if hours is None:
            assert pd.isna(row["hours_to_activation"]), user
            assert pd.isna(row["first_activation_at"]), user
        else:
            assert row["hours_to_activation"] == pytest.approx(hours, abs=1e-9), user
        assert row["time_to_value_bucket"] == bucket, user
        assert row["is_activated"] == activated, user

    check("a_exact", 24.0, "within_window", True)  # exactly at the window
    check("a_late", 24 + 1 / 3600, "within_3_days", False)
    check("a_3d", 72.0, "within_3_days", False)
    check("a_later", 72 + 1 / 3600, "later", False)
    check("a_never", None, "never", False)
    check("a_counts", 1.0, "within_window", True)
    check("a_twice", 0.5, "within_window", True)
    check("a_same_ts", 0.0, "within_window", True)
    check("x_acc", None, "never", False)  # its only activation came before its signup

    counts = rows["a_counts"]
    assert counts["signup_at"].to_pydatetime() == T
    assert counts["n_activation_events_in_window"] == 2
    assert counts["n_activation_events_7d"] == 3  # T + 7 d itself is outside [T, T + 7 d)
    assert counts["n_activation_events"] == 4
    assert rows["a_twice"]["signup_at"].to_pydatetime() == T
    assert rows["a_exact"]["n_activation_events_in_window"] == 1
    assert rows["a_never"]["n_activation_events_7d"] == 0

    assert rows["a_exact"]["is_window_complete"]
    assert rows["a_recent_ok"]["is_window_complete"]  # signup exactly 24 h before as_of
    assert not rows["a_recent"]["is_window_complete"]

    assert rows["m_flow"]["persona"] == "analyst"
    assert rows["m_flow"]["signup_properties"] == '{"signup_type": "invited"}'
    assert rows["a_same_ts"]["signup_event_id"] == "ast-2"
    assert rows["a_same_ts"]["first_activation_event_id"] == "ast-1"


def test_milestones(warehouse: Path, person_of: dict[str, str]) -> None:
    user_of = {person: user for user, person in person_of.items()}
    frame = query(warehouse, "select * from marts.fct_milestones")
    got = {
        (user_of[r["person_id"]], r["milestone"]): (
            r["first_reached_at"].to_pydatetime(),
            r["hours_since_signup"],
            r["reached_before_activation"],
        )
        for r in frame.to_dict("records")
    }
    flow = {key[1]: value for key, value in got.items() if key[0] == "m_flow"}
    assert flow == {
        "email_verified": (T + H, 1.0, True),  # the one before signup doesn't count
        "teammate_invited": (T + 2 * H, 2.0, True),
        "workflow_saved": (T + 3 * H, 3.0, False),  # the activation is not before itself
        "connection_added": (T + 5 * H, 5.0, False),
    }
    # same timestamp as the activation: event_id decides
    assert got[("m_tie_before", "teammate_invited")][2] is True
    assert got[("m_tie_after", "teammate_invited")][2] is False
    # no activation yet: before
    assert got[("m_noact", "email_verified")][2] is True
    first_ids = {
        (user_of[r["person_id"]], r["milestone"]): r["milestone_event_id"]
        for r in frame.to_dict("records")
    }
    assert first_ids[("m_noact", "email_verified")] == "m_noact-00"
    assert first_ids[("m_flow", "teammate_invited")] == "m_flow-04"
    assert got[("m_noact", "workflow_started")][2] is True
    # persons without a signup have no milestones
    assert not {user for user, _ in got} & {"n_no_signup", "r_reentry"}
    orders = dict(zip(frame["milestone"], frame["milestone_order"], strict=False))
    assert orders["teammate_invited"] == 3


def test_account_activation(warehouse: Path) -> None:
    frame = query(warehouse, "select * from marts.fct_account_activation order by account_id")
    rows = {r["account_id"]: r for r in frame.to_dict("records")}
    assert set(rows) == {"acc_a", "acc_b"}
    a = rows["acc_a"]
    assert (a["n_members"], a["n_signed_up_members"], a["n_activating_members"]) == (3, 2, 1)
    assert a["first_signup_at"].to_pydatetime() == T
    # x_acc's activation came before the account's first signup; y_acc's (no account_id) counts
    assert a["first_activation_at"].to_pydatetime() == T + 5 * H
    assert a["hours_to_activation"] == pytest.approx(5.0)
    assert a["is_activated"] and a["is_window_complete"]
    b = rows["acc_b"]
    assert (b["n_members"], b["n_signed_up_members"]) == (1, 0)
    assert pd.isna(b["first_signup_at"]) and pd.isna(b["first_activation_at"])
    assert not b["is_activated"] and not b["is_window_complete"]


@pytest.fixture(scope="module")
def analyses(warehouse: Path) -> dict[str, pd.DataFrame]:
    """Compile analyses/ with the module's vars and run each compiled select."""
    work = warehouse.parent / "analyses"
    run_dbt(warehouse, "compile", "--quiet", "--select", "path:analyses", vars=VARS, work_dir=work)
    compiled = work / "target" / "compiled" / "growthlens" / "analyses"
    results = {
        path.stem: query(warehouse, path.read_text()) for path in sorted(compiled.glob("*.sql"))
    }
    expected = {path.stem for path in (REPO / "analyses").glob("*.sql")}
    assert set(results) == expected
    return results


def segment(frame: pd.DataFrame, segment_type: str, value: str) -> dict[str, Any]:
    rows = frame[(frame["segment_type"] == segment_type) & (frame["segment"] == value)]
    assert len(rows) == 1, (segment_type, value)
    return rows.iloc[0].to_dict()


def test_analyses_answer_the_seed_questions(analyses: dict[str, pd.DataFrame]) -> None:
    # 16 sign-ups with a complete window (a_recent is 1 s short): within 24 h a_exact,
    # a_counts, a_twice, a_same_ts, m_flow, m_tie_before, m_tie_after, y_acc; a_counts twice
    within = segment(analyses["activation_within_window"], "all", "all")
    counts = [within[k] for k in ("signups", "activated_in_window", "two_or_more_in_window")]
    assert counts == [16, 8, 1]
    invited = segment(analyses["activation_within_window"], "signup_type", "invited")
    assert (invited["signups"], invited["activated_in_window"]) == (2, 1)

    invite = segment(analyses["invited_teammate_before_first_workflow"], "all", "all")
    assert (invite["signups"], invite["invited_before_first_workflow"]) == (17, 2)
    assert invite["activated_after_inviting"] == 2

    buckets = segment(analyses["time_to_value_buckets"], "all", "all")
    bucket_names = ("within_window", "within_3_days", "later", "never")
    assert [buckets[k] for k in bucket_names] == [8, 2, 1, 6]

    unverified = segment(analyses["never_verified_but_connected_or_invited"], "all", "all")
    assert unverified["unverified_but_connected_or_invited"] == 3  # m_unverified, m_tie_*
    engineers = segment(analyses["never_verified_but_connected_or_invited"], "persona", "engineer")
    assert (engineers["signups"], engineers["unverified_but_connected_or_invited"]) == (2, 1)

    started = segment(analyses["started_never_saved"], "all", "all")
    assert (started["started"], started["started_never_saved"]) == (1, 1)

    home = analyses["install_to_home_dropoff"]
    assert home["persons"].tolist() == [3, 2, 1]
    assert home["dropped_before_step"].tolist()[1:] == [1, 1]


def test_funnel_var_errors_are_explained(warehouse: Path) -> None:
    bad = [
        ({"name": "long", "window_hours": 1, "steps": [f"e{i}" for i in range(11)]}, "at most 10")
    ]
    for spec, message in bad:
        with pytest.raises(DbtBuildError, match=message):
            run_dbt(
                warehouse,
                "compile",
                "--quiet",
                "--select",
                "int_funnel_steps_configured",
                vars={**VARS, "funnels": [spec]},
                work_dir=warehouse.parent / "bad_vars",
            )


# --- Simulated data: the marts against a plain-Python reading of metrics.md §3-4, row for row.


def _normalise(name: str) -> str:
    return re.sub("[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def _scenario_settings(scenario: str) -> dict[str, Any]:
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]
    return {**project["growthlens_defaults"], **project["growthlens_scenarios"][scenario]}


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _step_matches(step: Any, name: str, properties: str | None) -> bool:
    if isinstance(step, str):
        return name == _normalise(step)
    if name != _normalise(step["event"]):
        return False
    try:
        data = json.loads(properties) if isinstance(properties, str) else {}
    except ValueError:
        data = {}
    return all(
        _json_text(data.get(key)) == _json_text(value)
        for key, value in (step.get("properties") or {}).items()
    )


def reference_funnel(events: pd.DataFrame, spec: Mapping[str, Any]) -> dict[str, tuple]:
    """person_id -> (entry_event_id, furthest_step, step times), per metrics.md §4."""
    steps, window = spec["steps"], timedelta(hours=spec["window_hours"])
    out: dict[str, tuple] = {}
    names = {_normalise(s if isinstance(s, str) else s["event"]) for s in steps}
    relevant = events[events.event_name.isin(names)].sort_values(
        ["person_id", "event_ts", "event_id"]
    )
    by_person: dict[str, list[Any]] = {}
    for r in relevant.itertuples(index=False):
        by_person.setdefault(r.person_id, []).append(r)
    for person, rows in by_person.items():
        hits = [[_step_matches(s, r.event_name, r.properties) for s in steps] for r in rows]
        # following[i][k]: the first event after position i matching step k (None if none)
        following: list[list[int | None]] = [[None] * len(steps) for _ in rows]
        upcoming: list[int | None] = [None] * len(steps)
        for i in range(len(rows) - 1, -1, -1):
            following[i] = list(upcoming)
            for k in range(len(steps)):
                if hits[i][k]:
                    upcoming[k] = i
        best: tuple | None = None
        for i, row in enumerate(rows):
            if not hits[i][0]:
                continue
            times, position = [row.event_ts], i
            for k in range(1, len(steps)):
                j = following[position][k]
                if j is None or rows[j].event_ts - row.event_ts > window:
                    break
                times.append(rows[j].event_ts)
                position = j
            if best is None or len(times) > best[1]:
                best = (row.event_id, len(times), times)
        if best is not None:
            out[person] = best
    return out


def reference_activation(events: pd.DataFrame, settings: Mapping[str, Any]) -> pd.DataFrame:
    signup, activation = (
        _normalise(settings["signup_event"]),
        _normalise(settings["activation_event"]),
    )
    window = timedelta(hours=settings["activation_window_hours"])
    data_end = events["event_ts"].max()
    signups = (
        events[events.event_name == signup]
        .groupby("person_id")["event_ts"]
        .min()
        .rename("signup_at")
    )
    acts = events[events.event_name == activation][["person_id", "event_ts"]].merge(
        signups, left_on="person_id", right_index=True
    )
    acts = acts[acts.event_ts >= acts.signup_at]
    first = acts.groupby("person_id")["event_ts"].min().rename("first_activation_at")
    week = acts[acts.event_ts < acts.signup_at + timedelta(days=7)]
    n_7d = week.groupby("person_id").size().rename("n_activation_events_7d")
    frame = pd.concat([signups, first, n_7d], axis=1).reset_index(names="person_id")
    frame["n_activation_events_7d"] = frame["n_activation_events_7d"].fillna(0).astype(int)
    elapsed = frame.first_activation_at - frame.signup_at
    frame["is_activated"] = (elapsed <= window).fillna(False).astype(bool)
    frame["is_window_complete"] = frame.signup_at + window <= data_end
    frame["time_to_value_bucket"] = [
        "never" if pd.isna(e) else "within_window" if e <= window
        else "within_3_days" if e <= timedelta(hours=72) else "later"
        for e in elapsed
    ]  # fmt: skip
    return frame.set_index("person_id").sort_index()


@pytest.fixture(scope="module", params=["saas", "loyalty"])
def simulated(request: pytest.FixtureRequest, simulated_warehouse: Any) -> tuple[str, Path]:
    return request.param, simulated_warehouse(request.param)


def test_simulated_funnels_match_the_reference(simulated: tuple[str, Path]) -> None:
    scenario, db = simulated
    settings = _scenario_settings(scenario)
    events = query(
        db, "select person_id, event_id, event_name, properties, event_ts from marts.fct_events"
    )
    marts = query(db, "select * from marts.fct_funnel_persons")
    assert settings["funnels"], scenario
    for spec in settings["funnels"]:
        expected = reference_funnel(events, spec)
        got = marts[marts.funnel_name == spec["name"]]
        assert len(expected) > 0, spec["name"]
        assert set(got.person_id) == set(expected), spec["name"]
        for row in got.itertuples(index=False):
            entry, furthest, times = expected[row.person_id]
            reached = [getattr(row, f"step_{k}_at") for k in range(1, furthest + 1)]
            assert (row.entry_event_id, row.furthest_step, reached) == (entry, furthest, times)
    steps = query(db, "select * from marts.agg_funnel_steps order by funnel_name, step_index")
    for name, group in steps.groupby("funnel_name"):
        persons = group["persons"].tolist()
        assert persons == sorted(persons, reverse=True), name
        assert persons[0] == (marts.funnel_name == name).sum()


def test_simulated_activation_matches_the_reference(simulated: tuple[str, Path]) -> None:
    scenario, db = simulated
    settings = _scenario_settings(scenario)
    events = query(db, "select person_id, event_id, event_name, event_ts from marts.fct_events")
    expected = reference_activation(events, settings)
    got = query(db, "select * from marts.fct_activation").set_index("person_id").sort_index()
    assert len(got) > 0
    assert got.index.tolist() == expected.index.tolist()
    for column in [
        "signup_at",
        "first_activation_at",
        "n_activation_events_7d",
        "is_activated",
        "is_window_complete",
        "time_to_value_bucket",
    ]:
        pd.testing.assert_series_equal(
            got[column], expected[column], check_dtype=False, check_names=False, obj=column
        )
    # milestones: first occurrence at or after signup; before the activation in event order
    milestones = query(db, "select * from marts.fct_milestones")
    names = [_normalise(m) for m in settings["milestone_events"]]
    mine = events[events.event_name.isin(names)].merge(
        query(
            db,
            "select person_id, signup_at, first_activation_at, first_activation_event_id from marts.fct_activation",
        ),
        on="person_id",
    )
    mine = mine[mine.event_ts >= mine.signup_at].sort_values(["event_ts", "event_id"])
    first = mine.groupby(["person_id", "event_name"], as_index=False).first()
    before = first.first_activation_at.isna() | (
        (first.event_ts < first.first_activation_at)
        | (
            (first.event_ts == first.first_activation_at)
            & (first.event_id < first.first_activation_event_id)
        )
    )
    expected_milestones = {
        (r.person_id, r.event_name): (r.event_ts, b)
        for r, b in zip(first.itertuples(index=False), before, strict=True)
    }
    got_milestones = {
        (r.person_id, r.milestone): (r.first_reached_at, r.reached_before_activation)
        for r in milestones.itertuples(index=False)
    }
    assert got_milestones == expected_milestones


def test_simulated_analyses_run(simulated: tuple[str, Path]) -> None:
    scenario, db = simulated
    work = db.parent / "analyses"
    run_dbt(
        db,
        "compile",
        "--quiet",
        "--select",
        "path:analyses",
        vars={"scenario": scenario},
        work_dir=work,
    )
    compiled = work / "target" / "compiled" / "growthlens" / "analyses"
    results = {path.stem: query(db, path.read_text()) for path in sorted(compiled.glob("*.sql"))}
    assert set(results) == {path.stem for path in (REPO / "analyses").glob("*.sql")}
    if scenario == "saas":
        overall = segment(results["activation_within_window"], "all", "all")
        assert overall["signups"] > 0
        assert 0 < overall["activated_in_window"] <= overall["signups"]
        assert set(results["activation_within_window"].segment_type) == {
            "all",
            "persona",
            "signup_type",
        }
    else:
        assert results["install_to_home_dropoff"]["step_index"].tolist() == [1, 2, 3]
