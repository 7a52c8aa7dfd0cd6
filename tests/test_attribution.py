"""Attribution (metrics.md §2, §6) on hand-made paths: every rule-based model on paths of 1, 2,
3 and 5 touches, an all-direct path, touches exactly at and just past the lookback edge,
time-decay weights at 0, 1 and 2 half-lives, the converting-session fallback, a message click
tied with a session, repeat conversions, spend by channel with CAC / ROAS; and a 3-channel Markov
chain solved by hand (a repeated channel, an A→B→A cycle, non-converting paths).

Every case is its own person (user_id); the conversion event is `purchase` (revenue 100) at T
unless said otherwise, and each touch is a one-event session at T − Δ days.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import BASE_EVENT_COLUMNS, BuildFn, query, run_dbt, values_sql

pytestmark = pytest.mark.dbt

SELECT = "+fct_attribution +agg_channel_performance +dim_persons +int_markov_removal_effects"

LOOKBACK_DAYS = 30
HALF_LIFE_DAYS = 7
VARS = {
    "conversion_events": ["Purchase"],
    "attribution_lookback_days": LOOKBACK_DAYS,
    "time_decay_half_life_days": HALF_LIFE_DAYS,
    "site_domains": ["shop.example"],
    "session_timeout_minutes": 30,
    "reporting_timezone": "UTC",
    "funnels": [],
}

EVENT_COLUMNS = {
    **BASE_EVENT_COLUMNS,
    "utm_source": "varchar",
    "utm_medium": "varchar",
    "utm_campaign": "varchar",
    "referrer": "varchar",
    "revenue": "double",
    "currency": "varchar",
}

T = datetime(2026, 3, 20, 12, 0, 0)

# Campaign fields that make each channel under the default rules.
CHANNEL_FIELDS: dict[str, dict[str, str]] = {
    "paid_search": {"utm_source": "google", "utm_medium": "cpc"},
    "email": {"utm_source": "newsletter", "utm_medium": "email"},
    "paid_social": {"utm_source": "facebook", "utm_medium": "paid_social"},
    "organic_social": {"utm_source": "linkedin", "utm_medium": "social"},
    "affiliate": {"utm_source": "partner", "utm_medium": "affiliate"},
    "display": {"utm_source": "dsp", "utm_medium": "display"},
    "influencer": {"utm_source": "creator1", "utm_medium": "influencer"},
    "referral": {"referrer": "https://blog.other.example/post"},
    "direct": {},
}


def ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


class Events:
    """Raw events of the hand-made cases."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, event_id: str, user: str, at: datetime, name: str, channel: str, **extra: Any):
        self.rows.append(
            {
                "event_id": event_id,
                "event_name": name,
                "event_ts": ts(at),
                "received_at": ts(at + timedelta(minutes=1)),
                "anonymous_id": f"dev_{user}",
                "user_id": user,
                **CHANNEL_FIELDS[channel],
                **extra,
            }
        )

    def path(self, user: str, touches: list[tuple[float, str]], conversion_at: datetime = T):
        """One-event sessions at conversion_at − Δ days; the Δ = 0 touch is the conversion."""
        for i, (delta, channel) in enumerate(touches):
            at = conversion_at - timedelta(days=delta)
            if delta == 0:
                self.add(f"{user}_conv", user, at, "Purchase", channel, revenue=100.0)
            else:
                self.add(f"{user}_t{i}", user, at, "page_viewed", channel)


def decay(deltas: list[float]) -> list[float]:
    """Time-decay credits: 2^(−Δ/H) normalised."""
    weights = [2 ** (-d / HALF_LIFE_DAYS) for d in deltas]
    return [w / sum(weights) for w in weights]


# expected[user][model] = {Δ days of the credited touch: credit}
EXPECTED: dict[str, dict[str, dict[float, float]]] = {}
EVENTS = Events()

# 1 touch: everything to it.
EVENTS.path("one", [(0, "paid_search")])
EXPECTED["one"] = {m: {0: 1.0} for m in ("first_touch", "last_touch", "last_non_direct",
                                         "linear", "time_decay", "position_based")}  # fmt: skip

