"""Predictive customer lifetime value: BG/NBD and Gamma-Gamma, fitted by maximum likelihood.

The input is an RFM summary, one row per purchaser, like ``marts.fct_rfm``:

- ``frequency``: repeat purchase periods (distinct purchase dates - 1);
- ``recency``: time from the first to the last purchase;
- ``t``: time from the first purchase to the end of observation;
- ``monetary_value``: mean value of the repeat purchases (0 when frequency = 0).

Time is in whatever unit the summary uses, and every result follows it: ``fct_rfm`` is in
days, so fitted on it ``alpha`` is in days and a ``horizon`` of 90 means 90 days (fitted on the
same data in weeks, ``alpha`` is 7 times smaller and a horizon of 90 means 90 weeks).

BG/NBD (purchases while alive, drop-out after each purchase) has parameters ``r, alpha``
(gamma-distributed purchase rates) and ``a, b`` (beta-distributed drop-out probabilities);
Gamma-Gamma (value per purchase) has ``p, q, gamma`` and is fitted on the rows with
frequency > 0. Both likelihoods are closed-form and fitted with scipy's L-BFGS-B on the log
of the parameters with exact gradients; rows that share their values are weighted once.

>>> import pandas as pd, growthlens
>>> rfm = pd.DataFrame({"frequency": [0, 2, 5], "recency": [0.0, 30.4, 35.0],
...                     "t": [38.9, 38.9, 38.9], "monetary_value": [0.0, 22.4, 30.1]})
>>> model = growthlens.fit_clv(rfm)  # doctest: +SKIP
>>> sorted(model.params)  # doctest: +SKIP
['a', 'alpha', 'b', 'gamma', 'p', 'q', 'r']
>>> model.predict(rfm, horizon=12).columns.tolist()  # doctest: +SKIP
['p_alive', 'expected_purchases', 'expected_avg_order_value', 'clv']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from growthlens.errors import GrowthlensError, InvalidArgumentError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CLVFitError",
    "CLVFitWarning",
    "CLVInputError",
    "CLVModel",
    "fit_bgnbd",
    "fit_clv",
    "fit_gamma_gamma",
    "simulate_rfm",
]

RFM_COLUMNS = ("frequency", "recency", "t", "monetary_value")
PREDICTION_COLUMNS = ("p_alive", "expected_purchases", "expected_avg_order_value", "clv")


class CLVInputError(InvalidArgumentError):
    """The RFM summary given to the CLV models is unusable (missing columns, bad values)."""


class CLVFitError(GrowthlensError):
    """The maximum-likelihood fit did not converge."""


# ---------------------------------------------------------------------------------------------
# Input handling


def _column(rfm: Any, name: str) -> np.ndarray:
    try:
        values = rfm[name]
    except (KeyError, IndexError, TypeError) as exc:
        raise CLVInputError(
            f"the RFM summary has no column {name!r}; it needs {', '.join(RFM_COLUMNS)} "
            "(as marts.fct_rfm has them)"
        ) from exc
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise CLVInputError(f"column {name!r} must be one-dimensional")
    if not np.all(np.isfinite(array)):
        raise CLVInputError(f"column {name!r} has null or infinite values; drop or fill those rows")
    return array


def _check_bgnbd_inputs(x: np.ndarray, tx: np.ndarray, t: np.ndarray) -> None:
    if len(x) == 0:
        raise CLVInputError("the RFM summary is empty: there is nobody to fit (no purchases yet?)")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise CLVInputError("frequency must be a whole number >= 0 (repeat purchase periods)")
    if np.any(tx < 0) or np.any(tx > t):
        raise CLVInputError("every row needs 0 <= recency <= t (same time unit for both)")
    if np.any((x == 0) & (tx != 0)):
        raise CLVInputError("a row with frequency 0 must have recency 0")


def _check_gamma_gamma_inputs(x: np.ndarray, m: np.ndarray) -> None:
    repeat = x > 0
    if np.any(m[repeat] <= 0):
        raise CLVInputError(
            "monetary_value must be > 0 on every row with frequency > 0 (the mean repeat value)"
        )
    if int(np.sum(repeat)) < 2:
        raise CLVInputError(
            "Gamma-Gamma needs at least two persons with frequency > 0 (repeat purchasers)"
        )


def _unique_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The distinct rows of the given columns, the index of each input row among them, and how
    many input rows each distinct row stands for (hash-grouped: no sort of the rows). The
    distinct rows come in sorted order, so sums over them, and a fit, do not depend on the
    order of the input rows (a table read back from the warehouse has none)."""
    import pandas as pd

    n = len(columns[0])
    if n == 0:
        return [c[:0] for c in columns], np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    frame = pd.DataFrame({i: column for i, column in enumerate(columns)})
    inverse = frame.groupby(list(frame.columns), sort=True).ngroup().to_numpy(dtype=np.intp)
    counts = np.bincount(inverse)
    representative = np.empty(len(counts), dtype=np.intp)
    representative[inverse] = np.arange(n)
    return [column[representative] for column in columns], inverse, counts


