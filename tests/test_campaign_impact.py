"""Campaign impact (metrics.md §7) on a hand-made holdout test with a known lift: treatment and
control arms, the conversion window's open and closed ends, message rows resolved by user_id or
by email, contaminated and unresolved rows, the message funnel, and z, p and the Wald interval
worked out by hand. Also the portable normal p-value against scipy, and on the simulated
warehouses the measured lifts against the simulator's true lifts and CAC / ROAS per channel.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import BASE_EVENT_COLUMNS, BuildFn, query, run_dbt, values_sql

pytestmark = pytest.mark.dbt

SELECT = "+fct_campaign_impact"
VARS = {"conversion_events": ["goal_done"], "funnels": []}

E = datetime(2026, 3, 10, 9, 0, 0)  # assignment time of everybody
SENT = E + timedelta(minutes=1)  # treatment exposure: first `sent`
WINDOW = timedelta(hours=48)


def ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


EVENTS: list[dict[str, Any]] = []
IDENTIFIES: list[dict[str, Any]] = []
MESSAGES: list[dict[str, Any]] = []


def event(user: str, at: datetime, name: str = "page_viewed") -> None:
    EVENTS.append(
        {
            "event_id": f"{user}_{name}_{len(EVENTS)}",
            "event_name": name,
            "event_ts": ts(at),
            "received_at": ts(at + timedelta(minutes=1)),
            "anonymous_id": f"dev_{user}",
            "user_id": user,
        }
    )


def message(
    kind: str,
    at: datetime,
    user: str | None = None,
    email: str | None = None,
    control: bool = False,
    campaign: str = "cmp_hand",
) -> None:
    MESSAGES.append(
        {
            "message_event_id": f"msg_{len(MESSAGES)}",
            "campaign_id": campaign,
            "user_id": user,
            "email": email,
            "event_type": kind,
            "is_control": control,
            "variant": "holdout" if control else "A",
            "ts": ts(at),
        }
    )


# 100 treatment persons t001..t100; t091..t100 are known to the tool by email only (typed with
# different case and spaces), which an identify row ties to their user_id.
for i in range(1, 101):
    user = f"t{i:03d}"
    event(user, E - timedelta(days=10))
    ids: dict[str, Any] = {"user": user}
    if i > 90:
        email = f"{user}@mail.example"
        IDENTIFIES.append(
            {"identify_id": f"id_{user}", "ts": ts(E - timedelta(days=10)),
             "anonymous_id": f"dev_{user}", "user_id": user, "email": email}
        )  # fmt: skip
        ids = {"email": f"  {email.upper()} "}
    message("assigned", E, **ids)
    message("sent", SENT, **ids)
    message("sent", SENT + timedelta(hours=5), **ids)  # a reminder: exposure stays the first
    if i <= 90:
        message("delivered", SENT + timedelta(seconds=5), **ids)
    if i <= 50:
        message("opened", SENT + timedelta(minutes=30), **ids)
    if i <= 20:
        message("clicked", SENT + timedelta(minutes=31), **ids)
        message("clicked", SENT + timedelta(minutes=40), **ids)  # a person counts once
# Treatment conversions: 29 one hour after exposure, and t032 exactly at the window's end
# (included) → 30. Not converted: t031 exactly at exposure (the window is open there), t033 one
# second after the window, t034 only before exposure.
for i in range(1, 30):
    event(f"t{i:03d}", SENT + timedelta(hours=1), "Goal Done")
    event(f"t{i:03d}", SENT + timedelta(hours=2), "Goal Done")  # converted once
event("t031", SENT, "goal_done")
event("t032", SENT + WINDOW, "goal_done")
event("t033", SENT + WINDOW + timedelta(seconds=1), "goal_done")
event("t034", SENT - timedelta(hours=3), "goal_done")

# 50 control persons c001..c050, exposed at their first control assignment.
for i in range(1, 51):
    user = f"c{i:03d}"
    event(user, E - timedelta(days=10))
    message("assigned", E, user=user, control=True)
message("assigned", E + timedelta(days=1), user="c012", control=True)  # a repeat assignment
# Control conversions: 10 two hours after assignment. Not converted: c011 exactly at assignment
# (the window is open there); c012 54 h after its first assignment, inside the window of its
# second assignment only (exposure is the first).
for i in range(1, 11):
    event(f"c{i:03d}", E + timedelta(hours=2), "goal_done")
event("c011", E, "goal_done")
event("c012", E + timedelta(days=1, hours=30), "goal_done")

# Contaminated: in both arms (a sent row and a control row), dropped from both.
event("x001", E - timedelta(days=10))
message("assigned", E, user="x001")
message("sent", SENT, user="x001")
message("assigned", E + timedelta(seconds=30), user="x001", control=True)
event("x001", SENT + timedelta(hours=1), "goal_done")
event("x002", E - timedelta(days=10))
IDENTIFIES.append(
    {"identify_id": "id_x002", "ts": ts(E - timedelta(days=10)), "anonymous_id": "dev_x002",
     "user_id": "x002", "email": "x002@mail.example"}
)  # fmt: skip
message("assigned", E, user="x002", control=True)
message("assigned", E + timedelta(seconds=30), email="x002@mail.example")
message("sent", E + timedelta(seconds=90), email="x002@mail.example")

# Unresolved rows: an unknown user_id, an unknown email, no identifier at all.
message("sent", SENT, user="ghost")
message("sent", SENT, email="nobody@nowhere.example")
message("sent", SENT)

# A campaign without messages, and one with messages but missing from raw.campaigns.
message("sent", SENT, user="t001", campaign="cmp_unknown")

N_T, X_T, N_C, X_C = 100, 30, 50, 10

CAMPAIGNS = """
    select * from (values
        ('cmp_hand', 'Hand test', 'email', 'Goal Done', 48,
            timestamp '2026-03-01', cast(null as timestamp)),
        ('cmp_empty', 'Nobody', 'push', 'goal_done', null,
            timestamp '2026-03-01', timestamp '2026-03-05')
    ) as t(campaign_id, campaign_name, channel, goal_event, conversion_window_hours, started_at,
        ended_at)