# 2 touches.
EVENTS.path("two", [(3, "email"), (0, "paid_social")])
EXPECTED["two"] = {
    "first_touch": {3: 1.0},
    "last_touch": {0: 1.0},
    "last_non_direct": {0: 1.0},
    "linear": {3: 0.5, 0: 0.5},
    # 2^(−3/7) against 2^0
    "time_decay": dict(zip([3, 0], decay([3, 0]), strict=True)),
    "position_based": {3: 0.5, 0: 0.5},
}

# 3 touches at 2, 1 and 0 half-lives: weights 1/4, 1/2, 1 → 1/7, 2/7, 4/7.
EVENTS.path("three", [(14, "paid_search"), (7, "organic_social"), (0, "email")])
EXPECTED["three"] = {
    "first_touch": {14: 1.0},
    "last_touch": {0: 1.0},
    "last_non_direct": {0: 1.0},
    "linear": {14: 1 / 3, 7: 1 / 3, 0: 1 / 3},
    "time_decay": {14: 1 / 7, 7: 2 / 7, 0: 4 / 7},
    "position_based": {14: 0.4, 7: 0.2, 0: 0.4},
}

# 5 touches, all non-direct.
FIVE = [(12, "paid_search"), (9, "email"), (6, "affiliate"), (3, "display"), (0, "influencer")]
EVENTS.path("five", FIVE)
EXPECTED["five"] = {
    "first_touch": {12: 1.0},
    "last_touch": {0: 1.0},
    "last_non_direct": {0: 1.0},
    "linear": {d: 0.2 for d, _ in FIVE},
    "time_decay": dict(zip([d for d, _ in FIVE], decay([d for d, _ in FIVE]), strict=True)),
    # 0.4 first, 0.4 last, 0.2 / 3 to each of the 3 middle touches
    "position_based": {12: 0.4, 9: 0.2 / 3, 6: 0.2 / 3, 3: 0.2 / 3, 0: 0.4},
}

# 5 touches, 3 of them direct: the spreading models use the 2 non-direct ones only.
EVENTS.path(
    "mixed",
    [(20, "paid_search"), (15, "direct"), (10, "referral"), (5, "direct"), (0, "direct")],
)
EXPECTED["mixed"] = {
    "first_touch": {20: 1.0},
    "last_touch": {0: 1.0},
    "last_non_direct": {10: 1.0},
    "linear": {20: 0.5, 10: 0.5},
    "time_decay": dict(zip([20, 10], decay([20, 10]), strict=True)),
    "position_based": {20: 0.5, 10: 0.5},
}

# All direct: last_non_direct falls back to the last touch, the others spread over all.
EVENTS.path("direct", [(2, "direct"), (0, "direct")])
EXPECTED["direct"] = {
    "first_touch": {2: 1.0},
    "last_touch": {0: 1.0},
    "last_non_direct": {0: 1.0},
    "linear": {2: 0.5, 0: 0.5},
    "time_decay": dict(zip([2, 0], decay([2, 0]), strict=True)),
    "position_based": {2: 0.5, 0: 0.5},
}

# Lookback edge: a touch exactly 30 × 24 h before the conversion is in the path ...
EVENTS.path("edge_in", [(LOOKBACK_DAYS, "paid_search"), (0, "email")])
EXPECTED["edge_in"] = {
    "first_touch": {30: 1.0},
    "last_touch": {0: 1.0},
    "last_non_direct": {0: 1.0},
    "linear": {30: 0.5, 0: 0.5},
    # 30/7 half-lives: 2^(−30/7) against 1
    "time_decay": {30: 2 ** (-30 / 7) / (1 + 2 ** (-30 / 7)), 0: 1 / (1 + 2 ** (-30 / 7))},
    "position_based": {30: 0.5, 0: 0.5},
}
# ... and one second earlier it is not.
EVENTS.add("edge_out_t0", "edge_out", T - timedelta(days=LOOKBACK_DAYS, seconds=1), "page_viewed",
           "display")  # fmt: skip
EVENTS.path("edge_out", [(0, "email")])
EXPECTED["edge_out"] = {m: {0: 1.0} for m in EXPECTED["one"]}

# A session longer than the lookback (an event every 20 minutes for 31 days, opened by a paid
# search visit): no touch in the window, so the converting session's touch alone.
LONG_START = T - timedelta(days=31)
for k in range(31 * 72):
    EVENTS.add(f"long_e{k}", "long", LONG_START + timedelta(minutes=20 * k), "page_viewed",
               "paid_search" if k == 0 else "direct")  # fmt: skip
