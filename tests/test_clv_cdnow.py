"""The full CDNOW transaction file (69,659 orders of 23,570 customers, Jan 1997 - Jun 1998,
shipped with `lifetimes`) loaded through the raw contract and built with dbt: fct_rfm equals
lifetimes' summary_data_from_transaction_data for every customer, and `growthlens clv` writes
marts.fct_predicted_clv from it.

Each order becomes one raw event at some time of its date in New York (a fifth of them after
19:00, which is the next date in UTC, so a UTC calendar would split and merge purchase days): the
reporting time zone is America/New_York and data end is the last second of 1998-06-30 there. Zero-value orders stay in
raw.events; like refunds they are no transactions for the RFM summary, and lifetimes is given
the positive orders only (metrics.md §8).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import BuildFn, query
from growthlens.cli import main

pytestmark = pytest.mark.dbt

lifetimes_utils = pytest.importorskip("lifetimes.utils")

VARS = {
    "reporting_timezone": "America/New_York",
    "reporting_currency": "USD",
    "as_of": "1998-06-30 23:59:59-04:00",
    "min_event_date": "1990-01-01",
}


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    path = resources.files("lifetimes") / "datasets" / "CDNOW_master.txt"
    with path.open() as handle:
        frame = pd.read_csv(
            handle,
            sep=r"\s+",
            dtype={"customer_id": str, "date": str, "number_of_cds": int, "dollar_value": float},
        )
    assert len(frame) == 69_659
    return frame


@pytest.fixture(scope="module")
def warehouse(build_warehouse: BuildFn, orders: pd.DataFrame) -> Path:
    # Orders spread over the local day (minute 37 * i mod 1440): those after 19:00 / 20:00 local
    # fall on the next UTC date, so only the local calendar groups them like lifetimes does.
    minutes = pd.to_timedelta((np.arange(len(orders)) * 37) % 1440, unit="m")
    local = pd.to_datetime(orders["date"], format="%Y%m%d") + minutes
    event_ts = (
        local.dt.tz_localize(
            "America/New_York",
            ambiguous=np.zeros(len(local), dtype=bool),
            nonexistent="shift_forward",
        )
        .dt.tz_convert("UTC")
        .dt.tz_localize(None)
    )
    events = pd.DataFrame(
        {
            "event_id": [f"cdnow-{i}" for i in range(len(orders))],
            "event_name": "Order Completed",
            "event_ts": event_ts.astype("datetime64[us]"),
            "received_at": event_ts.astype("datetime64[us]"),
            "anonymous_id": pd.Series([None] * len(orders), dtype="object"),
            "user_id": orders["customer_id"],
            "revenue": orders["dollar_value"],
            "currency": "USD",
        }
    )
    return build_warehouse("cdnow", {"events": events}, VARS, "+fct_rfm +dim_persons")


@pytest.fixture(scope="module")
def expected(orders: pd.DataFrame) -> pd.DataFrame:
    summary = lifetimes_utils.summary_data_from_transaction_data(
        orders[orders["dollar_value"] > 0],
        "customer_id",
        "date",
        monetary_value_col="dollar_value",
        datetime_format="%Y%m%d",
        observation_period_end="19980630",
        freq="D",
    )
    return summary.rename(columns={"T": "t"})


def test_rfm_equals_the_lifetimes_summary_for_every_customer(
    warehouse: Path, expected: pd.DataFrame
) -> None:
    got = query(
        warehouse,
        """select p.primary_user_id as customer_id, r.frequency, r.recency, r.t, r.monetary_value
        from marts.fct_rfm as r
        inner join marts.dim_persons as p on r.person_id = p.person_id""",
    ).set_index("customer_id")
    assert len(expected) == 23_502  # customers with at least one order of positive value
    assert sorted(got.index) == sorted(expected.index)
    got = got.loc[expected.index]
    for column in ("frequency", "recency", "t"):
        assert (got[column].to_numpy() == expected[column].to_numpy()).all(), column
    np.testing.assert_allclose(
        got["monetary_value"].to_numpy(), expected["monetary_value"].to_numpy(), rtol=1e-12
    )
    assert got["frequency"].max() > 0 and (got["t"] == 545).any()


def test_clv_command_writes_predictions(warehouse: Path, capsys: pytest.CaptureFixture) -> None:
    import growthlens

    rfm = query(
        warehouse, "select person_id, frequency, recency, t, monetary_value from marts.fct_rfm"
    )
    assert (
        main(["clv", "--path", str(warehouse), "--horizon-days", "365", "--discount-rate", "0.1"])
        == 0
    )
    printed = capsys.readouterr().out
    assert f"wrote {len(rfm):,d} rows to marts.fct_predicted_clv" in printed
    written = query(warehouse, "select * from marts.fct_predicted_clv").set_index("person_id")
    assert len(written) == len(rfm)
    assert (written["horizon_days"] == 365).all() and (written["annual_discount_rate"] == 0.1).all()

    model = growthlens.fit_clv(rfm)
    assert "r=" + f"{model.params['r']:.4g}" in printed
    daily = 1.1 ** (1 / 365) - 1
    again = model.predict(rfm, horizon=365, discount_rate=daily).set_index("person_id")
    written = written.loc[again.index]
    for column in ("p_alive", "expected_purchases", "expected_avg_order_value", "clv"):
        np.testing.assert_allclose(written[column], again[column], rtol=1e-9)
    # Discounting a year at 10 % costs less than 10 % of the value.
    flat = model.predict(rfm, horizon=365)["clv"].sum()
    assert 0.9 * flat < written["clv"].sum() < flat
