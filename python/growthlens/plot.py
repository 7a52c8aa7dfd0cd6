"""Figures for the library's results, for people who would rather look than read.

Each function takes the DataFrame a Warehouse method returns and gives back a matplotlib
Figure (not drawn on pyplot's global state, so it never opens a window; a notebook shows it
when it is the cell's value). matplotlib is imported on first use.

>>> import growthlens, growthlens.plot
>>> wh = growthlens.connect()  # doctest: +SKIP
>>> growthlens.plot.funnel(wh.funnel(["signed_up", "workflow_saved"]))  # doctest: +SKIP
<Figure size 800x450 with 1 Axes>
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

from growthlens.errors import InvalidArgumentError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["attribution", "funnel", "growth_accounting", "ltv", "retention", "to_png_base64"]

_PALETTE = ["#2f6db5", "#e07b39", "#3a9d5d", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]


def _figure(width: float = 8.0, height: float = 4.5) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidArgumentError(
            f"plot.{what} needs the DataFrame of Warehouse.{what}(); missing {', '.join(missing)}"
        )


def funnel(frame: pd.DataFrame, title: str | None = None) -> Figure:
    """Persons per step as bars, each labelled with its conversion from the previous step
    (the drop-off); with a `by` column, one bar per group and step."""
    _require(frame, ["step_name", "step_index", "persons", "conversion_from_previous"], "funnel")
    fig = _figure()
    ax = fig.add_subplot()
    extra = [c for c in frame.columns if c not in _FUNNEL_COLUMNS]
    steps = frame.drop_duplicates("step_index").sort_values("step_index")
    labels = [f"{i}. {name}" for i, name in steps[["step_index", "step_name"]].itertuples(False)]
    if not extra:
        bars = ax.bar(range(len(steps)), steps["persons"], color=_PALETTE[0])
        rates = zip(bars, steps["conversion_from_previous"], steps["step_index"], strict=True)
        for bar, rate, index in rates:
            text = f"{bar.get_height():,.0f}"
            if index > 1 and rate == rate:  # not NaN
                text += f"\n{rate:.0%} of previous\n(−{1 - rate:.0%})"
            ax.annotate(
                text,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
            )
    else:
        by = extra[0]
        groups = list(dict.fromkeys(frame[by]))
        width = 0.8 / max(len(groups), 1)
        for g, group in enumerate(groups):
            rows = frame[frame[by].isna()] if group != group else frame[frame[by] == group]
            rows = rows.sort_values("step_index")
            ax.bar(
                [i - 0.4 + width * (g + 0.5) for i in range(len(rows))],
                rows["persons"],
                width=width,
                label=str(group),
                color=_PALETTE[g % len(_PALETTE)],
            )
        ax.legend(title=by, fontsize=8)
    ax.set_xticks(range(len(steps)), labels, rotation=15, ha="right", fontsize=8)
    ax.set_ylabel("persons")
    ax.margins(y=0.25)
    ax.set_title(title or "Funnel: persons reaching each step")
    return fig


_FUNNEL_COLUMNS = {
    "step_name",
    "step_index",
    "persons",
    "conversion_from_start",
    "conversion_from_previous",
    "median_seconds_from_previous",
}


def retention(matrix: pd.DataFrame, title: str | None = None) -> Figure:
    """A cohort × period heat-map of a retention matrix (rates shown as percentages)."""
    _require(matrix, ["cohort_start", "cohort_size"], "retention")
    periods = [c for c in matrix.columns if isinstance(c, int)]
    labels_columns = [c for c in matrix.columns if c not in periods and c != "cohort_size"]
    values = matrix[periods].to_numpy(dtype=float)
    is_rate = bool((values[values == values] <= 1.0).all())
    fig = _figure(max(6.0, 0.5 * len(periods) + 3), max(3.0, 0.3 * len(matrix) + 1.5))
    ax = fig.add_subplot()
    image = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=1 if is_rate else None)
    fig.colorbar(image, ax=ax, label="share of cohort" if is_rate else "persons")
    row_labels = [
        " · ".join(str(row[c])[:10] for c in labels_columns) + f" (n={row['cohort_size']:,})"
        for _, row in matrix.iterrows()
    ]
    ax.set_yticks(range(len(matrix)), row_labels, fontsize=7)
    ax.set_xticks(range(len(periods)), [str(p) for p in periods], fontsize=7)
    ax.set_xlabel("period number")
    if len(periods) * len(matrix) <= 400:
        for r in range(values.shape[0]):
            for c in range(values.shape[1]):
                v = values[r, c]
                if v == v:
                    ax.text(
                        c,
                        r,
                        f"{v:.0%}" if is_rate else f"{v:,.0f}",
                        ha="center",
                        va="center",
                        fontsize=6,
                        color="white" if (v > 0.5 if is_rate else False) else "black",
                    )
    ax.set_title(title or "Retention by cohort")
    return fig


def growth_accounting(frame: pd.DataFrame, title: str | None = None) -> Figure:
    """New, resurrected and retained persons stacked up, churned below zero, per period."""
    _require(
        frame, ["period_start", "new", "retained", "resurrected", "churned"], "growth_accounting"
    )
    fig = _figure()
    ax = fig.add_subplot()
    x = range(len(frame))
    ax.bar(x, frame["retained"], label="retained", color=_PALETTE[0])
    ax.bar(x, frame["new"], bottom=frame["retained"], label="new", color=_PALETTE[2])
    ax.bar(
        x,
        frame["resurrected"],
        bottom=frame["retained"] + frame["new"],
        label="resurrected",
        color=_PALETTE[1],
    )
    ax.bar(x, -frame["churned"], label="churned", color=_PALETTE[3])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(
        list(x), [str(p)[:10] for p in frame["period_start"]], rotation=30, ha="right", fontsize=7
    )
    ax.set_ylabel("persons")
    ax.legend(fontsize=8)
    ax.set_title(title or "Growth accounting")
    return fig


def attribution(
    frame: pd.DataFrame, value: str = "conversions", title: str | None = None
) -> Figure:
    """Credited conversions (or revenue) per channel, one bar per attribution model."""
    _require(frame, ["model", value], "attribution")
    key = next(
        c
        for c in frame.columns
        if c not in ("model", "conversions", "revenue", "spend", "cac", "roas")
    )
    table = frame.pivot_table(index=key, columns="model", values=value, aggfunc="sum").fillna(0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    fig = _figure(9.0, 4.5)
    ax = fig.add_subplot()
    width = 0.8 / max(len(table.columns), 1)
    for m, model in enumerate(table.columns):
        ax.bar(
            [i - 0.4 + width * (m + 0.5) for i in range(len(table))],
            table[model],
            width=width,
            label=str(model),
            color=_PALETTE[m % len(_PALETTE)],
        )
    ax.set_xticks(range(len(table)), [str(i) for i in table.index], rotation=20, ha="right")
    ax.set_ylabel(value)
    ax.legend(title="model", fontsize=7)
    ax.set_title(title or f"Attributed {value} by {key} and model")
    return fig


def ltv(frame: pd.DataFrame, title: str | None = None) -> Figure:
    """Average revenue per person by day since first seen, one line per group."""
    days = sorted(int(c.removeprefix("avg_revenue_d")) for c in frame.columns
                  if c.startswith("avg_revenue_d"))  # fmt: skip
    if not days:
        raise InvalidArgumentError("plot.ltv needs the DataFrame of Warehouse.ltv()")
    key = frame.columns[0]
    fig = _figure()
    ax = fig.add_subplot()
    for g, (_, row) in enumerate(frame.iterrows()):
        ys: list[Any] = [row[f"avg_revenue_d{d}"] for d in days]
        ax.plot(days, ys, marker="o", label=str(row[key]), color=_PALETTE[g % len(_PALETTE)])
    ax.set_xlabel("days since first seen")
    ax.set_ylabel("average revenue per person")
    ax.legend(title=key, fontsize=7)
    ax.set_title(title or f"LTV curves by {key}")
    return fig


def to_png_base64(fig: Figure, dpi: int = 100) -> str:
    """The figure as base64 PNG text (for embedding in HTML)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