EVENTS.add("long_conv", "long", T, "purchase", "direct", revenue=100.0)
EXPECTED["long"] = {m: {31: 1.0} for m in EXPECTED["one"]}

# A message click at the same instant as a session start sorts first (the click opens it).
EVENTS.path("click", [(5, "referral"), (0, "direct")])
EXPECTED["click"] = {
    "first_touch": {5.0001: 1.0},  # 5.0001 marks the click (same Δ as the session)
    "last_touch": {0: 1.0},
    "last_non_direct": {5: 1.0},
    "linear": {5.0001: 0.5, 5: 0.5},
    "time_decay": {5.0001: 0.5, 5: 0.5},
    "position_based": {5.0001: 0.5, 5: 0.5},
}

# Repeat conversions: the second (2 days later, with an email visit) is not a first conversion
# and its path still reaches back to the first conversion's paid search session.
EVENTS.path("repeat", [(0, "paid_search")])
EVENTS.add("repeat_conv2", "repeat", T + timedelta(days=2), "purchase", "email", revenue=50.0)
EXPECTED["repeat"] = EXPECTED["one"]

CAMPAIGNS = """
    select 'cmp_click' as campaign_id, 'Click test' as campaign_name, 'email' as channel,
        'purchase' as goal_event, cast(null as integer) as conversion_window_hours,
        timestamp '2026-03-01' as started_at, cast(null as timestamp) as ended_at
"""
MESSAGES = f"""
    select * from (values
        ('m1', 'cmp_click', 'click', cast(null as varchar), 'assigned', false, 'A',
            timestamp '{ts(T - timedelta(days=5, hours=1))}'),
        ('m2', 'cmp_click', 'click', null, 'sent', false, 'A',
            timestamp '{ts(T - timedelta(days=5, hours=1))}'),
        ('m3', 'cmp_click', 'click', null, 'clicked', false, 'A',
            timestamp '{ts(T - timedelta(days=5))}'),
        ('m4', 'cmp_click', 'nobody', null, 'clicked', false, 'A',
            timestamp '{ts(T - timedelta(days=5))}')
    ) as t(message_event_id, campaign_id, user_id, email, event_type, is_control, variant, ts)
"""
# Spend: a named channel, a row with only utm fields (channel from the rules), rows outside the
# data range (the first event is the long session's start, the last the repeat conversion).
AD_SPEND = """
    select * from (values
        (date '2026-03-01', 'paid_search', null, null, 300.0),
        (date '2026-03-02', null, 'google', 'cpc', 100.0),
        (date '2026-03-03', null, 'dsp', 'display', 50.0),
        (date '2026-01-01', 'paid_search', null, null, 1000.0),
        (date '2026-03-23', 'paid_search', null, null, 1000.0)
    ) as t(spend_date, channel, utm_source, utm_medium, spend)
"""
SPEND = {"paid_search": 400.0, "display": 50.0}


@pytest.fixture(scope="module")
def warehouse(build_warehouse: BuildFn) -> Path:
    return build_warehouse(
        "attribution",
        {
            "events": values_sql(EVENT_COLUMNS, EVENTS.rows),
            "campaigns": CAMPAIGNS,
            "campaign_messages": MESSAGES,
            "ad_spend": AD_SPEND,
        },
        vars=VARS,
        select=SELECT,
    )


@pytest.fixture(scope="module")
def credits(warehouse: Path) -> dict[tuple[str, str], dict[float, float]]:
    """(conversion_id, model) -> {Δ days of the touch (+0.0001 for a click): credit}."""
    frame = query(
        warehouse,
        """
        select a.conversion_id, a.model, a.credit, t.touch_type,
            round(epoch(c.converted_at - t.touch_ts) / 86400.0, 6) as delta_days
        from marts.fct_attribution as a
        inner join marts.fct_conversions as c on a.conversion_id = c.conversion_id
        inner join marts.fct_touchpoints as t on a.touch_id = t.touch_id
        """,
    )
    out: dict[tuple[str, str], dict[float, float]] = {}
    for row in frame.itertuples():
        delta = float(row.delta_days) + (0.0001 if row.touch_type == "message_click" else 0.0)
        out.setdefault((row.conversion_id, row.model), {})[round(delta, 4)] = float(row.credit)
    return out