def _dot(weights: np.ndarray, values: np.ndarray) -> float:
    """sum(weights * values) without BLAS: its worker threads spin and crawl when the cores are
    busy, and these vectors gain nothing from them."""
    return float(np.sum(weights * values))


# Fits run on log-parameters with time rescaled to a typical age of 1 and money to a typical
# value of 1, where any sensible parameter lies well inside e^-18 .. e^18. A fit that runs
# into that box is degenerate (say, every repeat purchase of a person costs exactly the same,
# which sends Gamma-Gamma's p to infinity): it stops there, with a CLVFitWarning.
LOG_BOUND = 18.0
# Within this much of the box (in log units) a parameter counts as having run into it.
EDGE_MARGIN = 2.0


class CLVFitWarning(UserWarning):
    """A fitted parameter reached the edge of its range: the data is degenerate for the model."""


def _minimize(
    objective: Any, names: tuple[str, ...], what: str, maxiter: int = 2000
) -> tuple[np.ndarray, float]:
    import warnings

    from scipy.optimize import minimize
    from threadpoolctl import threadpool_limits

    # The optimiser's own linear algebra is on 4 x 4 matrices: BLAS worker threads only spin
    # (and crawl when the cores are busy), so the fit runs them single-threaded.
    with threadpool_limits(limits=1, user_api="blas"), np.errstate(all="ignore"):
        result = minimize(
            objective,
            np.zeros(len(names)),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-LOG_BOUND, LOG_BOUND)] * len(names),
            options={"maxiter": maxiter, "ftol": 1e-15, "gtol": 1e-9, "maxcor": 20},
        )
    if not np.all(np.isfinite(result.x)) or not np.isfinite(result.fun):
        raise CLVFitError(f"the {what} fit diverged ({result.message}); check the RFM summary")
    # A parameter within EDGE_MARGIN of the bound has gone to the model's limit (e^16 times the
    # typical scale): e.g. BG/NBD's r and alpha growing together towards a Poisson rate. There
    # the log-gamma differences lose their precision, the line search stalls and the gradient
    # of the other parameters is noise, so such a fit is reported as degenerate, not failed.
    at_bound = np.abs(result.x) >= LOG_BOUND - EDGE_MARGIN
    free = ~at_bound
    # L-BFGS-B stops on a relative change in the objective as well as on the gradient; an
    # abnormal stop with a tiny gradient is a converged fit at machine precision.
    if (
        not result.success
        and not np.any(at_bound)
        and np.max(np.abs(result.jac[free]), initial=0.0) > 1e-5
    ):
        raise CLVFitError(
            f"the {what} fit did not converge ({result.message}); the data may not fit the "
            "model (too few repeat purchasers?)"
        )
    if np.any(at_bound):
        stuck = ", ".join(name for name, hit in zip(names, at_bound, strict=True) if hit)
        warnings.warn(
            f"{what}: {stuck} reached the edge of its range; the data is degenerate for this "
            "model (for Gamma-Gamma: repeat values that never vary within a person; for BG/NBD: "
            "purchases at a near-fixed rhythm), so its predictions are the model's limit",
            CLVFitWarning,
            stacklevel=3,
        )
    return np.asarray(result.x, dtype=float), float(result.fun)


