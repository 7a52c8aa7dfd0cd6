"""Expression builders behind growthlens.queries (see its docstring)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp

from growthlens.errors import InvalidArgumentError

# Dialects the library renders; only DuckDB's rendering runs in the embedded warehouse.
DIALECTS: tuple[str, ...] = ("duckdb", "spark", "snowflake", "bigquery", "trino")
GRAINS: tuple[str, ...] = ("day", "week", "month")
LTV_DAYS: tuple[int, ...] = (7, 30, 90, 180, 365)
ATTRIBUTION_MODELS: tuple[str, ...] = (
    "first_touch",
    "last_touch",
    "last_non_direct",
    "linear",
    "time_decay",
    "position_based",
    "markov",
)

_WINDOW_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_WINDOW_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
# Step counts and chains are windows over the events of one person in event order.
_PERSON_HISTORY = (
    "over (partition by person_id order by event_ts, event_id"
    " rows between unbounded preceding and current row)"
)


def check_dialect(dialect: str) -> str:
    if dialect not in DIALECTS:
        raise InvalidArgumentError(
            f"unknown dialect {dialect!r}; choose one of {', '.join(DIALECTS)}"
        )
    return dialect


def table(name: str, schema: str = "marts", alias: str | None = None) -> exp.Table:
    """A warehouse table as an expression: table("dim_persons") is marts.dim_persons."""
    return exp.table_(name, db=schema, alias=alias)


def _fragment(sql: str) -> exp.Expression:
    """Parse a fixed piece of SQL written in this module (never caller input)."""
    return sqlglot.parse_one(sql, read="duckdb")


def _user_column(name: str, table_alias: str) -> exp.Column:
    """A caller-chosen column (already checked to exist), always as a quoted identifier."""
    return exp.column(name, table=table_alias, quoted=True)


def normalize_event_name(name: str) -> str:
    """Event names as the warehouse stores them (metrics.md §0).

    >>> normalize_event_name("  Signed Up! ")
    'signed_up'
    """
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def parse_window(window: str | float | dt.timedelta) -> float:
    """A funnel window in seconds (rounded to the microsecond, like the marts).

    A number is hours; text is a number and a unit (s, m, h, d, w).

    >>> parse_window("24h"), parse_window("7d"), parse_window(0.5)
    (86400.0, 604800.0, 1800.0)
    """
    if isinstance(window, dt.timedelta):
        seconds = window.total_seconds()
    elif isinstance(window, bool):
        raise InvalidArgumentError(f"window must be hours or text like '24h'; got {window!r}")
    elif isinstance(window, int | float):
        seconds = float(window) * 3600
    elif isinstance(window, str) and (match := _WINDOW_RE.match(window)):
        seconds = float(match.group(1)) * _WINDOW_UNITS[match.group(2).lower()]
    else:
        raise InvalidArgumentError(
            f"window must be hours (a number) or text like '24h', '7d', '90m'; got {window!r}"
        )
    if not seconds > 0:
        raise InvalidArgumentError(f"window must be positive; got {window!r}")
    return round(seconds, 6)


def _shown(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    return str(value)


@dataclass(frozen=True)
class FunnelStep:
    """One funnel step: a normalised event name and property filters (key, value)."""

    event: str
    properties: tuple[tuple[str, Any], ...] = field(default=())
    name: str | None = None

    @property
    def label(self) -> str:
        """The step's name in results, as agg_funnel_steps writes it."""
        if self.name is not None:
            return self.name
        if not self.properties:
            return self.event
        filters = ", ".join(f"{key} = {_shown(value)}" for key, value in self.properties)
        return f"{self.event} ({filters})"


def _property_value(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list | tuple) and all(
        item is None or isinstance(item, str | bool | int | float) for item in value
    ):
        return tuple(value)
    raise InvalidArgumentError(
        f"a property value must be text, a number, true/false, null or a list of them; "
        f"got {value!r}"
    )