@pytest.mark.parametrize("user", sorted(EXPECTED))
def test_rule_based_credits(credits: dict, user: str) -> None:
    for model, expected in EXPECTED[user].items():
        got = credits.get((f"{user}_conv", model), {})
        assert set(got) == {round(float(d), 4) for d in expected}, (user, model, got)
        for delta, credit in expected.items():
            assert got[round(float(delta), 4)] == pytest.approx(credit, abs=1e-12), (user, model)


def test_time_decay_weights_at_half_lives(warehouse: Path) -> None:
    weights = query(
        warehouse,
        """
        select round(epoch(p.converted_at - p.touch_ts) / 86400.0, 6) as delta_days,
            p.decay_weight
        from intermediate.int_conversion_paths as p
        where p.conversion_id = 'three_conv'
        order by delta_days
        """,
    )
    assert weights["delta_days"].tolist() == [0, 7, 14]
    assert weights["decay_weight"].tolist() == pytest.approx([1.0, 0.5, 0.25], abs=1e-15)


def test_repeat_conversion_path_and_first_flag(warehouse: Path, credits: dict) -> None:
    flags = query(
        warehouse,
        "select conversion_id, is_first_conversion, conversion_event from marts.fct_conversions"
        " where conversion_id like 'repeat%' order by conversion_id",
    )
    assert flags["is_first_conversion"].tolist() == [True, False]
    assert set(flags["conversion_event"]) == {"purchase"}
    # the second conversion's path: the paid search session 2 days earlier, then the email one
    assert credits[("repeat_conv2", "first_touch")] == {2.0: 1.0}
    assert credits[("repeat_conv2", "last_touch")] == {0.0: 1.0}
    assert credits[("repeat_conv2", "linear")] == {2.0: 0.5, 0.0: 0.5}


def test_message_click_touch_and_acquisition(warehouse: Path) -> None:
    touches = query(
        warehouse,
        """
        select t.touch_type, t.channel, t.campaign, t.medium, t.touch_type_order, t.touch_id
        from marts.fct_touchpoints as t
        where t.touch_type = 'message_click'
        """,
    )
    # the click of an unknown user reaches nobody and is not a touch
    assert touches.to_dict("records") == [
        {
            "touch_type": "message_click",
            "channel": "email",
            "campaign": "cmp_click",
            "medium": "email",
            "touch_type_order": 0,
            "touch_id": "m3",
        }
    ]
    acquisition = query(
        warehouse,
        "select acquisition_channel, acquisition_campaign from marts.dim_persons"
        " where primary_user_id = 'click'",
    )
    assert acquisition.to_dict("records") == [
        {"acquisition_channel": "email", "acquisition_campaign": "cmp_click"}
    ]
    credited = query(
        warehouse,
        "select channel, campaign from marts.fct_attribution"
        " where conversion_id = 'click_conv' and model = 'first_touch'",
    )
    assert credited.to_dict("records") == [{"channel": "email", "campaign": "cmp_click"}]


def test_every_conversion_credited_once_per_model(warehouse: Path) -> None:
    sums = query(
        warehouse,
        """
        select model, count(distinct conversion_id) as n, min(total) as lo, max(total) as hi
        from (
            select model, conversion_id, sum(credit) as total
            from marts.fct_attribution where conversion_id is not null group by all
        ) group by model
        """,
    )
    n_conversions = len(EXPECTED) + 1  # every case converts once; "repeat" twice
    assert len(sums) == 6
    assert set(sums["n"]) == {n_conversions}
    assert sums["lo"].min() == pytest.approx(1.0) and sums["hi"].max() == pytest.approx(1.0)
    markov = query(
        warehouse,
        "select count(*) as n, sum(credit) as c, count(conversion_id) + count(touch_id) as ids,"
        " min(credit) as lo from marts.fct_attribution where model = 'markov'",
    ).iloc[0]
    assert markov["c"] == pytest.approx(n_conversions)
    assert markov["ids"] == 0 and markov["lo"] > 0
    zero = query(warehouse, "select count(*) as n from marts.fct_attribution where credit <= 0")
    assert zero["n"].iloc[0] == 0