# ---------------------------------------------------------------------------------------------
# BG/NBD


def _bgnbd_objective(x: np.ndarray, tx: np.ndarray, t: np.ndarray, weights: np.ndarray) -> Any:
    """Negative mean log-likelihood of BG/NBD and its gradient in log-parameters.

    Per person (Fader, Hardie & Lee 2005, eq. 6), with B the beta function,
    L = B(a, b + x) / B(a, b) * G(r + x) a^r / (G(r) (alpha + T)^(r + x))
      + [x > 0] B(a + 1, b + x - 1) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + t_x)^(r + x)).
    Terms that depend on x only are computed once per distinct x.
    """
    from scipy.special import digamma, gammaln

    ux, x_index = np.unique(x, return_inverse=True)
    x_index = x_index.reshape(-1)
    x_weight = np.bincount(x_index, weights=weights, minlength=len(ux))
    positive = x > 0
    x_pos = x[positive]
    tx_pos = tx[positive]
    w_pos = weights[positive]
    t_all = t
    total = float(np.sum(weights))

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(theta)
        # Terms of x alone.
        a1 = gammaln(r + ux) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + ux) - gammaln(b) - gammaln(a + b + ux)
        d_r_x = digamma(r + ux) - digamma(r) + np.log(alpha)
        d_a_x = digamma(a + b) - digamma(a + b + ux)
        d_b_x = digamma(a + b) + digamma(b + ux) - digamma(b) - digamma(a + b + ux)
        # Row terms: alive at T (a3) or dropped out after the last purchase (a4, x > 0 only).
        log_at = np.log(alpha + t_all)
        a3 = -(r + x) * log_at
        log_atx = np.log(alpha + tx_pos)
        a4 = np.log(a) - np.log(b + x_pos - 1.0) - (r + x_pos) * log_atx
        mix = a3.copy()
        mix[positive] = np.logaddexp(a3[positive], a4)
        w4 = np.exp(a4 - mix[positive])
        w3 = np.exp(a3 - mix)
        ll = float(_dot(x_weight, a1 + a2) + _dot(weights, mix))
        g_r = _dot(x_weight, d_r_x) - _dot(weights, w3 * log_at) - _dot(w_pos, w4 * log_atx)
        g_alpha = (
            r / alpha * total
            - _dot(weights, w3 * (r + x) / (alpha + t_all))
            - _dot(w_pos, w4 * (r + x_pos) / (alpha + tx_pos))
        )
        g_a = _dot(x_weight, d_a_x) + _dot(w_pos, w4) / a
        g_b = _dot(x_weight, d_b_x) - _dot(w_pos, w4 / (b + x_pos - 1.0))
        grad = np.array([g_r * r, g_alpha * alpha, g_a * a, g_b * b])
        return -ll / total, -grad / total

    return objective


def fit_bgnbd(
    frequency: Any, recency: Any, t: Any, *, max_iterations: int = 2000
) -> tuple[dict[str, float], float]:
    """Fit BG/NBD by maximum likelihood; return ({r, alpha, a, b}, total log-likelihood).

    >>> params, ll = fit_bgnbd([0, 2, 1, 4], [0.0, 30.4, 1.7, 20.0], [38.9, 38.9, 38.9, 30.0])
    >>> sorted(params)
    ['a', 'alpha', 'b', 'r']
    """
    x = np.asarray(frequency, dtype=float)
    tx = np.asarray(recency, dtype=float)
    tt = np.asarray(t, dtype=float)
    _check_bgnbd_inputs(x, tx, tt)
    (ux, utx, ut), _, counts = _unique_rows(x, tx, tt)
    # Time is rescaled so the typical age is 1: alpha scales with the time unit and nothing else
    # does, so the fit is the same in any unit and better conditioned in this one.
    # (Averaged over the distinct rows, so it does not depend on the order of the input rows.)
    mean_t = float(np.average(ut, weights=counts))
    scale = mean_t if mean_t > 0 else 1.0
    objective = _bgnbd_objective(ux, utx / scale, ut / scale, counts.astype(float))
    theta, nll = _minimize(objective, ("r", "alpha", "a", "b"), "BG/NBD", max_iterations)
    r, alpha, a, b = np.exp(theta)
    n = float(len(x))
    # Back in the input's time unit the density of the purchase times gains 1/scale per purchase.
    log_likelihood = -nll * n - float(np.sum(x)) * np.log(scale)
    params = {"r": float(r), "alpha": float(alpha * scale), "a": float(a), "b": float(b)}
    return params, float(log_likelihood)