def parse_steps(steps: Sequence[str | Mapping[str, Any]]) -> list[FunnelStep]:
    """Funnel steps as the `funnels` var writes them: names or {event, properties, name}.

    >>> [s.label for s in parse_steps(["Signed Up", {"event": "x", "properties": {"k": True}}])]
    ['signed_up', 'x (k = true)']
    """
    if isinstance(steps, str | bytes) or not isinstance(steps, Sequence) or not steps:
        raise InvalidArgumentError(
            "steps must be a non-empty list of event names or {event, properties} mappings"
        )
    parsed: list[FunnelStep] = []
    for index, step in enumerate(steps, start=1):
        if isinstance(step, str):
            event, properties, name = step, {}, None
        elif isinstance(step, Mapping) and isinstance(step.get("event"), str):
            event = step["event"]
            properties = step.get("properties") or {}
            name = step.get("name")
            unknown = set(step) - {"event", "properties", "name"}
            if unknown or not isinstance(properties, Mapping):
                raise InvalidArgumentError(
                    f"step {index}: write it as {{event: ..., properties: {{key: value}}}}; "
                    f"got {step!r}"
                )
        else:
            raise InvalidArgumentError(
                f"step {index} must be an event name or {{event, properties}}; got {step!r}"
            )
        normalised = normalize_event_name(event)
        if not normalised:
            raise InvalidArgumentError(f"step {index} has an empty event name: {event!r}")
        props = tuple((str(key), _property_value(value)) for key, value in properties.items())
        parsed.append(FunnelStep(normalised, props, None if name is None else str(name)))
    return parsed


def _json_path(key: str) -> exp.JSONPath:
    return exp.JSONPath(expressions=[exp.JSONPathRoot(), exp.JSONPathKey(this=key)])


def _json_text(json_expr: exp.Expression, key: str) -> exp.Expression:
    """The value at top-level `key` of a JSON text as text (strings unquoted)."""
    return exp.JSONExtractScalar(this=json_expr, expression=_json_path(key))


def _configured_text(value: Any) -> exp.Expression:
    """A property value rendered as text exactly as the data side is: written as JSON and
    read back by the same JSON extraction, so 1.50 and 1.5 compare equal as they do in dbt."""
    return _json_text(exp.Literal.string(json.dumps({"v": value})), "v")


def _step_condition(step: FunnelStep) -> exp.Expression:
    condition: exp.Expression = exp.column("event_name").eq(exp.Literal.string(step.event))
    for key, value in step.properties:
        actual = _json_text(exp.column("properties"), key)
        if value is None:
            test: exp.Expression = exp.Is(this=actual, expression=exp.Null())
        elif isinstance(value, tuple):
            test = actual.isin(*[_configured_text(item) for item in value])
        else:
            test = actual.eq(_configured_text(value))
        condition = exp.and_(condition, test)
    return exp.paren(condition)