def test_credits_sum_to_one_generic_test_fails_on_bad_credits(
    warehouse: Path, tmp_path: Path
) -> None:
    """The generic test passes on the mart and finds each kind of broken credit."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("create table main.ok as select * from marts.fct_attribution")
        # a linear credit changed, a conversion missing from position_based, markov inflated
        con.execute(
            """
            create table main.broken as
            select * replace (
                case
                    when model = 'linear' and conversion_id = 'two_conv' then credit - 0.1
                    when model = 'markov' then credit * 1.01
                    else credit
                end as credit
            )
            from marts.fct_attribution
            where not (model = 'position_based' and conversion_id = 'three_conv')
            """
        )
    finally:
        con.close()
    failures = {}
    for table in ("ok", "broken"):
        sql = (
            "{{ growthlens.test_credits_sum_to_one(model='main." + table + "',"
            " conversions='marts.fct_conversions') }}"
        )
        compiled = run_dbt(copy, "compile", "--quiet", "--inline", sql, vars=VARS).stdout
        con = duckdb.connect(str(copy), read_only=True)
        try:
            failures[table] = con.execute(compiled).fetchall()
        finally:
            con.close()
    assert failures["ok"] == []
    found = {(model, conversion_id) for model, conversion_id, _ in failures["broken"]}
    assert found == {("linear", "two_conv"), ("position_based", "three_conv"), ("markov", None)}


def test_channel_performance_spend_cac_roas(warehouse: Path) -> None:
    perf = query(
        warehouse,
        "select model, channel, conversions, first_conversions, revenue, spend, cac, roas"
        " from marts.agg_channel_performance",
    )
    by_key = {(r.model, r.channel): r for r in perf.itertuples()}
    channels = {c for _, c in by_key}
    assert {"paid_search", "display", "email", "direct"} <= channels
    for model in ("first_touch", "last_touch", "linear", "time_decay", "position_based"):
        # conversions / revenue / first conversions from the hand expectations above
        expected: dict[str, list[float]] = {}
        for user, models in EXPECTED.items():
            conv_channels = _touch_channels(user)
            for delta, credit in models[model].items():
                channel = conv_channels[round(float(delta), 4)]
                cell = expected.setdefault(channel, [0.0, 0.0, 0.0])
                cell[0] += credit
                cell[1] += credit
                cell[2] += credit * 100
        second = {"first_touch": {"paid_search": 1.0}, "last_touch": {"email": 1.0}}.get(
            model, {"paid_search": 0.5, "email": 0.5} if model != "time_decay" else None
        )
        if second is None:  # time decay of the repeat conversion: Δ 2 days against 0
            w = decay([2, 0])
            second = {"paid_search": w[0], "email": w[1]}
        for channel, credit in second.items():
            cell = expected.setdefault(channel, [0.0, 0.0, 0.0])
            cell[0] += credit
            cell[2] += credit * 50
        for channel, (conversions, first, revenue) in expected.items():
            row = by_key[(model, channel)]
            assert row.conversions == pytest.approx(conversions), (model, channel)
            assert row.first_conversions == pytest.approx(first), (model, channel)
            assert row.revenue == pytest.approx(revenue), (model, channel)
            spend = SPEND.get(channel)
            if spend is None:
                assert row.spend != row.spend and row.cac != row.cac  # NaN = null
            else:
                assert row.spend == pytest.approx(spend)
                assert row.cac == pytest.approx(spend / first if first else float("nan"),
                                                nan_ok=True)  # fmt: skip
                assert row.roas == pytest.approx(revenue / spend)
    # display is credited in no last_touch path but has spend: a row with 0 conversions
    display = by_key[("last_touch", "display")]
    assert display.conversions == 0 and display.spend == pytest.approx(50.0)
    assert display.cac != display.cac and display.roas == 0


def _touch_channels(user: str) -> dict[float, str]:
    """Δ days (+0.0001 for the click) -> channel of the hand-made touches of one case."""
    out: dict[float, str] = {}
    for row in EVENTS.rows:
        if row["user_id"] != user or row["event_id"].startswith("repeat_conv2"):
            continue
        delta = round((T - datetime.fromisoformat(row["event_ts"])).total_seconds() / 86400, 4)
        channel = next(
            (c for c, f in CHANNEL_FIELDS.items() if f and all(row.get(k) == v
                                                               for k, v in f.items())),
            "direct",
        )  # fmt: skip
        out.setdefault(delta, channel)
    if user == "click":
        out[5.0001] = "email"
    if user == "long":
        out = {31.0: "paid_search"}
    return out


# --- Markov: a 3-channel chain solved by hand --------------------------------------------
# A = paid_search, B = email, C = paid_social. Paths (one person each, touches 3/2/1 days
# before the conversion or the last touch):
#   p1: A → B → A → (conversion)     revenue 10   (the A→B→A cycle)
#   p2: A → A → (conversion)          revenue 20   (a repeated channel: self-loop A→A)
#   p3: C → (conversion)              revenue 30
#   p4: B → (null)                    (no conversion)
#   p5: A → C → (null)                (no conversion)
#   p6: converts with C (revenue 0), then touches A → (null) after the conversion.
# Transition counts:
#   (start): A 4 (p1, p2, p5, p6 after), B 1 (p4), C 2 (p3, p6)            total 7
#   A: B 1 (p1), conversion 2 (p1, p2), A 1 (p2), C 1 (p5), null 1 (p6)   total 6
#   B: A 1 (p1), null 1 (p4)                                                total 2
#   C: conversion 2 (p3, p6), null 1 (p5)                                   total 3
F = Fraction
S_A, S_B, S_C = F(4, 7), F(1, 7), F(2, 7)
A_B, A_CONV, A_A, A_C = F(1, 6), F(2, 6), F(1, 6), F(1, 6)  # A→null 1/6
B_A = F(1, 2)  # B→null 1/2
C_CONV = F(2, 3)  # C→null 1/3


def _absorb(remove: str | None) -> Fraction:
    """P(conversion from start), transitions into `remove` sent to null. Absorption
    probabilities: x_C = C_CONV; x_B = B_A·x_A; x_A = A_B·x_B + A_CONV + A_A·x_A + A_C·x_C, so
    x_A·(1 − A_A − A_B·B_A) = A_CONV + A_C·x_C; a removed state's x is 0 where it is entered."""
    x_c = F(0) if remove == "C" else C_CONV
    loop_via_b = F(0) if remove == "B" else A_B * B_A  # the A→B→A cycle
    x_a = F(0) if remove == "A" else (A_CONV + A_C * x_c) / (1 - A_A - loop_via_b)
    x_b = F(0) if remove == "B" else B_A * x_a
    return S_A * x_a + S_B * x_b + S_C * x_c