# ---------------------------------------------------------------------------------------------
# Gamma-Gamma


def fit_gamma_gamma(
    frequency: Any, monetary_value: Any, *, max_iterations: int = 2000
) -> tuple[dict[str, float], float]:
    """Fit Gamma-Gamma on the rows with frequency > 0; return ({p, q, gamma}, log-likelihood).

    Per person with x repeat purchases of mean value m (Fader, Hardie & Lee 2005, "RFM and CLV"):
    L = G(p x + q) / (G(p x) G(q)) * gamma^q m^(p x - 1) x^(p x) / (gamma + m x)^(p x + q).

    >>> params, ll = fit_gamma_gamma([1, 2, 3, 1, 5], [10.0, 25.0, 14.0, 40.0, 18.0])
    >>> sorted(params)
    ['gamma', 'p', 'q']
    """
    from scipy.special import digamma, gammaln

    x_all = np.asarray(frequency, dtype=float)
    m_all = np.asarray(monetary_value, dtype=float)
    _check_gamma_gamma_inputs(x_all, m_all)
    repeat = x_all > 0
    (x, m), _, counts = _unique_rows(x_all[repeat], m_all[repeat])
    weights = counts.astype(float)
    # Values are rescaled so the typical one is 1; gamma scales with the money unit.
    scale = float(np.average(m, weights=weights))
    m = m / scale
    ux, x_index = np.unique(x, return_inverse=True)
    x_index = x_index.reshape(-1)
    x_weight = np.bincount(x_index, weights=weights, minlength=len(ux))
    log_m = np.log(m)
    log_x = np.log(x)
    xm = x * m
    sum_w = float(np.sum(weights))
    sum_x_log_xm = float(_dot(weights, x * (log_m + log_x)))
    sum_log_m = float(_dot(weights, log_m))

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, g = np.exp(theta)
        px_u = p * ux
        lg = gammaln(px_u + q) - gammaln(px_u) - gammaln(q)
        dg_pq = digamma(px_u + q)
        log_gxm = np.log(g + xm)
        ll = (
            float(_dot(x_weight, lg))
            + q * np.log(g) * sum_w
            + p * sum_x_log_xm
            - sum_log_m
            - float(_dot(weights, (p * x + q) * log_gxm))
        )
        d_p = (
            float(_dot(x_weight, ux * (dg_pq - digamma(px_u))))
            + sum_x_log_xm
            - float(_dot(weights, x * log_gxm))
        )
        d_q = (
            float(_dot(x_weight, dg_pq - digamma(q)))
            + np.log(g) * sum_w
            - float(_dot(weights, log_gxm))
        )
        d_g = q / g * sum_w - float(_dot(weights, (p * x + q) / (g + xm)))
        grad = np.array([d_p * p, d_q * q, d_g * g])
        return -ll / sum_w, -grad / sum_w

    theta, nll = _minimize(objective, ("p", "q", "gamma"), "Gamma-Gamma", max_iterations)
    p, q, g = np.exp(theta)
    # In the input's money unit the density of m gains 1/scale per person.
    log_likelihood = -nll * sum_w - sum_w * np.log(scale)
    return {"p": float(p), "q": float(q), "gamma": float(g * scale)}, float(log_likelihood)


# ---------------------------------------------------------------------------------------------
# The fitted model


