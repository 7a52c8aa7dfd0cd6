"""Benchmark the predictive CLV fits (growthlens.fit_clv) on simulated purchasers.

    python bench/clv.py                          # 1 M persons, two runs
    python bench/clv.py --persons 100000 --runs 1
    python bench/clv.py --peer                   # also time lifetimes' fitters (dev extra)

Purchasers are drawn with numpy from the BG/NBD and Gamma-Gamma processes with known
parameters (growthlens.clv.simulate_rfm; ages uniform over 1-365 days), so the fit is also a
recovery check: the table lists the true and the fitted parameters. Two shapes of the same
people are timed: continuous times (every row distinct, the worst case) and whole days as
marts.fct_rfm has them (rows that share (frequency, recency, t) are weighted once). Reported:
BG/NBD fit, Gamma-Gamma fit, and the per-person predictions over 365 days, undiscounted and
discounted in 12 steps. Target: both fits on 1 M persons in seconds, not minutes.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _common import RESULTS

TRUTH = {"r": 0.25, "alpha": 40.0, "a": 0.8, "b": 2.5, "p": 6.0, "q": 4.0, "gamma": 15.0}


def timed(runs: int, step: Callable[[], Any]) -> tuple[float, Any]:
    """Median seconds of `runs` calls, and the last call's result."""
    seconds = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--peer", action="store_true", help="also time lifetimes' fitters")
    parser.add_argument("--peer-persons", type=int, default=100_000)
    args = parser.parse_args()

    import scipy.optimize  # noqa: F401  (imported once, outside the timings)

    from growthlens.clv import CLVModel, fit_bgnbd, fit_gamma_gamma, simulate_rfm

    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    continuous = simulate_rfm(
        args.persons, TRUTH, t=rng.uniform(1.0, 365.0, args.persons), seed=args.seed + 1
    )
    simulated_s = time.perf_counter() - start
    days = continuous.assign(recency=np.floor(continuous["recency"]), t=np.floor(continuous["t"]))

    lines = [
        f"### CLV fits on {args.persons:,d} simulated purchasers "
        f"(simulated in {simulated_s:.1f} s)",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, numpy "
        f"{np.__version__}; median of {args.runs} run(s). "
        f"{int((continuous['frequency'] > 0).sum()):,d} repeat purchasers feed Gamma-Gamma.",
        "",
        "| step | continuous times (s) | whole days (s) |",
        "|---|---:|---:|",
    ]
    fitted: dict[str, dict[str, float]] = {}
    cells: dict[str, list[str]] = {}
    for shape, rfm in (("continuous", continuous), ("days", days)):
        x, tx, t, m = (rfm[c].to_numpy() for c in ("frequency", "recency", "t", "monetary_value"))
        bg_s, (bg, _) = timed(args.runs, lambda x=x, tx=tx, t=t: fit_bgnbd(x, tx, t))
        gg_s, (gg, _) = timed(args.runs, lambda x=x, m=m: fit_gamma_gamma(x, m))
        model = CLVModel({**bg, **gg}, len(rfm), int((x > 0).sum()), 0.0, 0.0)
        flat_s, _ = timed(args.runs, lambda model=model, rfm=rfm: model.predict(rfm, 365.0))
        discounted_s, _ = timed(
            args.runs, lambda model=model, rfm=rfm: model.predict(rfm, 365.0, 0.0003, steps=12)
        )
        fitted[shape] = model.params
        for label, seconds in (
            ("BG/NBD fit", bg_s),
            ("Gamma-Gamma fit", gg_s),
            ("both fits", bg_s + gg_s),
            ("predict 365 days", flat_s),
            ("predict 365 days, discounted (12 steps)", discounted_s),
        ):
            cells.setdefault(label, []).append(f"{seconds:.2f}")
    lines += [f"| {label} | {' | '.join(values)} |" for label, values in cells.items()]

    if args.peer:
        from lifetimes import BetaGeoFitter, GammaGammaFitter

        n = min(args.peer_persons, args.persons)
        part = days.iloc[:n]
        x, tx, t, m = (part[c].to_numpy() for c in ("frequency", "recency", "t", "monetary_value"))
        repeat = x > 0
        peer_bg, _ = timed(1, lambda: BetaGeoFitter().fit(x, tx, t))
        peer_gg, _ = timed(1, lambda: GammaGammaFitter().fit(x[repeat], m[repeat]))
        ours_bg, _ = timed(1, lambda: fit_bgnbd(x, tx, t))
        ours_gg, _ = timed(1, lambda: fit_gamma_gamma(x, m))
        lines += [
            "",
            f"On the first {n:,d} persons (whole days), the `lifetimes` fitters take "
            f"{peer_bg:.2f} s (BG/NBD) and {peer_gg:.2f} s (Gamma-Gamma); growthlens "
            f"{ours_bg:.2f} s and {ours_gg:.2f} s.",
        ]

    lines += ["", "| parameter | true | fitted (continuous) | fitted (whole days) |"]
    lines += ["|---|---:|---:|---:|"]
    for name, value in TRUTH.items():
        continuous_value, days_value = fitted["continuous"][name], fitted["days"][name]
        lines.append(f"| {name} | {value:g} | {continuous_value:.4g} | {days_value:.4g} |")
    lines += [
        "",
        "Whole days (recency and age rounded down, as fct_rfm counts them) shift the BG/NBD fit",
        "a little; the continuous fit is the recovery check.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = Path(RESULTS) / f"clv_{args.persons}.md"
    out.write_text(text)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