# Full chain: x_C = 2/3, x_A = (1/3 + 1/6·2/3)/(1 − 1/6 − 1/12) = (4/9)/(3/4) = 16/27,
# x_B = 8/27, P = 4/7·16/27 + 1/7·8/27 + 2/7·2/3 = (64 + 8 + 36)/189 = 4/7.
P_FULL = _absorb(None)
# Without A: B's only way on is A, so P = 2/7·2/3 = 4/21 → RE_A = 1 − (4/21)/(4/7) = 2/3.
# Without B: x_A = (1/3 + 1/9)/(5/6) = 8/15, P = 4/7·8/15 + 4/21 = 52/105 → RE_B = 1 − 13/15 = 2/15.
# Without C: x_A = (1/3)/(3/4) = 4/9, x_B = 2/9, P = 16/63 + 2/63 = 2/7 → RE_C = 1/2.
RE = {ch: 1 - _absorb(ch) / P_FULL for ch in ("A", "B", "C")}
# Σ RE = 2/3 + 2/15 + 1/2 = 13/10: shares A 20/39, B 4/39, C 15/39 of 4 conversions and 60 revenue.
MARKOV_CHANNELS = {"A": "paid_search", "B": "email", "C": "paid_social"}
N_CONVERSIONS, TOTAL_REVENUE, N_FIRST = 4, 60.0, 4


def test_markov_hand_arithmetic() -> None:
    """The fractions the comments above work out by hand."""
    assert F(4, 7) == P_FULL
    assert {"A": F(2, 3), "B": F(2, 15), "C": F(1, 2)} == RE
    assert sum(RE.values()) == F(13, 10)


