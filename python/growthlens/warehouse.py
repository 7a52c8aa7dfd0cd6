"""A read-only view of a built warehouse for notebooks: `growthlens.connect()`.

Every method opens its own short-lived read-only DuckDB connection and closes it before
returning, so no lock is held between calls and `dbt build` can run while a notebook is open.
Queries are sqlglot expressions (growthlens.queries); `render()` shows any of them in another
SQL dialect. The examples below show results on the saas demo warehouse (`make demo`).

>>> import growthlens
>>> wh = growthlens.connect("warehouse.duckdb")
>>> wh.funnel(["signed_up", "workflow_saved"], window="24h")
        step_name  step_index  persons  conversion_from_start  ...
0       signed_up           1      532                  1.000  ...
1  workflow_saved           2      301                  0.566  ...
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
from sqlglot import exp

from growthlens import queries as q
from growthlens.errors import (
    EmptyResultError,
    InvalidArgumentError,
    MartsNotBuiltError,
    ReadOnlyError,
    UnknownColumnError,
    UnknownEventError,
    WarehouseBusyError,
    WarehouseNotFoundError,
)

if TYPE_CHECKING:
    from growthlens.clv import CLVModel  # noqa: F401

__all__ = ["Warehouse", "connect"]

TimeLike = dt.datetime | dt.date | str
_MISSING_TABLE = re.compile(r'Table with name "?([\w.]+)"? does not exist', re.IGNORECASE)
_BUILD_HINT = "run `dbt build --profiles-dir .` from the repository (or `make demo`)"


def _default_path() -> Path:
    return Path(os.environ.get("GROWTHLENS_DUCKDB", "warehouse.duckdb"))


def connect(path: str | os.PathLike[str] | None = None, busy_timeout: float = 2.0) -> Warehouse:
    """Open the warehouse read-only (default: $GROWTHLENS_DUCKDB, else warehouse.duckdb).

    >>> wh = growthlens.connect()
    >>> wh.path
    PosixPath('warehouse.duckdb')
    """
    db = Path(path) if path is not None else _default_path()
    if not db.exists():
        raise WarehouseNotFoundError(
            f"no warehouse at {db}; run `make demo`, or set GROWTHLENS_DUCKDB to your DuckDB file"
        )
    return Warehouse(db, busy_timeout=busy_timeout)


class Warehouse:
    """Questions to the marts of one DuckDB file, answered as pandas DataFrames."""

    def __init__(self, path: str | os.PathLike[str], busy_timeout: float = 2.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout

    def __repr__(self) -> str:
        return f"Warehouse({str(self.path)!r})"

    # -- plumbing -----------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection that can't reach files outside the warehouse, closed on
        exit. While `dbt build` holds the write lock, retries for `busy_timeout` seconds."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                con = duckdb.connect(
                    str(self.path), read_only=True, config={"enable_external_access": False}
                )
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"{self.path} is being written by another process (a `dbt build`?); "
                        "try again when it has finished"
                    ) from exc
                time.sleep(0.2)
        try:
            con.execute("set enable_progress_bar = false")
            con.execute("set lock_configuration = true")
            yield con
        finally:
            con.close()

    def _frame(
        self, con: duckdb.DuckDBPyConnection, query: exp.Expression | str, params: Any = None
    ) -> pd.DataFrame:
        sql = query if isinstance(query, str) else query.sql(dialect="duckdb")
        try:
            return con.execute(sql, params).df()
        except duckdb.CatalogException as exc:
            missing = _MISSING_TABLE.search(str(exc))
            if missing:
                raise MartsNotBuiltError(
                    f"{self.path} has no table {missing.group(1)} yet; {_BUILD_HINT}"
                ) from exc
            raise

    def _run(self, query: exp.Expression | str, params: Any = None) -> pd.DataFrame:
        with self._connection() as con:
            return self._frame(con, query, params)

    def _columns(self, con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
        found = con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [name],
        ).fetchall()
        if not found:
            raise MartsNotBuiltError(f"{self.path} has no table marts.{name} yet; {_BUILD_HINT}")
        return [row[0] for row in found]

    def _check_by(self, con: duckdb.DuckDBPyConnection, by: str | None) -> str | None:
        """`by` must name a column of dim_persons (checked, never pasted into SQL)."""
        if by is None:
            return None
        columns = self._columns(con, "dim_persons")
        if not isinstance(by, str) or by not in columns:
            raise UnknownColumnError(str(by), columns)
        return by

    def person_columns(self) -> list[str]:
        """The columns `by` accepts: those of marts.dim_persons.

        >>> wh.person_columns()[:3]
        ['person_id', 'person_key', 'primary_user_id']
        """
        with self._connection() as con:
            return self._columns(con, "dim_persons")

    def event_names(self) -> list[str]:
        """Distinct (normalised) event names in marts.fct_events, most frequent first.

        >>> wh.event_names()[:2]
        ['page_viewed', 'workflow_run']
        """
        query = (
            exp.select("event_name")
            .from_(q.table("fct_events"))
            .group_by("event_name")
            .order_by(exp.Ordered(this=exp.Count(this=exp.Star()), desc=True), "event_name")
        )
        return list(self._run(query)["event_name"])

    def render(self, question: str, dialect: str = "duckdb", **kwargs: Any) -> str:
        """The SQL a question runs, in `dialect` (duckdb, spark, snowflake, bigquery, trino).

        `by` is taken as given here (not checked against a warehouse).

        >>> print(wh.render("funnel", dialect="spark", steps=["a", "b"], window="1h"))
        WITH matched AS (SELECT person_id, ...
        """
        q.check_dialect(dialect)
        if question == "funnel":
            expression: exp.Expression = q.funnel_query(
                q.parse_steps(kwargs.pop("steps")),
                q.parse_window(kwargs.pop("window", "24h")),
                dialect=dialect,
                **kwargs,
            )
        elif question == "retention":
            expression = q.retention_query(kwargs.pop("grain", "week"), dialect=dialect, **kwargs)
        elif question == "activation":
            expression = q.activation_query(dialect=dialect, **kwargs)
        elif question == "growth_accounting":
            expression = q.growth_accounting_query(kwargs.pop("grain", "month"), dialect=dialect)
        elif question == "attribution":
            by = kwargs.pop("by", "channel")
            expression = q.attribution_query(
                kwargs.pop("model", "linear"), by, by not in ("channel", "campaign"), dialect
            )
        elif question == "ltv":
            by = kwargs.pop("by", "acquisition_channel")
            expression = q.ltv_query(
                by,
                kwargs.pop("days", q.LTV_DAYS),
                by in ("acquisition_channel", "cohort_month"),
                dialect,
            )
        elif question == "events":
            expression = q.events_query(dialect=dialect, **kwargs)
        else:
            raise InvalidArgumentError(
                f"unknown question {question!r}; choose funnel, retention, activation, "
                "growth_accounting, attribution, ltv or events"
            )
        return expression.sql(dialect=dialect, pretty=True)

    # -- questions ----------------------------------------------------------------------

    def sql(
        self, query: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> pd.DataFrame:
        """Any read-only query (DuckDB SQL; `?` or `$name` parameters for values).

        Writes fail: the connection is read-only and can't reach other files.

        >>> wh.sql("select persona, count(*) as n from marts.dim_persons group by 1")
                 persona    n
        0        analyst  412
        """
        if not isinstance(query, str):
            raise InvalidArgumentError("query must be SQL text")
        try:
            return self._run(query, params)
        except (duckdb.InvalidInputException, duckdb.PermissionException) as exc:
            if "read-only" in str(exc) or isinstance(exc, duckdb.PermissionException):
                raise ReadOnlyError(
                    "wh.sql() only reads the warehouse (no writes, no other files); "
                    f"DuckDB said: {exc}"
                ) from exc
            raise

    def persons(self) -> pd.DataFrame:
        """Every person of marts.dim_persons.

        >>> wh.persons()[["person_id", "persona", "acquisition_channel"]].head(1)
                                  person_id  persona acquisition_channel
        0  0003c6d1d2b4e5f6a7b8c9d0e1f2a3b4  analyst         paid_search
        """
        return self._run(exp.select("*").from_(q.table("dim_persons")).order_by("person_id"))

    def events(
        self,
        person_id: str | None = None,
        event_names: Sequence[str] | str | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
        limit: int | None = 10_000,
    ) -> pd.DataFrame:
        """Events of marts.fct_events in event order, filtered by person, event names
        (normalised like the data) and [start, end); at most `limit` rows (None: all).

        >>> wh.events(event_names=["Signed Up"], limit=2)[["event_name", "event_ts"]]
          event_name                   event_ts
        0  signed_up 2026-01-05 08:01:12.250000
        1  signed_up 2026-01-05 09:14:40.120000
        """
        names = [event_names] if isinstance(event_names, str) else event_names
        return self._run(q.events_query(person_id, names, start, end, limit))

    def funnel(
        self,
        steps: Sequence[str | Mapping[str, Any]],
        window: str | float | dt.timedelta = "24h",
        by: str | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
    ) -> pd.DataFrame:
        """An ad hoc ordered funnel with the semantics of the funnel marts (metrics.md §4).

        `steps`: event names or {event, properties: {key: value}} (a list of values matches
        any of them, None an absent property). `window`: hours, or text like "24h", "7d".
        `start`/`end` keep entries (step-1 events) in [start, end); later steps may fall after
        `end` within the window. One row per step (and `by` value) with the columns of
        agg_funnel_steps less funnel_name.

        >>> wh.funnel(["signed_up", {"event": "workflow_saved"}], window="7d", by="persona")
                 persona       step_name  step_index  persons  conversion_from_start ...
        0        analyst       signed_up           1      120                   1.00 ...
        1        analyst  workflow_saved           2       66                   0.55 ...
        """
        parsed = q.parse_steps(steps)
        window_seconds = q.parse_window(window)
        with self._connection() as con:
            by = self._check_by(con, by)
            query = q.funnel_query(parsed, window_seconds, by, start, end)
            reached = self._frame(con, query)
            reached_steps = set(reached["step_index"]) if len(reached) else set()
            unreached = {s.event for k, s in enumerate(parsed, 1) if k not in reached_steps}
            if unreached:
                self._check_events(con, sorted(unreached))
        if reached.empty:
            window_text = f" between {start} and {end}" if start or end else ""
            raise EmptyResultError(
                f"nobody entered the funnel: no {parsed[0].label!r} event{window_text}"
            )
        return _funnel_frame(reached, parsed, by)

    def _check_events(self, con: duckdb.DuckDBPyConnection, events: list[str]) -> None:
        """Raise UnknownEventError for the first event name no accepted event carries."""
        known = set(
            self._frame(
                con,
                exp.select("event_name")
                .from_(q.table("fct_events"))
                .where(exp.column("event_name").isin(*[exp.Literal.string(e) for e in events]))
                .group_by("event_name"),
            )["event_name"]
        )
        missing = [e for e in events if e not in known]
        if missing:
            everything = self._frame(
                con, exp.select("event_name").from_(q.table("fct_events")).group_by("event_name")
            )["event_name"]
            names = [str(n) for n in everything]
            raise UnknownEventError(
                missing[0], difflib.get_close_matches(missing[0], names, n=3, cutoff=0.5)
            )

    def retention(
        self,
        grain: str = "week",
        mode: str = "on",
        by: str | None = None,
        values: str = "rate",
        complete_only: bool = False,
    ) -> pd.DataFrame:
        """A cohort × period matrix (metrics.md §5), one row per [`by` value and] cohort.

        `mode`: "on" (active in period n) or "on_or_after" (active in n or any later period).
        `values`: "rate" (share of the cohort) or "persons". Columns: [by,] cohort_start,
        cohort_size, then 0, 1, ... up to the period containing data end; with
        `complete_only`, periods not yet over are NaN.

        >>> wh.retention(grain="month", mode="on_or_after").iloc[0, :4]
        cohort_start    2026-01-01
        cohort_size            812
        0                      1.0
        1                    0.713
        """
        if mode not in ("on", "on_or_after"):
            raise InvalidArgumentError(f"mode must be 'on' or 'on_or_after'; got {mode!r}")
        if values not in ("rate", "persons"):
            raise InvalidArgumentError(f"values must be 'rate' or 'persons'; got {values!r}")
        with self._connection() as con:
            by = self._check_by(con, by)
            cells = self._frame(con, q.retention_query(grain, by))
            calendar = self._frame(
                con,
                exp.select("cohort_start", "period_number", "is_complete")
                .from_(q.table("fct_retention"))
                .where(exp.column("grain").eq(exp.Literal.string(grain))),
            )
        if cells.empty:
            raise EmptyResultError("no cohorts: marts.fct_retention has no cohort members")
        return _retention_matrix(cells, calendar, by, mode, values, complete_only)

    def activation(self, by: str | None = None) -> pd.DataFrame:
        """Signups and activation within the activation window (metrics.md §3) [per `by`].

        `activation_rate` = activated within the window / signups whose window is over.

        >>> wh.activation(by="persona")[["persona", "signups", "activation_rate"]]
                 persona  signups  activation_rate
        0        analyst      130            0.562
        """
        with self._connection() as con:
            by = self._check_by(con, by)
            frame = self._frame(con, q.activation_query(by))
        if frame.empty or int(frame["signups"].sum()) == 0:
            raise EmptyResultError(
                "no signups in marts.fct_activation; is the var `signup_event` set?"
            )
        complete = frame["signups_window_complete"].astype("float64")
        frame.insert(
            frame.columns.get_loc("activated") + 1,
            "activation_rate",
            frame["activated"] / complete.where(complete > 0),
        )
        return frame

    def growth_accounting(self, grain: str = "month") -> pd.DataFrame:
        """New, retained, resurrected, churned and quick ratio per period (metrics.md §5).

        >>> wh.growth_accounting("week").tail(1)
           period_start  active  new  retained  resurrected  churned  quick_ratio
        8    2026-03-02     790   61       650           79       88         1.59
        """
        frame = self._run(q.growth_accounting_query(grain))
        if frame.empty:
            raise EmptyResultError("marts.fct_growth_accounting has no periods")
        return frame

    def attribution(self, model: str | None = "linear", by: str = "channel") -> pd.DataFrame:
        """Credited conversions and revenue per channel, campaign or person column, for one
        attribution model (None: every model). By channel it adds spend, cac and roas.

        >>> wh.attribution("linear")[["channel", "conversions", "revenue"]].head(2)
               channel  conversions  revenue
        0  paid_search       120.5   3012.0
        1       direct        88.0   2110.0
        """
        with self._connection() as con:
            is_person_column = by not in ("channel", "campaign")
            if is_person_column:
                self._check_by(con, by)
            return self._frame(con, q.attribution_query(model, by, is_person_column))

    def campaign_impact(self) -> pd.DataFrame:
        """Holdout lift per campaign (metrics.md §7): marts.fct_campaign_impact.

        >>> wh.campaign_impact()[["campaign_id", "absolute_lift", "p_value"]]
          campaign_id  absolute_lift  p_value
        0  cmp_guide_1          0.071    0.003
        """
        return self._run(
            exp.select("*").from_(q.table("fct_campaign_impact")).order_by("campaign_id")
        )

    def ltv(
        self, by: str = "acquisition_channel", days: Sequence[int] | int = q.LTV_DAYS
    ) -> pd.DataFrame:
        """Average revenue by day N since first seen (metrics.md §8) per `by` (a fct_ltv or
        dim_persons column), over the persons whose day N is observable.

        >>> wh.ltv(days=[30, 90])
          acquisition_channel  persons  observed_d30  avg_revenue_d30  observed_d90  avg_revenue_d90
        0              direct      401           380            12.10           210            30.2
        """
        horizons = [days] if isinstance(days, int) else list(days)
        with self._connection() as con:
            ltv_columns = self._columns(con, "fct_ltv")
            in_ltv = by in ltv_columns and by != "person_id"
            if not in_ltv:
                self._check_by(con, by)
            return self._frame(con, q.ltv_query(by, horizons, in_ltv))

    def rfm(self) -> pd.DataFrame:
        """The BG/NBD summary per purchaser (marts.fct_rfm), the input of fit_clv."""
        return self._run(exp.select("*").from_(q.table("fct_rfm")).order_by("person_id"))

    def fit_clv(self, **kwargs: Any) -> CLVModel:
        """Fit BG/NBD and Gamma-Gamma on marts.fct_rfm (time in days); see growthlens.fit_clv.

        >>> model = wh.fit_clv()
        >>> sorted(model.params)
        ['a', 'alpha', 'b', 'gamma', 'p', 'q', 'r']
        """
        from growthlens.clv import fit_clv

        rfm = self.rfm()
        if rfm.empty:
            raise EmptyResultError("marts.fct_rfm has no purchasers to fit a CLV model on")
        return fit_clv(rfm, **kwargs)


def _funnel_frame(
    reached: pd.DataFrame, steps: Sequence[q.FunnelStep], by: str | None
) -> pd.DataFrame:
    """Dense steps (0 persons where nobody reached them) and the conversion ratios."""
    grid = pd.DataFrame(
        {
            "step_name": [s.label for s in steps],
            "step_index": range(1, len(steps) + 1),
        }
    )
    keys = ["step_index"]
    if by is not None:
        groups = reached.loc[reached["step_index"] == 1, [by]].drop_duplicates()
        grid = groups.merge(grid, how="cross")
        keys = [by, "step_index"]
    frame = grid.merge(reached, on=keys, how="left")
    frame["persons"] = frame["persons"].fillna(0).astype("int64")
    frame["median_seconds_from_previous"] = frame["median_seconds_from_previous"].astype("float64")
    grouped = frame.groupby(by, dropna=False, sort=False)["persons"] if by else None
    first = grouped.transform("first") if grouped is not None else frame["persons"].iloc[0]
    previous = (grouped.shift(1) if grouped is not None else frame["persons"].shift(1)).astype(
        "float64"
    )
    frame["conversion_from_start"] = frame["persons"] / pd.Series(first, index=frame.index).where(
        lambda s: s > 0
    )
    frame["conversion_from_previous"] = (frame["persons"] / previous.where(previous > 0)).where(
        frame["step_index"] > 1, 1.0
    )
    columns = [
        "step_name",
        "step_index",
        "persons",
        "conversion_from_start",
        "conversion_from_previous",
        "median_seconds_from_previous",
    ]
    return frame[([by] if by else []) + columns].reset_index(drop=True)


def _retention_matrix(
    cells: pd.DataFrame,
    calendar: pd.DataFrame,
    by: str | None,
    mode: str,
    values: str,
    complete_only: bool,
) -> pd.DataFrame:
    group = [by] if by else []
    sizes = cells.loc[cells["period_number"].isna(), [*group, "cohort_start", "cohort_size"]]
    counts = cells.loc[
        cells["period_number"].notna(),
        [*group, "cohort_start", "period_number", "active_persons", "last_active_persons"],
    ].astype({"period_number": "int64"})
    calendar = calendar.astype({"period_number": "int64"})
    grid = sizes.merge(calendar, on="cohort_start", how="inner")
    grid = grid.merge(counts, on=[*group, "cohort_start", "period_number"], how="left")
    grid[["active_persons", "last_active_persons"]] = (
        grid[["active_persons", "last_active_persons"]].fillna(0).astype("int64")
    )
    grid = grid.sort_values([*group, "cohort_start", "period_number"], ascending=True)
    # Members whose last active period is n or later are retained on or after n.
    grid["retained_on_or_after"] = (
        grid.iloc[::-1]
        .groupby([*group, "cohort_start"], dropna=False, sort=False)["last_active_persons"]
        .cumsum()
        .iloc[::-1]
    )
    measure = "active_persons" if mode == "on" else "retained_on_or_after"
    grid["value"] = grid[measure].astype("float64")
    if values == "rate":
        grid["value"] = grid["value"] / grid["cohort_size"]
    if complete_only:
        grid.loc[~grid["is_complete"].astype(bool), "value"] = float("nan")
    matrix = (
        grid.set_index([*group, "cohort_start", "cohort_size", "period_number"])["value"]
        .unstack("period_number")
        .astype("float64")
    )
    matrix.columns = [int(c) for c in matrix.columns]
    matrix.columns.name = None
    return matrix.reset_index()
