"""Predictive CLV (growthlens.clv): BG/NBD and Gamma-Gamma maximum-likelihood fits on the CDNOW
summaries shipped with `lifetimes` (a test-only dependency), predictions against lifetimes' own
formulas, parameter recovery on simulated customers, and the errors users see.

lifetimes 0.11.3's loaders need pkg_resources (gone from setuptools >= 82), so its data files
are read with importlib.resources; its fitters fail on pandas 3 Series, so they get numpy arrays.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import growthlens
from growthlens.clv import (
    CLVFitError,
    CLVFitWarning,
    CLVInputError,
    CLVModel,
    fit_bgnbd,
    fit_gamma_gamma,
    simulate_rfm,
)
from growthlens.errors import GrowthlensError

lifetimes = pytest.importorskip("lifetimes")

DATASETS = resources.files("lifetimes") / "datasets"


def significant(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits - 1}e}")


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    """The 39-week calibration summary of the 2,357 CDNOW sample customers, in weeks."""
    summary = pd.read_csv(DATASETS / "cdnow_customers_summary.csv")
    return summary.rename(columns={"T": "t"})


@pytest.fixture(scope="module")
def cdnow_values() -> pd.DataFrame:
    """The same customers with x (repeat purchases) and zbar (their mean value)."""
    return pd.read_csv(DATASETS / "cdnow_customers_summary_with_transactions.csv")


@pytest.fixture(scope="module")
def model(cdnow: pd.DataFrame, cdnow_values: pd.DataFrame) -> CLVModel:
    rfm = cdnow.merge(cdnow_values[["ID", "zbar"]], on="ID", how="left")
    rfm["monetary_value"] = rfm["zbar"].where(rfm["frequency"] > 0, 0.0).fillna(0.0)
    return growthlens.fit_clv(rfm)


def test_bgnbd_matches_fader_hardie_lee_2005(cdnow: pd.DataFrame) -> None:
    params, log_likelihood = fit_bgnbd(cdnow["frequency"], cdnow["recency"], cdnow["t"])
    assert {k: significant(v) for k, v in params.items()} == {
        "r": 0.243,
        "alpha": 4.41,
        "a": 0.793,
        "b": 2.43,
    }
    # The paper's values to their printed precision, and its log-likelihood (-9582.4).
    assert round(params["alpha"], 3) == 4.414
    assert round(params["b"], 3) == 2.426
    assert round(log_likelihood, 1) == -9582.4


def test_bgnbd_in_days_scales_alpha_by_seven(cdnow: pd.DataFrame) -> None:
    weeks, ll_weeks = fit_bgnbd(cdnow["frequency"], cdnow["recency"], cdnow["t"])
    days, ll_days = fit_bgnbd(cdnow["frequency"], cdnow["recency"] * 7, cdnow["t"] * 7)
    assert days["alpha"] == pytest.approx(7 * weeks["alpha"], rel=1e-6)
    for name in ("r", "a", "b"):
        assert days[name] == pytest.approx(weeks[name], rel=1e-6)
    # Densities of purchase times lose a factor 7 per repeat purchase.
    assert ll_days == pytest.approx(ll_weeks - cdnow["frequency"].sum() * np.log(7), rel=1e-9)


def test_gamma_gamma_matches_published_values(cdnow_values: pd.DataFrame) -> None:
    params, _ = fit_gamma_gamma(cdnow_values["x"], cdnow_values["zbar"])
    assert round(params["p"], 2) == 6.25
    assert round(params["q"], 2) == 3.74
    assert round(params["gamma"], 2) == 15.45


def test_fit_clv_params_and_lazy_export(model: CLVModel) -> None:
    assert set(model.params) == {"r", "alpha", "a", "b", "p", "q", "gamma"}
    assert significant(model.params["r"]) == 0.243
    assert round(model.params["gamma"], 2) == 15.45
    assert model.n_persons == 2357 and model.n_repeat_persons == 946


def test_import_growthlens_stays_light() -> None:
    code = (
        "import sys, growthlens\n"
        "assert 'scipy' not in sys.modules and 'numpy' not in sys.modules, 'heavy import'\n"
        "assert callable(growthlens.fit_clv) and 'fit_clv' in growthlens.__all__\n"
        "assert 'scipy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_predictions_match_lifetimes_formulas(cdnow: pd.DataFrame, model: CLVModel) -> None:
    """Same parameters, same numbers: p_alive, conditional expected purchases (whose
    hypergeometric term growthlens evaluates in its Euler-transformed form) and the Gamma-Gamma
    conditional mean."""
    bg = lifetimes.BetaGeoFitter()
    bg.params_ = pd.Series({k: model.params[k] for k in ("r", "alpha", "a", "b")})
    x, tx, t = (cdnow[c].to_numpy() for c in ("frequency", "recency", "t"))
    np.testing.assert_allclose(
        model.probability_alive(x, tx, t), bg.conditional_probability_alive(x, tx, t), rtol=1e-12
    )
    for horizon in (1.0, 10.0, 39.0, 520.0):
        np.testing.assert_allclose(
            model.expected_purchases(x, tx, t, horizon),
            bg.conditional_expected_number_of_purchases_up_to_time(horizon, x, tx, t),
            rtol=1e-9,
        )
    gg = lifetimes.GammaGammaFitter()
    gg.params_ = pd.Series(
        {"p": model.params["p"], "q": model.params["q"], "v": model.params["gamma"]}
    )
    m = np.linspace(5.0, 80.0, len(x)) * (x > 0)
    np.testing.assert_allclose(
        model.expected_avg_order_value(x, m),
        gg.conditional_expected_average_profit(x, m),
        rtol=1e-12,
    )


def test_fit_agrees_with_lifetimes_fitters(cdnow: pd.DataFrame, cdnow_values: pd.DataFrame) -> None:
    params, _ = fit_bgnbd(cdnow["frequency"], cdnow["recency"], cdnow["t"])
    bg = lifetimes.BetaGeoFitter().fit(
        cdnow["frequency"].to_numpy(), cdnow["recency"].to_numpy(), cdnow["t"].to_numpy()
    )
    for name in ("r", "alpha", "a", "b"):
        assert params[name] == pytest.approx(bg.params_[name], rel=1e-5)
    repeat = cdnow_values[cdnow_values["x"] > 0]
    gg = lifetimes.GammaGammaFitter().fit(repeat["x"].to_numpy(), repeat["zbar"].to_numpy())
    values, _ = fit_gamma_gamma(cdnow_values["x"], cdnow_values["zbar"])
    assert values["p"] == pytest.approx(gg.params_["p"], rel=1e-5)
    assert values["q"] == pytest.approx(gg.params_["q"], rel=1e-5)
    assert values["gamma"] == pytest.approx(gg.params_["v"], rel=1e-5)


def test_discounted_clv_matches_lifetimes_monthly_steps(cdnow: pd.DataFrame) -> None:
    """lifetimes discounts each 30-day month's purchases at its end by (1 + monthly rate)^k;
    predict with horizon 360 days, 12 steps and the equivalent daily rate does the same."""
    days = cdnow.assign(recency=cdnow["recency"] * 7, t=cdnow["t"] * 7)
    params, _ = fit_bgnbd(days["frequency"], days["recency"], days["t"])
    model = CLVModel(
        params={**params, "p": 6.25, "q": 3.74, "gamma": 15.45},
        n_persons=len(days),
        n_repeat_persons=0,
        log_likelihood_bgnbd=0.0,
        log_likelihood_gamma_gamma=0.0,
    )
    x = days["frequency"].to_numpy()
    m = np.where(x > 0, 20.0 + x, 0.0)
    rfm = days.assign(monetary_value=m, person_id=[f"c{i}" for i in range(len(days))])
    monthly = 0.01
    got = model.predict(rfm, horizon=360, discount_rate=(1 + monthly) ** (1 / 30) - 1, steps=12)
    bg = lifetimes.BetaGeoFitter()
    bg.params_ = pd.Series(params)
    bg.predict = bg.conditional_expected_number_of_purchases_up_to_time  # set by its fit()
    gg = lifetimes.GammaGammaFitter()
    gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.45})
    expected = gg.customer_lifetime_value(
        bg,
        pd.Series(x),
        pd.Series(days["recency"].to_numpy()),
        pd.Series(days["t"].to_numpy()),
        pd.Series(m),
        time=12,
        discount_rate=monthly,
        freq="D",
    )
    np.testing.assert_allclose(got["clv"].to_numpy(), np.asarray(expected), rtol=1e-9)
    assert list(got.columns) == [
        "person_id",
        "p_alive",
        "expected_purchases",
        "expected_avg_order_value",
        "clv",
    ]
    assert got["person_id"].tolist() == rfm["person_id"].tolist()
    # Undiscounted, clv is expected purchases x expected value, exactly; discounting lowers it.
    flat = model.predict(rfm, horizon=360)
    np.testing.assert_allclose(
        flat["clv"], flat["expected_purchases"] * flat["expected_avg_order_value"], rtol=1e-15
    )
    assert (got["clv"] < flat["clv"]).all()
    assert (model.predict(rfm, horizon=0)["clv"] == 0).all()


def test_parameters_are_recovered_from_simulated_customers() -> None:
    truth = {"r": 0.25, "alpha": 40.0, "a": 0.8, "b": 2.5, "p": 6.0, "q": 4.0, "gamma": 15.0}
    rng = np.random.default_rng(11)
    rfm = simulate_rfm(60_000, truth, t=rng.uniform(30.0, 365.0, 60_000), seed=12)
    fitted = growthlens.fit_clv(rfm).params
    for name, value in truth.items():
        assert fitted[name] == pytest.approx(value, rel=0.12), name
    # The simulation itself follows the model: a one-time buyer is always "alive" and a
    # repeat buyer's recency never exceeds their age.
    assert (rfm["recency"] <= rfm["t"]).all() and (
        rfm.loc[rfm["frequency"] == 0, "recency"] == 0
    ).all()


def test_fit_does_not_depend_on_row_order(cdnow: pd.DataFrame, cdnow_values: pd.DataFrame) -> None:
    # A table read back from the warehouse comes in no fixed order: `growthlens clv` and a
    # notebook fitting the same fct_rfm must get the same parameters, to the last bit.
    rfm = cdnow.merge(cdnow_values[["ID", "zbar"]], on="ID", how="left")
    rfm["monetary_value"] = rfm["zbar"].where(rfm["frequency"] > 0, 0.0).fillna(0.0)
    shuffled = rfm.sample(frac=1.0, random_state=5).reset_index(drop=True)
    assert growthlens.fit_clv(shuffled).params == growthlens.fit_clv(rfm).params


def test_degenerate_fit_still_predicts() -> None:
    """Subscription-like purchases (one every 30 days, same price) push r, alpha and p towards
    infinity; the hypergeometric series gives up there and the quadrature takes over."""
    n = 400
    rng = np.random.default_rng(3)
    t = rng.integers(31, 200, n).astype(float)
    frequency = np.floor(t / 30.0) * (rng.random(n) < 0.7)
    rfm = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": frequency * 30.0,
            "t": t,
            "monetary_value": np.where(frequency > 0, 49.0, 0.0),
        }
    )
    with pytest.warns(CLVFitWarning, match="Gamma-Gamma"):
        model = growthlens.fit_clv(rfm)
    out = model.predict(rfm, horizon=90, discount_rate=0.0003)
    assert np.isfinite(out.to_numpy(dtype=float)).all()
    assert (out["expected_purchases"] >= 0).all() and (out["p_alive"] <= 1).all()
    ordinary = CLVModel(
        params={"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4, "p": 6.0, "q": 3.7, "gamma": 15.0},
        n_persons=0,
        n_repeat_persons=0,
        log_likelihood_bgnbd=0.0,
        log_likelihood_gamma_gamma=0.0,
    )
    x = np.array([0.0, 1.0, 5.0, 30.0])
    tt = np.array([10.0, 38.0, 20.0, 39.0])
    np.testing.assert_allclose(
        ordinary._alive_purchases_by_quadrature(x, tt, 52.0),
        ordinary._alive_purchases(x, tt, 52.0),
        rtol=1e-9,
    )


@pytest.mark.parametrize(
    "frame, message",
    [
        (pd.DataFrame({"frequency": [1], "recency": [1.0], "t": [2.0]}), "monetary_value"),
        (pd.DataFrame(columns=["frequency", "recency", "t", "monetary_value"]), "empty"),
        (
            pd.DataFrame(
                {
                    "frequency": [1, 2],
                    "recency": [5.0, 1.0],
                    "t": [2.0, 3.0],
                    "monetary_value": [1.0, 2.0],
                }
            ),
            "recency <= t",
        ),
        (
            pd.DataFrame(
                {
                    "frequency": [0, 2],
                    "recency": [1.0, 1.0],
                    "t": [2.0, 3.0],
                    "monetary_value": [0.0, 2.0],
                }
            ),
            "frequency 0",
        ),
        (
            pd.DataFrame(
                {
                    "frequency": [0.5, 2],
                    "recency": [1.0, 1.0],
                    "t": [2.0, 3.0],
                    "monetary_value": [1.0, 2.0],
                }
            ),
            "whole number",
        ),
        (
            pd.DataFrame(
                {
                    "frequency": [1, 2],
                    "recency": [1.0, None],
                    "t": [2.0, 3.0],
                    "monetary_value": [1.0, 2.0],
                }
            ),
            "null",
        ),
        (
            pd.DataFrame(
                {
                    "frequency": [0, 0, 3],
                    "recency": [0.0, 0.0, 2.0],
                    "t": [2.0, 3.0, 4.0],
                    "monetary_value": [0.0, 0.0, 2.0],
                }
            ),
            "at least two",
        ),
        (
            pd.DataFrame(
                {
                    "frequency": [2, 3],
                    "recency": [1.0, 2.0],
                    "t": [2.0, 4.0],
                    "monetary_value": [0.0, 2.0],
                }
            ),
            "monetary_value must be > 0",
        ),
    ],
)
def test_unusable_input_raises_a_typed_error(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(CLVInputError, match=message) as info:
        growthlens.fit_clv(frame)
    assert isinstance(info.value, GrowthlensError) and isinstance(info.value, ValueError)


def test_q_at_most_one_has_no_average_order_value() -> None:
    model = CLVModel(
        params={"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4, "p": 6.0, "q": 0.9, "gamma": 15.0},
        n_persons=0,
        n_repeat_persons=0,
        log_likelihood_bgnbd=0.0,
        log_likelihood_gamma_gamma=0.0,
    )
    with pytest.raises(CLVFitError, match="q = 0.9"):
        model.expected_avg_order_value([1.0], [10.0])