@dataclass(frozen=True)
class CLVModel:
    """BG/NBD and Gamma-Gamma parameters fitted on an RFM summary, and their predictions.

    ``params`` holds ``r, alpha, a, b`` (BG/NBD) and ``p, q, gamma`` (Gamma-Gamma). Times
    (``alpha``, ``horizon``) are in the time unit of the summary the model was fitted on.
    """

    params: dict[str, float]
    n_persons: int
    n_repeat_persons: int
    log_likelihood_bgnbd: float
    log_likelihood_gamma_gamma: float

    def probability_alive(self, frequency: Any, recency: Any, t: Any) -> np.ndarray:
        """P(still active at t | frequency, recency, t): 1 for a one-time purchaser (BG/NBD
        assumes nobody drops out before a repeat purchase).

        P = 1 / (1 + [x > 0] a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x)).
        """
        from scipy.special import expit

        x, tx, tt = (np.asarray(v, dtype=float) for v in (frequency, recency, t))
        r, alpha, a, b = (self.params[k] for k in ("r", "alpha", "a", "b"))
        positive = x > 0
        log_odds = (
            np.log(a)
            - np.log(np.where(positive, b + x - 1.0, 1.0))
            + (r + x) * (np.log(alpha + tt) - np.log(alpha + tx))
        )
        return np.where(positive, expit(-log_odds), 1.0)

    def expected_purchases(
        self, frequency: Any, recency: Any, t: Any, horizon: float
    ) -> np.ndarray:
        """Expected purchases in (t, t + horizon] given the history (FHL 2005, eq. 10).

        E = (a + b + x - 1) / (a - 1) * [1 - (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1;
        a + b + x - 1; z)] * P(alive), z = horizon / (alpha + T + horizon); the hypergeometric
        term is the Euler transform of eq. 10's, which stays finite for many purchases.
        """
        x, tx, tt = (np.asarray(v, dtype=float) for v in (frequency, recency, t))
        if horizon < 0:
            raise CLVInputError("horizon must be >= 0 (in the RFM summary's time unit)")
        p_alive = self.probability_alive(x, tx, tt)
        return self._alive_purchases(x, tt, float(horizon)) * p_alive

    def _alive_purchases(self, x: np.ndarray, tt: np.ndarray, horizon: float) -> np.ndarray:
        """Expected purchases in (T, T + horizon] for a customer alive at T (depends on x, T)."""
        shape = np.broadcast(x, tt).shape
        (ux, ut), inverse, _ = _unique_rows(
            np.broadcast_to(x, shape).ravel(), np.broadcast_to(tt, shape).ravel()
        )
        return self._alive_purchases_unique(ux, ut, horizon)[inverse].reshape(shape)

    def _alive_purchases_unique(self, x: np.ndarray, tt: np.ndarray, horizon: float) -> np.ndarray:
        """_alive_purchases on rows already made distinct."""
        from scipy.special import hyp2f1

        if horizon == 0 or len(x) == 0:
            return np.zeros(len(x))
        r, alpha, a, b = (self.params[k] for k in ("r", "alpha", "a", "b"))
        # a = 1 makes (a - 1) vanish in numerator and denominator: step just off it.
        if abs(a - 1.0) < 1e-7:
            a = 1.0 + 1e-7
        z = horizon / (alpha + tt + horizon)
        c = a + b + x - 1.0
        with np.errstate(all="ignore"):
            hyp = hyp2f1(a + b - 1.0 - r, a - 1.0, c, z)
            values = c / (a - 1.0) * (1.0 - np.exp((a - 1.0) * np.log1p(-z)) * hyp)
        # Far from the usual parameters (a nearly deterministic purchase rate: r and alpha both
        # huge) the hypergeometric series fails; integrate over the drop-out probability instead.
        bad = ~np.isfinite(values) | (values < 0)
        if np.any(bad):
            values[bad] = self._alive_purchases_by_quadrature(x[bad], tt[bad], horizon)
        return values

    def _alive_purchases_by_quadrature(
        self, x: np.ndarray, tt: np.ndarray, horizon: float, nodes: int = 64
    ) -> np.ndarray:
        """The same expectation as an integral over the posterior of an alive customer:
        p ~ Beta(a, b + x), lambda ~ Gamma(r + x, alpha + T), and purchases in (T, T + h] are
        (1 - exp(-lambda p h)) / p, whose lambda-mean is (1 - (1 + p h / (alpha + T))^-(r + x)) / p.
        Gauss-Jacobi nodes carry the beta weight exactly."""
        from scipy.special import roots_jacobi

        r, alpha, a, b = (self.params[k] for k in ("r", "alpha", "a", "b"))
        out = np.empty(len(x))
        for value in np.unique(x):
            rows = x == value
            u, w = roots_jacobi(nodes, b + value - 1.0, a - 1.0)
            p = (1.0 + u) / 2.0
            ratio = horizon / (alpha + tt[rows])
            inner = -np.expm1(-(r + value) * np.log1p(np.outer(ratio, p))) / p
            out[rows] = inner @ w / np.sum(w)
        return out

    def expected_avg_order_value(self, frequency: Any, monetary_value: Any) -> np.ndarray:
        """Expected value per future purchase given the history (Gamma-Gamma):
        p (gamma + x m) / (p x + q - 1); for frequency 0 the population mean p gamma / (q - 1).
        """
        x = np.asarray(frequency, dtype=float)
        m = np.where(x > 0, np.asarray(monetary_value, dtype=float), 0.0)
        p, q, g = (self.params[k] for k in ("p", "q", "gamma"))
        if q <= 1:
            raise CLVFitError(
                f"Gamma-Gamma q = {q:.3g} <= 1: the mean value per purchase is unbounded, so no "
                "average order value can be predicted"
            )
        return p * (g + x * m) / (p * x + q - 1.0)

    def predict(
        self,
        rfm: pd.DataFrame,
        horizon: float,
        discount_rate: float = 0.0,
        steps: int = 12,
    ) -> pd.DataFrame:
        """Per person: p_alive, expected_purchases over the next `horizon`, expected_avg_order_value
        and clv (expected purchases x expected value, discounted).

        `horizon` and `discount_rate` are in the summary's time unit (days for fct_rfm):
        `discount_rate` is the rate per unit of time, applied to the purchases expected in each
        of `steps` equal slices of the horizon at the slice's end, so clv =
        sum_k value * (E[purchases by t_k] - E[purchases by t_(k-1)]) / (1 + discount_rate)^t_k.
        With discount_rate 0, clv = expected_purchases * expected_avg_order_value exactly.
        `person_id` is kept when the summary has it; the index is the summary's.

        >>> model.predict(rfm, horizon=90, discount_rate=0.0003)  # doctest: +SKIP
                  person_id  p_alive  expected_purchases  expected_avg_order_value     clv
        0  757ac941d8af...    1.000               0.412                     61.20   25.19
        """
        import pandas as pd

        x = _column(rfm, "frequency")
        tx = _column(rfm, "recency")
        tt = _column(rfm, "t")
        m = _column(rfm, "monetary_value")
        if len(x):
            _check_bgnbd_inputs(x, tx, tt)
        if discount_rate <= -1:
            raise CLVInputError("discount_rate must be > -1 (a rate per unit of time, e.g. 0.0003)")
        if steps < 1:
            raise CLVInputError("steps must be >= 1")
        p_alive = self.probability_alive(x, tx, tt)
        aov = self.expected_avg_order_value(x, m)
        # Expected purchases depend on (frequency, t) only: computed once per distinct pair.
        (ux, ut), inverse, _ = _unique_rows(x, tt)

        def purchases_by(time: float) -> np.ndarray:
            return self._alive_purchases_unique(ux, ut, time)[inverse] * p_alive

        purchases = purchases_by(float(horizon))
        if discount_rate == 0 or horizon == 0:
            clv = purchases * aov
        else:
            discounted = np.zeros_like(purchases)
            previous = np.zeros_like(purchases)
            for k in range(1, steps + 1):
                t_k = float(horizon) * k / steps
                cumulative = purchases if k == steps else purchases_by(t_k)
                discounted += (cumulative - previous) / (1.0 + discount_rate) ** t_k
                previous = cumulative
            clv = discounted * aov
        out = pd.DataFrame(
            {
                "p_alive": p_alive,
                "expected_purchases": purchases,
                "expected_avg_order_value": aov,
                "clv": clv,
            },
            index=getattr(rfm, "index", None),
        )
        if "person_id" in getattr(rfm, "columns", ()):
            out.insert(0, "person_id", np.asarray(rfm["person_id"]))
        return out


