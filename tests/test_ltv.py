"""LTV, cohort CAC / payback and RFM (metrics.md §8) on hand-made persons, plus invariants on
the simulated warehouse checked against an independent pandas reading of §8.

One hand-made warehouse, built once for the module: reporting time zone America/Sao_Paulo
(UTC-3 all year), reporting currency USD with revenue in USD, BRL (0.18 USD), EUR (1.08 USD),
JPY (0.0067 USD) and an unknown currency, `ltv_gross_margin` 0.5, and data end = `as_of` =
2026-06-30 12:00 UTC (09:00 local). Every expected number below was worked out by hand from
the events listed with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import BASE_EVENT_COLUMNS, REPO, BuildFn, query, values_sql

pytestmark = pytest.mark.dbt

EVENT_COLUMNS = {
    **BASE_EVENT_COLUMNS,
    "utm_source": "varchar",
    "utm_medium": "varchar",
    "revenue": "double",
    "currency": "varchar",
}

MARGIN = 0.5
VARS = {
    "reporting_timezone": "America/Sao_Paulo",
    "reporting_currency": "USD",
    "as_of": "2026-06-30 12:00:00",
    "ltv_gross_margin": MARGIN,
}

# (user_id or None, anonymous_id, event_name, event_ts UTC, revenue, currency, utm_medium)
E = tuple[str | None, str, str, str, float | None, str | None, str | None]
EVENTS: list[E] = [
    # edge7: first seen Jun 23 12:00, so first_seen_at + 7 days = data end exactly: revenue_d7 is
    # observable. 10 USD one second before the horizon counts; 5 USD exactly at it (= data end)
    # counts only in revenue_total. d7 = 10 x 0.5 = 5; total = 15 x 0.5 = 7.5. Both purchases
    # are on local Jun 30 (08:59:59 and 09:00): RFM frequency 0, t 0.
    ("edge7", "d-edge7", "app_opened", "2026-06-23 12:00:00", None, None, "cpc"),
    ("edge7", "d-edge7", "purchase", "2026-06-30 11:59:59", 10.0, "USD", None),
    ("edge7", "d-edge7", "purchase", "2026-06-30 12:00:00", 5.0, None, None),
    # late7: first seen one second later: first_seen_at + 7 days is after data end, so every
    # revenue_dN is null (not 0) although it bought 20 USD at once. total 10.
    ("late7", "d-late7", "purchase", "2026-06-23 12:00:01", 20.0, "USD", "cpc"),
    # anon: an anonymous person of the June paid_search cohort, observable for 7 days, no money.
    (None, "d-anon", "app_opened", "2026-06-10 12:00:00", None, None, "cpc"),
    # d30: first seen May 31 12:00 (09:00 local, May cohort); + 30 days = data end. 100 BRL at
    # once (18 USD) in every horizon; a refund of -50 BRL (-9 USD) on day 10 misses d7 but counts
    # in d30; 50 EUR (54 USD) exactly at data end counts only in the total; 1000 USD one second
    # after as_of is ignored. d7 = 9, d30 = 4.5, d90 null, total = (18 - 9 + 54) x 0.5 = 31.5.
    # RFM (refund left out): purchase dates May 31 and Jun 30 -> frequency 1, recency 30, t 30,
    # monetary 54.
    ("d30", "d-d30", "purchase", "2026-05-31 12:00:00", 100.0, "BRL", "cpc"),
    ("d30", "d-d30", "refund", "2026-06-10 12:00:00", -50.0, "brl", None),
    ("d30", "d-d30", "purchase", "2026-06-30 12:00:00", 50.0, "EUR", None),
    ("d30", "d-d30", "purchase", "2026-06-30 12:00:01", 1000.0, "USD", None),
    # month_edge: first seen Jun 1 02:00 UTC = May 31 23:00 local: the May cohort (UTC would say
    # June). No money: revenue_d7 = 0 (observable), revenue_d30 null (Jul 1 02:00 > data end).
    ("month_edge", "d-month_edge", "app_opened", "2026-06-01 02:00:00", None, None, "email"),
    # d90: first seen Apr 1 12:00 (+ 90 days = data end); 1000 JPY (6.70 USD) an hour later.
    # d7 = d30 = d90 = 3.35, d180 null. RFM: frequency 0, t = Apr 1 -> Jun 30 = 90 days.
    ("d90", "d-d90", "app_opened", "2026-04-01 12:00:00", None, None, "paid_social"),
    ("d90", "d-d90", "purchase", "2026-04-01 13:00:00", 1000.0, "JPY", None),
    # d180: first seen Jan 1 12:00 (+ 180 days = data end); no money: d7..d180 = 0, d365 null.
    ("d180", "d-d180", "app_opened", "2026-01-01 12:00:00", None, None, None),
    # d365: first seen 2025-06-30 12:00 (+ 365 days = data end, every horizon observable).
    # 10 USD at once; 20 USD at 89 d 23 h (in d90); 30 USD at exactly 90 d (not in d90, in
    # d180); 40 in an unknown currency (revenue null: nothing anywhere); 5 USD at 364 d.
    # d7 = d30 = 5, d90 = 15, d180 = 30, d365 = total = 32.5.
    # RFM: the 20 and 30 fall on one local date (Sep 28, 08:00 and 09:00): dates Jun 30 2025,
    # Sep 28 2025 (50), Jun 29 2026 (5) -> frequency 2, recency 364, t 365, monetary 27.5.
    ("d365", "d-d365", "purchase", "2025-06-30 12:00:00", 10.0, "USD", None),
    ("d365", "d-d365", "purchase", "2025-09-28 11:00:00", 20.0, "USD", None),
    ("d365", "d-d365", "purchase", "2025-09-28 12:00:00", 30.0, "USD", None),
    ("d365", "d-d365", "purchase", "2025-10-08 12:00:00", 40.0, "XYZ", None),
    ("d365", "d-d365", "purchase", "2026-06-29 12:00:00", 5.0, "USD", None),
    # rfm: local dates differ from UTC ones. Jun 9 12:00 local 5 USD and Jun 9 23:30 local
    # (Jun 10 in UTC) 10 USD: one transaction of 15; Jun 12 01:00 local (7) and 17:00 local (3):
    # 10; a refund on Jun 20 and a zero-value purchase on Jun 25 are no transactions.
    # frequency 1, recency 3, t = Jun 9 -> Jun 30 = 21, monetary 10 (the first date left out).
    # LTV: d7 = (5 + 10 + 7 + 3) x 0.5 = 12.5 (Jun 12 20:00 < Jun 16 15:00); total (25 - 4) x 0.5.
    ("rfm", "d-rfm", "purchase", "2026-06-09 15:00:00", 5.0, "USD", None),
    ("rfm", "d-rfm", "purchase", "2026-06-10 02:30:00", 10.0, "USD", None),
    ("rfm", "d-rfm", "purchase", "2026-06-12 04:00:00", 7.0, "USD", None),
    ("rfm", "d-rfm", "purchase", "2026-06-12 20:00:00", 3.0, "USD", None),
    ("rfm", "d-rfm", "refund", "2026-06-20 12:00:00", -4.0, "USD", None),
    ("rfm", "d-rfm", "purchase", "2026-06-25 12:00:00", 0.0, "USD", None),
]

# Spend, reporting currency USD. June paid_search: 100 USD + 50 EUR = 154 (a July row is not
# June's). May paid_search: 3 named + 3 from a channel-less row whose utm_medium cpc makes it
# paid_search = 6. May email: a spend row of 0 (cac null). April paid_social: 2.
AD_SPEND = """
    select * from (values
        (date '2026-06-05', 'paid_search', null, null, 100.0, 'USD'),
        (date '2026-06-20', 'paid_search', null, null, 50.0, 'EUR'),
        (date '2026-07-01', 'paid_search', null, null, 1000.0, 'USD'),
        (date '2026-05-15', 'paid_search', null, null, 3.0, null),
        (date '2026-05-20', null, 'google', 'cpc', 3.0, 'USD'),
        (date '2026-05-10', 'email', null, null, 0.0, 'USD'),
        (date '2026-04-30', 'paid_social', null, null, 2.0, 'USD')
    ) as t(spend_date, channel, utm_source, utm_medium, spend, currency)