def _markov_events() -> list[dict[str, Any]]:
    ev = Events()
    code = {"A": "paid_search", "B": "email", "C": "paid_social"}

    def person(user: str, path: str, revenue: float | None, start: datetime) -> None:
        for i, state in enumerate(path):
            at = start + timedelta(days=i)
            ev.add(f"{user}_t{i}", user, at, "page_viewed", code[state])
        if revenue is not None:  # converts 10 minutes into the last touch's session
            at = start + timedelta(days=len(path) - 1, minutes=10)
            ev.add(f"{user}_conv", user, at, "purchase", "direct", revenue=revenue or None)

    person("p1", "ABA", 10.0, T)
    person("p2", "AA", 20.0, T)
    person("p3", "C", 30.0, T)
    person("p4", "B", None, T)
    person("p5", "AC", None, T)
    person("p6", "C", 0.0, T)
    ev.add("p6_after", "p6", T + timedelta(days=3), "page_viewed", "paid_search")
    return ev.rows


@pytest.fixture(scope="module")
def markov_warehouse(build_warehouse: BuildFn) -> Path:
    return build_warehouse(
        "markov",
        {"events": values_sql(EVENT_COLUMNS, _markov_events())},
        vars=VARS,
        select="+fct_attribution +int_markov_removal_effects +agg_channel_performance"
        " +fct_campaign_impact",
    )


def test_absent_optional_tables_give_empty_marts(markov_warehouse: Path) -> None:
    """No raw.campaigns, raw.campaign_messages or raw.ad_spend: the marts build, empty or
    without spend."""
    impact = query(markov_warehouse, "select count(*) as n from marts.fct_campaign_impact")
    assert impact["n"].iloc[0] == 0
    perf = query(markov_warehouse, "select * from marts.agg_channel_performance")
    assert len(perf) > 0 and perf["spend"].isna().all() and perf["cac"].isna().all()
    assert perf["roas"].isna().all()


def test_markov_transitions_counted(markov_warehouse: Path) -> None:
    counts = query(
        markov_warehouse, "select from_state, to_state, n_transitions from "
        "intermediate.int_markov_transitions"
    )  # fmt: skip
    name = {v: k for k, v in MARKOV_CHANNELS.items()} | {
        "(start)": "S", "(conversion)": "conv", "(null)": "null"}  # fmt: skip
    got = {(name[r.from_state], name[r.to_state]): r.n_transitions for r in counts.itertuples()}
    assert got == {
        ("S", "A"): 4, ("S", "B"): 1, ("S", "C"): 2,
        ("A", "B"): 1, ("A", "conv"): 2, ("A", "A"): 1, ("A", "C"): 1, ("A", "null"): 1,
        ("B", "A"): 1, ("B", "null"): 1,
        ("C", "conv"): 2, ("C", "null"): 1,
    }  # fmt: skip


def test_markov_removal_effects_exact(markov_warehouse: Path) -> None:
    effects = query(markov_warehouse, "select * from intermediate.int_markov_removal_effects")
    assert len(effects) == 3
    total_re = sum(RE.values())
    for row in effects.itertuples():
        key = {v: k for k, v in MARKOV_CHANNELS.items()}[row.channel]
        assert row.conversion_probability == pytest.approx(float(P_FULL), abs=1e-14)
        assert row.conversion_probability_without == pytest.approx(float(_absorb(key)), abs=1e-14)
        assert row.removal_effect == pytest.approx(float(RE[key]), abs=1e-13)
        assert row.removal_share == pytest.approx(float(RE[key] / total_re), abs=1e-13)
        # every channel was eliminated
        assert row.n_channels == 3 and row.max_channels >= 3
    credits = query(
        markov_warehouse,
        "select channel, credit, revenue_credit, first_conversion_credit, conversion_id,"
        " touch_id from marts.fct_attribution where model = 'markov'",
    )
    assert credits["conversion_id"].isna().all() and credits["touch_id"].isna().all()
    for row in credits.itertuples():
        key = {v: k for k, v in MARKOV_CHANNELS.items()}[row.channel]
        share = float(RE[key] / total_re)
        assert row.credit == pytest.approx(N_CONVERSIONS * share, abs=1e-12)
        assert row.revenue_credit == pytest.approx(TOTAL_REVENUE * share, abs=1e-12)
        assert row.first_conversion_credit == pytest.approx(N_FIRST * share, abs=1e-12)
