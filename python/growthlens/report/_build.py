"""Sections of the HTML report (see growthlens.report)."""

from __future__ import annotations

import datetime as dt
import html
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlglot import exp

from growthlens import plot
from growthlens import queries as q
from growthlens.errors import GrowthlensError
from growthlens.warehouse import Warehouse, connect

# Rows shown per mart in the tables section; aggregates smaller than this show whole.
MAX_ROWS = 50

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 1px solid #ccc; padding-top: 1rem; }
nav ul { columns: 3; } .note { color: #666; font-style: italic; }
table { border-collapse: collapse; font-size: 0.8rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: right; }
th { background: #f3f5f8; } td:first-child, th:first-child { text-align: left; }
.scroll { overflow-x: auto; } img { max-width: 100%; }
"""

# Records script errors on the page (checked by the test in headless Chromium) and builds the
# table of contents from the sections.
_SCRIPT = """
window.addEventListener('error', function (e) {
  document.body.setAttribute('data-errors', (document.body.getAttribute('data-errors') || '')
    + ' ' + e.message);
});
document.addEventListener('DOMContentLoaded', function () {
  var list = document.getElementById('toc');
  document.querySelectorAll('section[id]').forEach(function (s) {
    var item = document.createElement('li'), link = document.createElement('a');
    link.href = '#' + s.id; link.textContent = s.querySelector('h2').textContent;
    item.appendChild(link); list.appendChild(item);
  });
  document.body.setAttribute('data-rendered', String(list.children.length));
});
"""

Progress = Callable[[str], None]


def _stderr_progress(message: str) -> None:
    print(f"growthlens report: {message}", file=sys.stderr, flush=True)


def _table(frame: pd.DataFrame) -> str:
    return '<div class="scroll">' + frame.to_html(index=False, na_rep="", border=0) + "</div>"


def _rounded(frame: pd.DataFrame, digits: int) -> pd.DataFrame:
    rounded = frame.copy()
    for column in frame.select_dtypes("float").columns:
        rounded[column] = frame[column].round(digits)
    return rounded


def _image(fig: object, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{plot.to_png_base64(fig)}">'


def _section(section_id: str, title: str, body: list[str]) -> str:
    return f'<section id="{section_id}"><h2>{html.escape(title)}</h2>{"".join(body)}</section>'


def _note(text: str) -> str:
    return f'<p class="note">{html.escape(text)}</p>'


def _guarded(build: Callable[[], list[str]]) -> list[str]:
    """A section's body, or a note saying why it is missing (a mart not built yet)."""
    try:
        return build()
    except GrowthlensError as exc:
        return [_note(str(exc))]


def _funnels(wh: Warehouse) -> list[str]:
    steps = wh.sql("select * from marts.agg_funnel_steps order by funnel_name, step_index")
    if steps.empty:
        return [_note("No funnels are configured (var `funnels`).")]
    body: list[str] = []
    for name, rows in steps.groupby("funnel_name", sort=True):
        rows = rows.drop(columns="funnel_name")
        body += [f"<h3>{html.escape(str(name))}</h3>", _image(plot.funnel(rows, title=str(name)),
                 f"funnel {name}"), _table(rows)]  # fmt: skip
    return body


def _activation(wh: Warehouse) -> list[str]:
    return [_table(wh.activation()), _table(wh.activation(by="persona"))]


def _retention(wh: Warehouse) -> list[str]:
    weekly = wh.retention("week")
    monthly = wh.retention("month", mode="on_or_after", by="acquisition_channel")
    return [
        "<h3>Weekly cohorts, active in week n</h3>",
        _image(plot.retention(weekly, title="Weekly retention (return on)"), "weekly retention"),
        _table(_rounded(weekly, 3)),
        "<h3>Monthly cohorts by acquisition channel, active in month n or later</h3>",
        _table(_rounded(monthly, 3)),
    ]


def _growth(wh: Warehouse) -> list[str]:
    weekly = wh.growth_accounting("week")
    return [_image(plot.growth_accounting(weekly, title="Weekly growth accounting"), "growth"),
            _table(weekly)]  # fmt: skip


def _attribution(wh: Warehouse) -> list[str]:
    every = wh.attribution(None)
    if every.empty:
        return [_note("No conversions attributed (var `conversion_events`).")]
    return [_image(plot.attribution(every), "attribution by model"), _table(_rounded(every, 3))]


def _campaigns(wh: Warehouse) -> list[str]:
    impact = wh.campaign_impact()
    return [_table(_rounded(impact, 4)) if not impact.empty else _note("No campaigns.")]


def _ltv(wh: Warehouse) -> list[str]:
    curves = wh.ltv()
    return [_image(plot.ltv(curves), "LTV curves"), _table(_rounded(curves, 2))]


def _marts(wh: Warehouse, progress: Progress) -> list[str]:
    names = wh.sql(
        "select table_name from information_schema.tables where table_schema = 'marts'"
        " order by table_name"
    )["table_name"]
    body = []
    for name in names:
        progress(f"table marts.{name}")
        mart = q.table(str(name))
        n = int(wh.sql(exp.select("count(*) as n").from_(mart).sql("duckdb"))["n"][0])
        rows = wh.sql(exp.select("*").from_(mart).limit(MAX_ROWS).sql("duckdb"))
        shown = "all rows" if n <= MAX_ROWS else f"first {MAX_ROWS} of {n:,d} rows"
        body += [f'<h3 id="mart-{name}">marts.{html.escape(name)} ({shown})</h3>', _table(rows)]
    return body


def write_report(
    path: str | os.PathLike[str] | None,
    out: str | os.PathLike[str],
    progress: Progress | None = _stderr_progress,
) -> Path:
    """Write the report of the warehouse at `path` (default $GROWTHLENS_DUCKDB) to `out`."""
    say = progress or (lambda message: None)
    wh = connect(path)
    wh.person_columns()  # fails early, with what to run, when the marts are missing
    sections = [
        ("funnels", "Funnels", lambda: _funnels(wh)),
        ("activation", "Activation", lambda: _activation(wh)),
        ("retention", "Retention", lambda: _retention(wh)),
        ("growth", "Growth accounting", lambda: _growth(wh)),
        ("attribution", "Attribution", lambda: _attribution(wh)),
        ("campaigns", "Campaign impact", lambda: _campaigns(wh)),
        ("ltv", "Lifetime value", lambda: _ltv(wh)),
        ("marts", "Every mart", lambda: _marts(wh, say)),
    ]
    parts = []
    for section_id, title, build in sections:
        say(f"section {title.lower()}")
        parts.append(_section(section_id, title, _guarded(build)))
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    document = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>growthlens report</title>"
        f"<style>{_STYLE}</style><script>{_SCRIPT}</script></head><body>"
        f'<h1>growthlens report</h1><p class="note">{html.escape(str(wh.path))}, {stamp}</p>'
        '<nav><ul id="toc"></ul></nav>' + "".join(parts) + "</body></html>\n"
    )
    target = Path(out)
    target.write_text(document, encoding="utf-8")
    say(f"wrote {target} ({target.stat().st_size / 1024:,.0f} KiB)")
    return target