def fit_clv(rfm: pd.DataFrame, *, max_iterations: int = 2000) -> CLVModel:
    """Fit BG/NBD (all rows) and Gamma-Gamma (rows with frequency > 0) on an RFM summary.

    `rfm` has columns frequency, recency, t, monetary_value in any one time unit (fct_rfm: days);
    the fitted `alpha` and every horizon given to `predict` are in that unit. `max_iterations`
    bounds each optimiser run (a fit that has not converged by then raises CLVFitError).

    >>> model = fit_clv(warehouse.sql("select * from marts.fct_rfm"))  # doctest: +SKIP
    >>> model.params  # doctest: +SKIP
    {'r': 0.24, 'alpha': 30.9, 'a': 0.79, 'b': 2.43, 'p': 6.25, 'q': 3.74, 'gamma': 15.4}
    """
    x = _column(rfm, "frequency")
    tx = _column(rfm, "recency")
    tt = _column(rfm, "t")
    m = _column(rfm, "monetary_value")
    # Every input check before any fitting, so a bad summary fails fast and says why.
    _check_bgnbd_inputs(x, tx, tt)
    _check_gamma_gamma_inputs(x, m)
    bgnbd, ll_bgnbd = fit_bgnbd(x, tx, tt, max_iterations=max_iterations)
    gamma_gamma, ll_gg = fit_gamma_gamma(x, m, max_iterations=max_iterations)
    return CLVModel(
        params={**bgnbd, **gamma_gamma},
        n_persons=len(x),
        n_repeat_persons=int(np.sum(x > 0)),
        log_likelihood_bgnbd=ll_bgnbd,
        log_likelihood_gamma_gamma=ll_gg,
    )


