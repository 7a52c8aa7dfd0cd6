"""Robust daily volume bands: a day is judged against the same weekday of the four weeks before.

The latest day is never judged. The band is median ± k·scale of those four counts, where
scale is the largest of 1.4826·MAD, the Poisson noise √median and `min_relative`·median (so a
very regular series doesn't flag ordinary noise). The dbt model data_quality_issues computes
the same band in SQL.

>>> import pandas as pd
>>> days = pd.date_range("2026-01-01", periods=36).date
>>> counts = pd.DataFrame({"event_key": "e", "day": days, "n": [100] * 34 + [10, 3]})
>>> band = volume_bands(counts, events=["e"])
>>> band[band.n < band.lower][["day", "n"]].to_dict("records")
[{'day': datetime.date(2026, 2, 4), 'n': 10}]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import pandas as pd

__all__ = ["WEEKS", "volume_bands"]

WEEKS = 4  # trailing same weekdays that make a band


def _median4(values: list[float]) -> float:
    return (sum(values) - max(values) - min(values)) / 2.0


def volume_bands(
    counts: pd.DataFrame,
    events: Iterable[str],
    k: float = 4.0,
    min_relative: float = 0.1,
) -> pd.DataFrame:
    """Judge daily counts (columns event_key, day, n) of `events`.

    Days are those on which any event arrived; an event absent on such a day counts 0. The
    latest day is not judged (it is usually still filling: sessions running past midnight,
    late arrivals). Returns one row per event × judged day (all four earlier weekdays present)
    with columns event_key, day, n, median, lower, upper.
    """
    days = sorted(set(counts["day"]))
    judged = days[:-1]
    day_set = set(days)
    lookup = {(e, d): int(n) for e, d, n in counts[["event_key", "day", "n"]].itertuples(False)}
    rows = []
    for event in events:
        for day in judged:
            earlier = [day - dt.timedelta(days=7 * w) for w in range(1, WEEKS + 1)]
            if not all(d in day_set for d in earlier):
                continue
            history = [float(lookup.get((event, d), 0)) for d in earlier]
            median = _median4(history)
            mad = _median4([abs(x - median) for x in history])
            scale = max(1.4826 * mad, math.sqrt(median), min_relative * median)
            rows.append(
                (
                    event,
                    day,
                    lookup.get((event, day), 0),
                    median,
                    median - k * scale,
                    median + k * scale,
                )
            )
    return pd.DataFrame(rows, columns=["event_key", "day", "n", "median", "lower", "upper"])