"""

MESSAGE_COLUMNS = {
    "message_event_id": "varchar", "campaign_id": "varchar", "user_id": "varchar",
    "email": "varchar", "event_type": "varchar", "is_control": "boolean",
    "variant": "varchar", "ts": "timestamp",
}  # fmt: skip
IDENTIFY_COLUMNS = {
    "identify_id": "varchar", "ts": "timestamp", "anonymous_id": "varchar",
    "user_id": "varchar", "email": "varchar",
}  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(build_warehouse: BuildFn) -> Path:
    return build_warehouse(
        "campaign_impact",
        {
            "events": values_sql(BASE_EVENT_COLUMNS, EVENTS),
            "identifies": values_sql(IDENTIFY_COLUMNS, IDENTIFIES),
            "campaigns": CAMPAIGNS,
            "campaign_messages": values_sql(MESSAGE_COLUMNS, MESSAGES),
        },
        vars=VARS,
        select=SELECT,
    )


@pytest.fixture(scope="module")
def impact(warehouse: Path) -> dict[str, dict[str, Any]]:
    frame = query(warehouse, "select * from marts.fct_campaign_impact")
    return {row["campaign_id"]: row for row in frame.to_dict("records")}


def test_arms_and_conversions(impact: dict) -> None:
    row = impact["cmp_hand"]
    assert (row["n_treatment"], row["n_control"], row["contaminated"]) == (N_T, N_C, 2)
    assert (row["conversions_treatment"], row["conversions_control"]) == (X_T, X_C)
    assert row["n_unresolved"] == 3
    assert row["conversion_window_hours"] == 48 and row["goal_event"] == "goal_done"


def test_message_funnel(impact: dict) -> None:
    row = impact["cmp_hand"]
    funnel = [row[k] for k in ("n_sent", "n_delivered", "n_opened", "n_clicked", "n_converted")]
    assert funnel == [100, 90, 50, 20, 30]


def test_lift_z_p_and_interval_by_hand(impact: dict) -> None:
    row = impact["cmp_hand"]
    # rates 30/100 = 0.3 and 10/50 = 0.2: lift 0.1, relative 0.1 / 0.2 = 0.5
    assert row["rate_treatment"] == pytest.approx(0.3, abs=1e-15)
    assert row["rate_control"] == pytest.approx(0.2, abs=1e-15)
    assert row["absolute_lift"] == pytest.approx(0.1, abs=1e-15)
    assert row["relative_lift"] == pytest.approx(0.5, abs=1e-14)
    # pooled p = 40/150 = 4/15; se = sqrt(4/15 · 11/15 · (1/100 + 1/50)) = sqrt(0.0058666…)
    se_pooled = math.sqrt(4 / 15 * 11 / 15 * (1 / 100 + 1 / 50))
    assert se_pooled == pytest.approx(0.0765941686, abs=1e-10)
    z = 0.1 / se_pooled  # = 1.3055824196…
    assert row["z_score"] == pytest.approx(z, abs=1e-12)
    assert row["z_score"] == pytest.approx(1.3055824196, abs=1e-9)
    # two-sided p = 2·(1 − Φ(1.30558)) = erfc(z/√2) ≈ 0.191690
    assert row["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)
    assert row["p_value"] == pytest.approx(0.19169, abs=1e-5)
    # Wald, unpooled: se = sqrt(0.3·0.7/100 + 0.2·0.8/50) = sqrt(0.0053) = 0.0728011
    se_wald = math.sqrt(0.3 * 0.7 / 100 + 0.2 * 0.8 / 50)
    assert row["ci_low"] == pytest.approx(0.1 - 1.959963984540054 * se_wald, abs=1e-12)
    assert row["ci_high"] == pytest.approx(0.1 + 1.959963984540054 * se_wald, abs=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((-0.042687, 0.242687), abs=1e-6)


def test_campaign_without_messages(impact: dict) -> None:
    assert set(impact) == {"cmp_hand", "cmp_empty"}
    row = impact["cmp_empty"]
    assert row["n_treatment"] == row["n_control"] == row["n_unresolved"] == 0
    assert row["conversion_window_hours"] == 72  # campaign_conversion_window_hours
    for key in ("rate_treatment", "absolute_lift", "z_score", "p_value", "ci_low"):
        assert row[key] is None or row[key] != row[key], key  # null (NaN in pandas)


def test_resolution_by_user_id_then_email(warehouse: Path) -> None:
    resolved = query(
        warehouse,
        """
        select coalesce(resolved_by, 'unresolved') as resolved_by, count(*) as n
        from intermediate.int_campaign_messages_resolved
        where campaign_id = 'cmp_hand'
        group by 1
        """,
    )
    counts = {r.resolved_by: r.n for r in resolved.itertuples()}
    # t091..t100 by email: assigned + 2 sent = 3 rows each; x002's 2 email rows
    assert counts["email_sha256"] == 10 * 3 + 2
    assert counts["unresolved"] == 3


def test_normal_p_value_macro_against_scipy(warehouse: Path, tmp_path: Path) -> None:
    from scipy.stats import norm

    sql = "select z, {{ growthlens.normal_two_sided_p_value('z') }} as p from zs"
    compiled = run_dbt(warehouse, "compile", "--quiet", "--inline", sql, vars=VARS,
                       work_dir=tmp_path).stdout  # fmt: skip
    # every 0.005 up to |z| = 36 (both branches of erfc and the switch at |z|/√2 = 2.2),
    # and a few negative values
    zs = [i / 200 for i in range(0, 7200)] + [1e-9, 1.959963984540054, -1.3, -6.0, -25.0]
    con = duckdb.connect()
    try:
        con.execute("create table zs as select unnest(?) as z", [zs])
        got = dict(con.execute(compiled).fetchall())
    finally:
        con.close()
    for z in zs:
        expected = 2 * norm.sf(abs(z))
        assert got[z] == pytest.approx(expected, rel=1e-12, abs=1e-300), z
    assert got[1.959963984540054] == pytest.approx(0.05, rel=1e-12)


# --- Simulated warehouses: measured lifts around the true lifts, CAC / ROAS per channel --------


def test_simulated_lifts_cover_true_lift(simulated_warehouse) -> None:
    rows = []
    for scenario in ("saas", "loyalty"):
        frame = query(
            simulated_warehouse(scenario),
            """
            select i.campaign_id, i.n_treatment, i.n_control, i.contaminated, i.n_unresolved,
                i.absolute_lift, i.ci_low, i.ci_high, i.p_value, t.true_absolute_lift,
                t.n_treatment as true_n_treatment, t.n_control as true_n_control
            from marts.fct_campaign_impact as i
            inner join truth.campaign_lift as t on i.campaign_id = t.campaign_id
            """,
        )
        rows += frame.to_dict("records")
    assert len(rows) >= 6
    covered = [r["ci_low"] <= r["true_absolute_lift"] <= r["ci_high"] for r in rows]
    print("\ncampaign lift vs truth (95 % Wald interval)")
    for r, ok in zip(rows, covered, strict=True):
        print(
            f"  {r['campaign_id']:<26} n_t={r['n_treatment']:>5} n_c={r['n_control']:>4} "
            f"lift={r['absolute_lift']:+.4f} [{r['ci_low']:+.4f}, {r['ci_high']:+.4f}] "
            f"true={r['true_absolute_lift']:+.4f} p={r['p_value']:.3g} {'in' if ok else 'OUT'}"
        )
    print(f"  coverage: {sum(covered)}/{len(rows)}")
    assert sum(covered) >= 0.6 * len(rows)
    for r in rows:
        # every truly assigned person is seen, except the ~3 % the tool can't resolve
        assert r["n_treatment"] + r["n_control"] <= r["true_n_treatment"] + r["true_n_control"]
        assert r["n_treatment"] >= 0.9 * r["true_n_treatment"]
        assert r["n_unresolved"] > 0 and r["contaminated"] >= 0


def test_simulated_channel_cac_roas(simulated_warehouse) -> None:
    for scenario in ("saas", "loyalty"):
        path = simulated_warehouse(scenario)
        perf = query(
            path,
            "select model, channel, conversions, first_conversions, revenue, spend, cac, roas"
            " from marts.agg_channel_performance order by model, channel",
        )
        truth = query(path, "select channel, spend_usd from truth.channel_effect")
        paid = {r.channel: r.spend_usd for r in truth.itertuples() if r.spend_usd > 0}
        print(f"\n{scenario}: CAC / ROAS per channel (last_non_direct, markov)")
        for r in perf.itertuples():
            if r.model in ("last_non_direct", "markov") and r.spend == r.spend:
                print(
                    f"  {r.model:<16} {r.channel:<14} conversions={r.conversions:8.1f} "
                    f"spend={r.spend:10.2f} cac={r.cac:8.2f} roas={r.roas:6.3f}"
                )
        for model in ("first_touch", "markov"):
            cells = perf[perf["model"] == model].set_index("channel")
            # spend lands on the channels that paid for it, in USD (the reporting currency)
            for channel, usd in paid.items():
                assert cells.loc[channel, "spend"] == pytest.approx(usd, rel=0.02), channel
                assert cells.loc[channel, "cac"] == pytest.approx(
                    cells.loc[channel, "spend"] / cells.loc[channel, "first_conversions"]
                )
            unpaid = cells[~cells.index.isin(list(paid))]
            assert unpaid["spend"].isna().all() and unpaid["cac"].isna().all()
        totals = perf.groupby("model")["conversions"].sum()
        assert totals.max() == pytest.approx(totals.min())