def _micros_between(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.TimestampDiff(this=b, expression=a, unit=exp.var("MICROSECOND"))


def _seconds_between(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Div(this=_micros_between(a, b), expression=exp.Literal.number("1000000.0"))


def _median(value: exp.Expression, dialect: str) -> exp.Expression:
    """Interpolated median (quantile_cont(0.5)); BigQuery and Trino have only approximations."""
    if dialect == "spark":
        return exp.Anonymous(this="PERCENTILE", expressions=[value, exp.Literal.number("0.5")])
    if dialect in ("bigquery", "trino"):
        return exp.ApproxQuantile(this=value, quantile=exp.Literal.number("0.5"))
    if dialect == "snowflake":
        return exp.WithinGroup(
            this=exp.PercentileCont(this=exp.Literal.number("0.5")),
            expression=exp.Order(expressions=[exp.Ordered(this=value)]),
        )
    return exp.PercentileCont(this=value, expression=exp.Literal.number("0.5"))


def _timestamp(value: dt.datetime | dt.date | str) -> exp.Expression:
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        try:
            text = dt.datetime.fromisoformat(value).isoformat(sep=" ")
        except ValueError as exc:
            raise InvalidArgumentError(f"not an ISO date or timestamp: {value!r}") from exc
    else:
        raise InvalidArgumentError(f"expected a date, datetime or ISO text; got {value!r}")
    return exp.cast(exp.Literal.string(text), exp.DataType.build("timestamp"))


def _step_flag(k: int) -> str:
    return f"is_step_{k}"


def funnel_query(
    steps: Sequence[FunnelStep],
    window_seconds: float,
    by: str | None = None,
    start: dt.datetime | dt.date | str | None = None,
    end: dt.datetime | dt.date | str | None = None,
    dialect: str = "duckdb",
) -> exp.Select:
    """Persons reaching each step of an ad hoc funnel (metrics.md §4, as the funnel marts).

    Every step-1 event in [start, end) is a candidate entry; each next step is the first
    matching event strictly after the previous step's event (found through running counts
    and equi-joins, linear in a person's events); steps count while within the window of the
    entry; per person the furthest candidate wins, ties to the earliest. Rows: [by,]
    step_index, persons, median_seconds_from_previous (steps nobody reached are absent).
    """
    check_dialect(dialect)
    if not steps:
        raise InvalidArgumentError("a funnel needs at least one step")
    n = len(steps)
    window_micros = round(window_seconds * 1_000_000)
    events = sorted({step.event for step in steps})

    # The step names as a small table joined to the events (rather than `in (...)`): the join's
    # keys filter the event scan itself, so only the steps' events are read in full.
    step_names = exp.values(
        [(exp.Literal.string(e),) for e in events], alias="step_names", columns=["step_event"]
    )
    matched = (
        exp.select(
            exp.column("person_id", table="e"),
            exp.column("event_id", table="e"),
            exp.column("event_ts", table="e"),
        )
        .select(*[_step_condition(s).as_(_step_flag(k)) for k, s in enumerate(steps, 1)])
        .from_(exp.alias_(table("fct_events"), "e", table=True))
        .join(
            step_names,
            on=exp.column("event_name", table="e").eq(exp.column("step_event", table="step_names")),
            join_type="inner",
        )
    )
    # Only events from a person's first entry to their last entry + W can be matched: a narrow
    # range per person, so the window pass sorts a fraction of the step events.
    entry_filters: list[exp.Expression] = [exp.column(_step_flag(1))]
    if start is not None:
        entry_filters.append(exp.column("event_ts") >= _timestamp(start))
    if end is not None:
        entry_filters.append(exp.column("event_ts") < _timestamp(end))
    entry_bounds = (
        exp.select(
            "person_id",
            exp.Min(this=exp.column("event_ts")).as_("first_entry_at"),
            exp.Max(this=exp.column("event_ts")).as_("last_entry_at"),
        )
        .from_("matched")
        .where(exp.and_(*entry_filters))
        .group_by("person_id")
    )
    scoped = (
        exp.select(
            exp.column("person_id", table="m"),
            exp.column("event_id", table="m"),
            exp.column("event_ts", table="m"),
            *[exp.column(_step_flag(k), table="m") for k in range(1, n + 1)],
        )
        .from_(exp.alias_(exp.to_table("matched"), "m", table=True))
        .join(
            exp.alias_(exp.to_table("entry_bounds"), "e", table=True),
            on=exp.column("person_id", table="m").eq(exp.column("person_id", table="e")),
            join_type="inner",
        )
        .where(
            exp.and_(
                exp.column("event_ts", table="m") >= exp.column("first_entry_at", table="e"),
                _micros_between(
                    exp.column("last_entry_at", table="e"), exp.column("event_ts", table="m")
                )
                <= exp.Literal.number(window_micros),
            )
        )
    )
    counted = (
        exp.select("person_id", "event_id", "event_ts", *[_step_flag(k) for k in range(1, n + 1)])
        .select(
            *[
                _fragment(
                    f"sum(case when {_step_flag(k)} then 1 else 0 end) {_PERSON_HISTORY}"
                ).as_(f"step_{k}_count")
                for k in range(2, n + 1)
            ]
        )
        .from_("scoped")
        .where(exp.or_(*[exp.column(_step_flag(k)) for k in range(1, n + 1)]))
    )

    chained = exp.select(
        exp.column("person_id", table="s1"),
        exp.column("event_id", table="s1").as_("entry_event_id"),
        exp.column("event_ts", table="s1").as_("step_1_at"),
        *[
            exp.column("event_ts", table=f"s{k}").as_(f"step_{k}_candidate_at")
            for k in range(2, n + 1)
        ],
    ).from_(exp.alias_(exp.to_table("counted"), "s1", table=True))
    for k in range(2, n + 1):
        on = exp.and_(
            exp.column("person_id", table=f"s{k - 1}").eq(exp.column("person_id", table=f"s{k}")),
            exp.Add(
                this=exp.column(f"step_{k}_count", table=f"s{k - 1}"),
                expression=exp.Literal.number(1),
            ).eq(exp.column(f"step_{k}_count", table=f"s{k}")),
            exp.column(_step_flag(k), table=f"s{k}"),
        )
        chained = chained.join(
            exp.alias_(exp.to_table("counted"), f"s{k}", table=True), on=on, join_type="left"
        )
    chain_filters: list[exp.Expression] = [exp.column(_step_flag(1), table="s1")]
    if start is not None:
        chain_filters.append(exp.column("event_ts", table="s1") >= _timestamp(start))
    if end is not None:
        chain_filters.append(exp.column("event_ts", table="s1") < _timestamp(end))
    chained = chained.where(exp.and_(*chain_filters))

    windowed_steps = [
        exp.Case()
        .when(
            _micros_between(exp.column("step_1_at"), exp.column(f"step_{k}_candidate_at"))
            <= exp.Literal.number(window_micros),
            exp.column(f"step_{k}_candidate_at"),
        )
        .as_(f"step_{k}_at")
        for k in range(2, n + 1)
    ]
    windowed = exp.select("person_id", "entry_event_id", "step_1_at", *windowed_steps).from_(
        "chained"
    )
    furthest: exp.Expression = exp.Literal.number(1)
    for k in range(2, n + 1):
        furthest = exp.Add(
            this=furthest,
            expression=exp.Case()
            .when(exp.column(f"step_{k}_at").is_(exp.null()).not_(), exp.Literal.number(1))
            .else_(exp.Literal.number(0)),
        )
    scored = exp.select(
        "person_id",
        *[f"step_{k}_at" for k in range(1, n + 1)],
        furthest.as_("furthest_step"),
        _fragment(
            "row_number() over (partition by person_id order by "
            + " + ".join(
                ["1"]
                + [f"case when step_{k}_at is not null then 1 else 0 end" for k in range(2, n + 1)]
            )
            + " desc, step_1_at, entry_event_id)"
        ).as_("entry_rank"),
    ).from_("windowed")

    best = exp.select("person_id", "furthest_step", *[f"step_{k}_at" for k in range(1, n + 1)])
    best = best.from_("scored").where(exp.column("entry_rank").eq(exp.Literal.number(1)))

    by_select: list[exp.Expression] = []
    if by is not None:
        by_select = [_user_column(by, "p").as_(by, quoted=True)]
    # One row per person and step reached: the best entries times a small table of step
    # numbers, so `best` is read once (engines that don't materialise CTEs recompute each use).
    step_numbers = exp.values(
        [(exp.Literal.number(k),) for k in range(1, n + 1)],
        alias="step_numbers",
        columns=["step_index"],
    )
    seconds: exp.Expression = exp.cast(exp.null(), exp.DataType.build("double"))
    if n > 1:
        seconds = exp.Case(this=exp.column("step_index", table="step_numbers"))
        for k in range(2, n + 1):
            seconds = seconds.when(
                exp.Literal.number(k),
                _seconds_between(
                    exp.column(f"step_{k - 1}_at", table="b"),
                    exp.column(f"step_{k}_at", table="b"),
                ),
            )
    reached = (
        exp.select(
            *by_select,
            exp.column("step_index", table="step_numbers"),
            seconds.as_("seconds_from_previous"),
        )
        .from_(exp.alias_(exp.to_table("best"), "b", table=True))
        .join(step_numbers, join_type="cross")
    )
    if by is not None:
        reached = reached.join(
            exp.alias_(table("dim_persons"), "p", table=True),
            on=exp.column("person_id", table="b").eq(exp.column("person_id", table="p")),
            join_type="inner",
        )
    reached = reached.where(
        exp.column("step_index", table="step_numbers") <= exp.column("furthest_step", table="b")
    )

    group = [exp.column(by, quoted=True)] if by is not None else []
    final = (
        exp.select(
            *group,
            exp.column("step_index"),
            exp.Count(this=exp.Star()).as_("persons"),
            _median(exp.column("seconds_from_previous"), dialect).as_(
                "median_seconds_from_previous"
            ),
        )
        .from_("reached")
        .group_by(*group, exp.column("step_index"))
        .order_by(*group, exp.column("step_index"))
    )
    return (
        final.with_("matched", matched)
        .with_("entry_bounds", entry_bounds)
        .with_("scoped", scoped)
        .with_("counted", counted)
        .with_("chained", chained)
        .with_("windowed", windowed)
        .with_("scored", scored)
        .with_("best", best)
        .with_("reached", reached)
    )


def _period_start(grain: str, date: exp.Expression) -> exp.Expression:
    if grain == "day":
        return date
    truncated = exp.DateTrunc(this=date, unit=exp.Literal.string(grain.upper()))
    return exp.cast(truncated, exp.DataType.build("date"))


def _period_number(grain: str, start: exp.Expression, later: exp.Expression) -> exp.Expression:
    """Periods between two period starts (metrics.md §0: weeks are Monday starts apart / 7)."""
    if grain == "month":
        years = exp.Sub(this=exp.Year(this=later), expression=exp.Year(this=start))
        months = exp.Sub(this=exp.Month(this=later), expression=exp.Month(this=start))
        return exp.Add(
            this=exp.Mul(this=exp.Literal.number(12), expression=exp.paren(years)),
            expression=exp.paren(months),
        )
    days = exp.DateDiff(this=later, expression=start, unit=exp.var("DAY"))
    if grain == "week":
        return exp.cast(
            exp.Div(this=days, expression=exp.Literal.number(7)), exp.DataType.build("int")
        )
    return days


def retention_query(grain: str, by: str | None = None, dialect: str = "duckdb") -> exp.Select:
    """Cohort members and their activity per period, in long form (metrics.md §5).

    Two kinds of rows: per [by,] cohort_start its cohort_size (period_number null), and per
    [by,] cohort_start, period_number the persons active in it (active_persons) and those
    whose last active period it is (last_active_persons), from the sparse person × period
    activity the retention marts are built from.
    """
    check_dialect(dialect)
    if grain not in GRAINS:
        raise InvalidArgumentError(f"grain must be one of {', '.join(GRAINS)}; got {grain!r}")
    by_column = [_user_column(by, "p").as_(by, quoted=True)] if by is not None else []
    members = exp.select(
        *by_column,
        exp.column("person_id", table="c"),
        _period_start(grain, exp.column("cohort_date", table="c")).as_("cohort_start"),
    ).from_(exp.alias_(table("int_persons_cohorted", "intermediate"), "c", table=True))
    if by is not None:
        members = members.join(
            exp.alias_(table("dim_persons"), "p", table=True),
            on=exp.column("person_id", table="c").eq(exp.column("person_id", table="p")),
            join_type="inner",
        )
    by_m = [exp.column(by, table="m", quoted=True)] if by is not None else []
    activity = (
        exp.select(
            *by_m,
            exp.column("person_id", table="m"),
            exp.column("cohort_start", table="m"),
            _period_number(
                grain, exp.column("cohort_start", table="m"), exp.column("period_start", table="a")
            ).as_("period_number"),
        )
        .from_(exp.alias_(exp.to_table("members"), "m", table=True))
        .join(
            exp.alias_(table("int_person_periods_active", "intermediate"), "a", table=True),
            on=exp.column("person_id", table="m").eq(exp.column("person_id", table="a")),
            join_type="inner",
        )
        .where(
            exp.and_(
                exp.column("grain", table="a").eq(exp.Literal.string(grain)),
                exp.column("is_active", table="a"),
                exp.column("period_start", table="a") >= exp.column("cohort_start", table="m"),
            )
        )
    )
    by_plain = [exp.column(by, quoted=True)] if by is not None else []
    flagged = exp.select(
        *by_plain,
        "cohort_start",
        "period_number",
        _fragment(
            "case when period_number = max(period_number) over (partition by person_id)"
            " then 1 else 0 end"
        ).as_("is_last"),
    ).from_("activity")
    sizes = (
        exp.select(
            *by_plain,
            "cohort_start",
            exp.cast(exp.null(), exp.DataType.build("int")).as_("period_number"),
            exp.Count(this=exp.Star()).as_("cohort_size"),
            exp.cast(exp.null(), exp.DataType.build("bigint")).as_("active_persons"),
            exp.cast(exp.null(), exp.DataType.build("bigint")).as_("last_active_persons"),
        )
        .from_("members")
        .group_by(*by_plain, "cohort_start")
    )
    counts = (
        exp.select(
            *by_plain,
            "cohort_start",
            "period_number",
            exp.cast(exp.null(), exp.DataType.build("bigint")).as_("cohort_size"),
            exp.Count(this=exp.Star()).as_("active_persons"),
            exp.Sum(this=exp.column("is_last")).as_("last_active_persons"),
        )
        .from_("flagged")
        .group_by(*by_plain, "cohort_start", "period_number")
    )
    return (
        exp.select("*")
        .from_(exp.union(sizes, counts, distinct=False).subquery("cells"))
        .with_("members", members)
        .with_("activity", activity)
        .with_("flagged", flagged)
    )


def activation_query(by: str | None = None, dialect: str = "duckdb") -> exp.Select:
    """Signups, activation within the window and time-to-value buckets, [per `by`]."""
    check_dialect(dialect)
    by_column = [_user_column(by, "p").as_(by, quoted=True)] if by is not None else []

    def count_when(condition: str) -> exp.Expression:
        return _fragment(f"count(case when {condition} then 1 end)")

    query = exp.select(
        *by_column,
        exp.Count(this=exp.Star()).as_("signups"),
        count_when("a.is_window_complete").as_("signups_window_complete"),
        count_when("a.is_window_complete and a.is_activated").as_("activated"),
        _median(_fragment("case when a.is_activated then a.hours_to_activation end"), dialect).as_(
            "median_hours_to_activation"
        ),
        *[
            count_when(f"a.time_to_value_bucket = '{bucket}'").as_(f"n_{bucket}")
            for bucket in ("within_window", "within_3_days", "later", "never")
        ],
    ).from_(exp.alias_(table("fct_activation"), "a", table=True))
    if by is not None:
        query = query.join(
            exp.alias_(table("dim_persons"), "p", table=True),
            on=exp.column("person_id", table="a").eq(exp.column("person_id", table="p")),
            join_type="inner",
        )
        query = query.group_by(exp.column(by, table="p", quoted=True)).order_by(
            exp.column(by, table="p", quoted=True)
        )
    return query


def growth_accounting_query(grain: str, dialect: str = "duckdb") -> exp.Select:
    check_dialect(dialect)
    if grain not in ("week", "month"):
        raise InvalidArgumentError(f"grain must be 'week' or 'month'; got {grain!r}")
    return (
        exp.select(
            "period_start", "active", "new", "retained", "resurrected", "churned", "quick_ratio"
        )
        .from_(table("fct_growth_accounting"))
        .where(exp.column("grain").eq(exp.Literal.string(grain)))
        .order_by("period_start")
    )


def attribution_query(
    model: str | None, by: str, by_is_person_column: bool, dialect: str = "duckdb"
) -> exp.Select:
    """Credited conversions and revenue per model and `by` (channel, campaign or a person
    column); channels carry spend, cac and roas from agg_channel_performance."""
    check_dialect(dialect)
    if model is not None and model not in ATTRIBUTION_MODELS:
        raise InvalidArgumentError(
            f"unknown attribution model {model!r}; choose one of {', '.join(ATTRIBUTION_MODELS)}"
        )
    if by == "channel":
        query = exp.select(
            "model", "channel", "conversions", "revenue", "spend", "cac", "roas"
        ).from_(table("agg_channel_performance"))
        if model is not None:
            query = query.where(exp.column("model").eq(exp.Literal.string(model)))
        return query.order_by("model", exp.Ordered(this=exp.column("conversions"), desc=True))
    source = exp.alias_(table("fct_attribution"), "a", table=True)
    if by == "campaign":
        key: exp.Expression = exp.column("campaign", table="a")
        query = exp.select(exp.column("model", table="a"), key.as_("campaign")).from_(source)
    elif by_is_person_column:
        key = exp.column(by, table="p", quoted=True)
        query = (
            exp.select(exp.column("model", table="a"), key.as_(by, quoted=True))
            .from_(source)
            .join(
                exp.alias_(table("fct_conversions"), "c", table=True),
                on=exp.column("conversion_id", table="a").eq(
                    exp.column("conversion_id", table="c")
                ),
                join_type="inner",
            )
            .join(
                exp.alias_(table("dim_persons"), "p", table=True),
                on=exp.column("person_id", table="c").eq(exp.column("person_id", table="p")),
                join_type="inner",
            )
        )
    else:
        raise InvalidArgumentError(f"attribution by {by!r} is not supported")
    query = query.select(
        exp.Sum(this=exp.column("credit", table="a")).as_("conversions"),
        exp.Sum(this=exp.column("revenue_credit", table="a")).as_("revenue"),
    )
    if model is not None:
        query = query.where(exp.column("model", table="a").eq(exp.Literal.string(model)))
    return query.group_by(exp.column("model", table="a"), key).order_by(
        exp.column("model", table="a"), exp.Ordered(this=exp.column("conversions"), desc=True)
    )


def ltv_query(by: str, days: Sequence[int], by_in_ltv: bool, dialect: str = "duckdb") -> exp.Select:
    """Persons and average revenue by day N per `by` (a fct_ltv or dim_persons column);
    averages over the persons whose day-N revenue is observable (not null)."""
    check_dialect(dialect)
    for n in days:
        if n not in LTV_DAYS:
            raise InvalidArgumentError(
                f"days must be among {', '.join(map(str, LTV_DAYS))}; got {n!r}"
            )
    key = exp.column(by, table="l" if by_in_ltv else "p", quoted=True)
    query = exp.select(key.as_(by, quoted=True), exp.Count(this=exp.Star()).as_("persons"))
    for n in days:
        value = exp.column(f"revenue_d{n}", table="l")
        query = query.select(
            exp.Count(this=value).as_(f"observed_d{n}"),
            exp.Avg(this=value).as_(f"avg_revenue_d{n}"),
        )
    query = query.from_(exp.alias_(table("fct_ltv"), "l", table=True))
    if not by_in_ltv:
        query = query.join(
            exp.alias_(table("dim_persons"), "p", table=True),
            on=exp.column("person_id", table="l").eq(exp.column("person_id", table="p")),
            join_type="inner",
        )
    return query.group_by(key).order_by(key)


def events_query(
    person_id: str | None = None,
    event_names: Sequence[str] | None = None,
    start: dt.datetime | dt.date | str | None = None,
    end: dt.datetime | dt.date | str | None = None,
    limit: int | None = None,
    dialect: str = "duckdb",
) -> exp.Select:
    """Events of marts.fct_events in event order, filtered by person, names and [start, end)."""
    check_dialect(dialect)
    query = exp.select(
        "event_id",
        "person_id",
        "session_id",
        "event_name",
        "event_ts",
        "event_date",
        "platform",
        "account_id",
        "revenue",
        "properties",
    ).from_(table("fct_events"))
    filters: list[exp.Expression] = []
    if person_id is not None:
        filters.append(exp.column("person_id").eq(exp.Literal.string(str(person_id))))
    if event_names is not None:
        names = [exp.Literal.string(normalize_event_name(n)) for n in event_names]
        filters.append(exp.column("event_name").isin(*names) if names else exp.false())
    if start is not None:
        filters.append(exp.column("event_ts") >= _timestamp(start))
    if end is not None:
        filters.append(exp.column("event_ts") < _timestamp(end))
    if filters:
        query = query.where(exp.and_(*filters))
    query = query.order_by("event_ts", "event_id")
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise InvalidArgumentError(f"limit must be a non-negative integer; got {limit!r}")
        query = query.limit(limit)
    return query