"""

SELECT = "+fct_ltv +agg_ltv_cohorts +fct_rfm"


def events_sql(events: list[E]) -> str:
    rows = [
        {
            "event_id": f"e{i:03d}",
            "event_name": name,
            "event_ts": ts,
            "received_at": ts,
            "anonymous_id": device,
            "user_id": user,
            "utm_source": None if medium is None else "src",
            "utm_medium": medium,
            "revenue": revenue,
            "currency": currency,
        }
        for i, (user, device, name, ts, revenue, currency, medium) in enumerate(events)
    ]
    return values_sql(EVENT_COLUMNS, rows)


@pytest.fixture(scope="module")
def warehouse(build_warehouse: BuildFn) -> Path:
    return build_warehouse(
        "ltv", {"events": events_sql(EVENTS), "ad_spend": AD_SPEND}, VARS, SELECT
    )


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """Result rows as tuples, missing values (NULL, NaN) as None, floats rounded to 9 places."""
    out = []
    for r in query(db, sql).itertuples(index=False):
        out.append(
            tuple(
                None if pd.isna(v) else round(float(v), 9) if isinstance(v, float) else v for v in r
            )
        )
    return out


LTV_SQL = """
    select p.primary_user_id, p.is_identified, l.acquisition_channel, cast(l.cohort_month as varchar),
        l.revenue_d7, l.revenue_d30, l.revenue_d90, l.revenue_d180, l.revenue_d365, l.revenue_total
    from marts.fct_ltv as l
    inner join marts.dim_persons as p on l.person_id = p.person_id
    order by l.first_seen_at