def simulate_rfm(
    n: int,
    params: dict[str, float],
    t: Any = 365.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Draw an RFM summary of `n` persons from the BG/NBD and Gamma-Gamma processes with the
    given parameters: benchmarks and parameter-recovery checks.

    Each person gets a purchase rate lambda ~ Gamma(r, rate alpha) and a drop-out probability
    p ~ Beta(a, b); after each repeat purchase they leave with probability p, so they make
    K ~ Geometric(p) repeat purchases at most, of the N ~ Poisson(lambda T) their process offers
    within their age T (`t`: a number, or one per person). The x-th of N uniform arrivals in
    (0, T] sits at T * Beta(x, N - x + 1). Values per purchase are Gamma(p, rate nu) with
    nu ~ Gamma(q, rate gamma); monetary_value is the mean of the x repeat purchases.

    >>> rfm = simulate_rfm(1000, {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.4,
    ...                           "p": 6.0, "q": 3.8, "gamma": 15.0}, t=39.0)
    >>> rfm.columns.tolist()
    ['frequency', 'recency', 't', 'monetary_value']
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    ages = np.broadcast_to(np.asarray(t, dtype=float), (n,)).copy()
    rate = rng.gamma(params["r"], 1.0 / params["alpha"], n)
    drop = rng.beta(params["a"], params["b"], n)
    # numpy's geometric counts trials up to the first success: the purchase after which they leave.
    most = rng.geometric(np.clip(drop, 1e-12, 1.0))
    offered = rng.poisson(rate * ages)
    x = np.minimum(most, offered)
    buyers = x > 0
    recency = np.zeros(n)
    recency[buyers] = ages[buyers] * rng.beta(x[buyers], offered[buyers] - x[buyers] + 1)
    nu = rng.gamma(params["q"], 1.0 / params["gamma"], n)
    monetary = np.zeros(n)
    monetary[buyers] = rng.gamma(params["p"] * x[buyers], 1.0 / nu[buyers]) / x[buyers]
    return pd.DataFrame({"frequency": x, "recency": recency, "t": ages, "monetary_value": monetary})