"""


def test_ltv_horizons_refunds_margin_and_currencies(warehouse: Path) -> None:
    assert rows(warehouse, LTV_SQL) == [
        ("d365", True, "direct", "2025-06-01", 5.0, 5.0, 15.0, 30.0, 32.5, 32.5),
        ("d180", True, "direct", "2026-01-01", 0.0, 0.0, 0.0, 0.0, None, 0.0),
        ("d90", True, "paid_social", "2026-04-01", 3.35, 3.35, 3.35, None, None, 3.35),
        ("d30", True, "paid_search", "2026-05-01", 9.0, 4.5, None, None, None, 31.5),
        ("month_edge", True, "email", "2026-05-01", 0.0, None, None, None, None, 0.0),
        ("rfm", True, "direct", "2026-06-01", 12.5, None, None, None, None, 10.5),
        (None, False, "paid_search", "2026-06-01", 0.0, None, None, None, None, 0.0),
        ("edge7", True, "paid_search", "2026-06-01", 5.0, None, None, None, None, 7.5),
        ("late7", True, "paid_search", "2026-06-01", None, None, None, None, None, 10.0),
    ]


def test_cohorts_spend_cac_and_payback(warehouse: Path) -> None:
    got = rows(
        warehouse,
        """select cast(cohort_month as varchar), acquisition_channel, persons, persons_d7,
            avg_revenue_d7, avg_revenue_d30, avg_revenue_d90, spend, cac, ltv_to_cac_d90,
            payback_days
        from marts.agg_ltv_cohorts order by cohort_month, acquisition_channel""",
    )
    assert got == [
        # d365 alone; no spend rows for direct: spend 0, cac null, no division error.
        ("2025-06-01", "direct", 1, 1, 5.0, 5.0, 15.0, 0.0, None, None, None),
        ("2026-01-01", "direct", 1, 1, 0.0, 0.0, 0.0, 0.0, None, None, None),
        # cac = 2 / 1; d7 = 3.35 >= 2: payback 7; LTV:CAC at 90 days = 3.35 / 2.
        ("2026-04-01", "paid_social", 1, 1, 3.35, 3.35, 3.35, 2.0, 2.0, 1.675, 7),
        # a spend row of 0: spend 0, cac null.
        ("2026-05-01", "email", 1, 1, 0.0, None, None, 0.0, None, None, None),
        # cac = 6 / 1 (one row's channel derived from utm_medium cpc); d7 = 9 >= 6: payback 7.
        ("2026-05-01", "paid_search", 1, 1, 9.0, 4.5, None, 6.0, 6.0, None, 7),
        ("2026-06-01", "direct", 1, 1, 12.5, None, None, 0.0, None, None, None),
        # edge7, late7 (not observable at 7 days) and the anonymous person: avg d7 over the two
        # observable = (5 + 0) / 2; cac = 154 / 3 persons; nothing covers it: payback null.
        ("2026-06-01", "paid_search", 3, 2, 2.5, None, None, 154.0, round(154 / 3, 9), None, None),
    ]


def test_rfm_local_days_positive_revenue_only(warehouse: Path) -> None:
    got = rows(
        warehouse,
        """select p.primary_user_id, r.frequency, r.recency, r.t, r.monetary_value,
            r.n_purchases, r.total_revenue
        from marts.fct_rfm as r
        inner join marts.dim_persons as p on r.person_id = p.person_id
        order by p.primary_user_id""",
    )
    assert got == [
        ("d30", 1, 30, 30, 54.0, 2, 72.0),
        ("d365", 2, 364, 365, 27.5, 4, 65.0),
        ("d90", 0, 0, 90, 0.0, 1, 6.7),
        ("edge7", 0, 0, 0, 0.0, 2, 15.0),
        ("late7", 0, 0, 7, 0.0, 1, 20.0),
        ("rfm", 1, 3, 21, 10.0, 4, 25.0),
    ]


# --- Simulated warehouse: every row of fct_ltv, agg_ltv_cohorts and fct_rfm against pandas.


def reference_ltv(db: Path, margin: float) -> pd.DataFrame:
    """metrics.md §8 read independently from fct_events and dim_persons."""
    persons = query(
        db,
        "select person_id, acquisition_channel, first_seen_at from marts.dim_persons"
        " where first_seen_at is not null",
    )
    events = query(
        db, "select person_id, revenue, event_ts from marts.fct_events where revenue is not null"
    )
    data_end = query(db, "select max(event_ts) as t from staging.stg_events")["t"][0]
    merged = events.merge(persons, on="person_id")
    out = persons.set_index("person_id")
    for n in (7, 30, 90, 180, 365):
        horizon = merged["first_seen_at"] + pd.Timedelta(days=n)
        inside = merged[merged["event_ts"] < horizon[merged.index]]
        sums = inside.groupby("person_id")["revenue"].sum().reindex(out.index).fillna(0.0)
        observable = out["first_seen_at"] + pd.Timedelta(days=n) <= data_end
        out[f"revenue_d{n}"] = (sums * margin).where(observable)
    out["revenue_total"] = (
        merged.groupby("person_id")["revenue"].sum().reindex(out.index).fillna(0.0) * margin
    )
    out["cohort_month"] = out["first_seen_at"].dt.to_period("M").dt.start_time.dt.date
    return out.drop(columns="first_seen_at").sort_index()


def same(got: Any, expected: float | None) -> bool:
    """A mart value equals the reference: both missing, or equal to 1e-9 relative."""
    if expected is None:
        return bool(pd.isna(got))
    return not pd.isna(got) and float(got) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def scenario_margin(scenario: str) -> float:
    """ltv_gross_margin of a scenario as dbt_project.yml sets it (else the shared default)."""
    config = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]
    value = config["growthlens_scenarios"][scenario].get("ltv_gross_margin")
    return float(config["growthlens_defaults"]["ltv_gross_margin"] if value is None else value)


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_simulated_ltv_matches_a_pandas_reading(simulated_warehouse, scenario) -> None:
    db = simulated_warehouse(scenario)
    margin = scenario_margin(scenario)
    assert margin != 1.0  # the demo scenarios exercise the margin
    expected = reference_ltv(db, margin)
    got = query(db, "select * from marts.fct_ltv").set_index("person_id").sort_index()
    assert list(got.index) == list(expected.index)
    assert (
        got["acquisition_channel"].fillna("") == expected["acquisition_channel"].fillna("")
    ).all()
    assert (pd.to_datetime(got["cohort_month"]).dt.date == expected["cohort_month"]).all()
    for column in [
        "revenue_d7",
        "revenue_d30",
        "revenue_d90",
        "revenue_d180",
        "revenue_d365",
        "revenue_total",
    ]:
        assert (got[column].isna() == expected[column].isna()).all(), column
        np.testing.assert_allclose(
            got[column].fillna(0).to_numpy(), expected[column].fillna(0).to_numpy(), atol=1e-6
        )
    # Simulated data has revenue, refunds and unobservable horizons: the test is not vacuous.
    assert got["revenue_total"].gt(0).any() and got["revenue_d30"].isna().any()

    cohorts = query(db, "select * from marts.agg_ltv_cohorts")
    cohorts["cohort_month"] = pd.to_datetime(cohorts["cohort_month"]).dt.date
    spend = query(
        db,
        "select channel, date_trunc('month', spend_date) as month, sum(spend) as spend"
        " from intermediate.int_ad_spend_classified group by all",
    )
    spend["month"] = pd.to_datetime(spend["month"]).dt.date
    cells = expected.assign(channel=expected["acquisition_channel"])
    for row in cohorts.itertuples():
        members = cells[
            (cells["cohort_month"] == row.cohort_month)
            & (cells["channel"].fillna("") == (row.acquisition_channel or ""))
        ]
        assert row.persons == len(members)
        total = spend[
            (spend["channel"] == row.acquisition_channel) & (spend["month"] == row.cohort_month)
        ]["spend"].sum()
        assert row.spend == pytest.approx(total)
        cac = total / len(members) if total != 0 else None
        assert same(row.cac, cac)
        payback = None
        for n in (7, 30, 90, 180, 365):
            avg = members[f"revenue_d{n}"].mean()
            avg = None if pd.isna(avg) else avg
            assert same(getattr(row, f"avg_revenue_d{n}"), avg)
            if payback is None and cac is not None and avg is not None and avg >= cac:
                payback = n
        assert same(row.payback_days, payback)
    assert cohorts["cac"].notna().any() and cohorts["cac"].isna().any()
    assert len(cohorts) == len(cells.groupby(["cohort_month", "channel"], dropna=False))
