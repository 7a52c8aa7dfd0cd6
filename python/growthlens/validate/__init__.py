"""Validate raw tables against the tracking plan before they bend a funnel.

>>> from growthlens.validate import validate
>>> report = validate("warehouse.duckdb", plan="saas", out="validation")  # doctest: +SKIP
>>> report.exit_code, report.failed("error")[0].check_name  # doctest: +SKIP
(1, 'unknown_event')

The suite is generated from seeds/tracking_plan.csv (event × property: type, required,
allowed values or pattern, severity) and seeds/quality_checks.csv (checks not tied to one
event). raw.events is read in batches of `batch_rows` rows, each checked as a pandas frame by
an ephemeral Great Expectations context, and results are summed over batches; repeated ids and
daily volumes need the whole table, so DuckDB aggregates them first and the expectations run on
those small frames. Memory stays bounded by the batch size whatever the table's size.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from growthlens.validate._plan import (
    QualityCheck,
    TrackingPlan,
    default_seed_dir,
    load_checks,
    load_plan,
    normalize_name,
)

if TYPE_CHECKING:
    from growthlens.validate._suite import CheckResult

__all__ = [
    "EVENT_NAME_CONVENTION",
    "ValidationReport",
    "load_checks",
    "load_plan",
    "normalize_name",
    "validate",
]

EVENT_NAME_CONVENTION = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
CAMPAIGN_CHANNELS = ("email", "push", "in_app", "sms")
MESSAGE_TYPES = ("assigned", "sent", "delivered", "opened", "clicked", "bounced", "unsubscribed")
JSON_NUMBER_TYPES = {"number": ["number", "integer"]}


@dataclass
class ValidationReport:
    """What `validate` found: one CheckResult per check, and where the files went."""

    plan: str
    path: str
    results: list[CheckResult]
    n_events: int
    n_batches: int
    seconds: float
    files: dict[str, str] = field(default_factory=dict)

    def failed(self, severity: str | None = None) -> list[CheckResult]:
        """Checks that flagged rows, optionally of one severity."""
        return [
            r
            for r in self.results
            if not r.success and (severity is None or r.severity == severity)
        ]

    def result(self, check_name: str) -> CheckResult:
        for r in self.results:
            if r.check_name == check_name:
                return r
        raise KeyError(check_name)

    @property
    def exit_code(self) -> int:
        """1 when a check of severity `error` failed, else 0 (warnings never fail)."""
        return 1 if self.failed("error") else 0

    def summary(self) -> str:
        from growthlens.validate._report import summary_text

        return summary_text(self)


def _stream(con: Any, sql: str, batch_rows: int) -> Any:
    """Yield pandas frames of about `batch_rows` rows from a streaming query."""
    cursor = con.cursor()
    cursor.execute(sql)
    vectors = max(1, batch_rows // 2048)
    while True:
        frame = cursor.fetch_df_chunk(vectors)
        if frame is None or len(frame) == 0:
            break
        yield frame
    cursor.close()


def _fx_codes(seed_dir: Path) -> list[str]:
    import csv

    with (seed_dir / "fx_rates.csv").open(newline="", encoding="utf-8") as handle:
        return sorted({row["currency_code"].strip().upper() for row in csv.DictReader(handle)})


def validate(
    path: str | None = None,
    plan: str = "saas",
    *,
    out: str | Path | None = None,
    plan_file: str | Path | None = None,
    checks_file: str | Path | None = None,
    batch_rows: int = 250_000,
    max_clock_skew_hours: float = 24,
    min_event_date: str = "2000-01-01",
    volume_k: float = 4.0,
    volume_min_relative: float = 0.1,
    event_name_convention: str = EVENT_NAME_CONVENTION,
    memory_limit: str = "512MB",
) -> ValidationReport:
    """Check the raw tables of the DuckDB file `path` against tracking plan `plan`.

    Writes validation_result.json and validation_report.html to `out` when given.
    """
    import os

    import duckdb

    from growthlens.errors import WarehouseNotFoundError
    from growthlens.validate._sql import event_query, table_columns
    from growthlens.validate._suite import Runner

    start = time.perf_counter()
    path = path or os.environ.get("GROWTHLENS_DUCKDB", "warehouse.duckdb")
    if not Path(path).exists():
        raise WarehouseNotFoundError(
            f"{path} does not exist; simulate one with `growthlens simulate --out {path}`"
        )
    tracking_plan = load_plan(plan, plan_file)
    checks = load_checks(checks_file)
    seed_dir = Path(plan_file).parent if plan_file else default_seed_dir()
    fx_codes = _fx_codes(seed_dir if (seed_dir / "fx_rates.csv").exists() else default_seed_dir())

    runner = Runner()
    con = duckdb.connect(str(path), read_only=True)
    n_events = n_batches = 0
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute("set preserve_insertion_order = false")
        columns = table_columns(con, "raw", "events")
        if columns is None:
            raise WarehouseNotFoundError(f"{path} has no raw.events table; load events first")
        query = event_query(columns, tracking_plan, min_event_date)
        table_specs = _event_table_specs(
            checks, tracking_plan, fx_codes, max_clock_skew_hours, event_name_convention
        )
        prop_specs = _property_specs(tracking_plan, query.prop_columns)
        runner.declare(table_specs)
        for specs in prop_specs.values():
            runner.declare(specs)
        for frame in _stream(con, query.sql, batch_rows):
            n_events += len(frame)
            n_batches += 1
            runner.run("raw_events", table_specs, frame, "event_id")
            ok = frame["properties_ok"].isna() | frame["properties_ok"].astype("boolean").fillna(
                True
            )
            judged = frame.loc[ok & frame["event_key"].isin(list(prop_specs))]
            for event, sub in judged.groupby("event_key", sort=False):
                columns_needed = ["event_id"] + sorted(
                    {c for s in prop_specs[event] for c in _spec_columns(s)}
                )
                runner.run(f"event_{event}", prop_specs[event], sub[columns_needed], "event_id")
            del frame, judged
        _duplicates(con, runner, checks, "events", "event_id", "rejected_duplicate_event_id")
        _check_volume(
            con,
            runner,
            checks,
            tracking_plan,
            columns,
            min_event_date,
            max_clock_skew_hours,
            volume_k,
            volume_min_relative,
        )
        _other_tables(con, runner, checks, fx_codes, batch_rows)
    finally:
        con.close()

    report = ValidationReport(
        plan=tracking_plan.name,
        path=str(path),
        results=list(runner.results.values()),
        n_events=n_events,
        n_batches=n_batches,
        seconds=time.perf_counter() - start,
    )
    if out is not None:
        from growthlens.validate._report import write_outputs

        report.files = write_outputs(report, Path(out))
    return report


def _spec_columns(spec: Any) -> list[str]:
    return [v for k, v in spec.kwargs.items() if k in ("column", "column_A", "column_B")]


def _check_spec(checks: dict[str, QualityCheck], name: str, expectation: str, **kwargs: Any) -> Any:
    from growthlens.validate._suite import Spec

    check = checks[name]
    return Spec(name, check.severity, check.applies_to, expectation, kwargs, check.description)


def _event_table_specs(
    checks: dict[str, QualityCheck],
    plan: TrackingPlan,
    fx_codes: list[str],
    max_clock_skew_hours: float,
    convention: str,
) -> list[Any]:
    c = checks
    return [
        _check_spec(
            c, "rejected_missing_event_id", "ExpectColumnValuesToNotBeNull", column="event_id"
        ),
        _check_spec(
            c, "rejected_missing_event_name", "ExpectColumnValuesToNotBeNull", column="event_key"
        ),
        _check_spec(
            c, "rejected_missing_event_ts", "ExpectColumnValuesToNotBeNull", column="event_ts"
        ),
        _check_spec(
            c, "rejected_no_identifier", "ExpectColumnValuesToNotBeNull", column="identifier"
        ),
        _check_spec(
            c,
            "rejected_event_ts_in_future",
            "ExpectColumnValuesToBeBetween",
            column="skew_hours",
            max_value=float(max_clock_skew_hours),
        ),
        _check_spec(
            c,
            "rejected_event_ts_too_old",
            "ExpectColumnValuesToBeBetween",
            column="seconds_after_min_date",
            min_value=0,
        ),
        _check_spec(
            c,
            "malformed_event_properties",
            "ExpectColumnValuesToBeInSet",
            column="properties_ok",
            value_set=[True],
        ),
        _check_spec(
            c,
            "unknown_event_currency",
            "ExpectColumnValuesToBeInSet",
            column="currency",
            value_set=fx_codes,
        ),
        _check_spec(
            c,
            "unknown_event",
            "ExpectColumnValuesToBeInSet",
            column="event_key",
            value_set=sorted(plan.events),
        ),
        _check_spec(
            c,
            "event_name_convention",
            "ExpectColumnValuesToMatchRegex",
            column="event_name",
            regex=convention,
        ),
    ]


def _property_specs(
    plan: TrackingPlan, prop_columns: dict[str, tuple[str, str]]
) -> dict[str, list[Any]]:
    from growthlens.validate._suite import Spec

    out: dict[str, list[Any]] = {}
    for event in plan.events.values():
        specs = []
        for p in event.properties:
            type_col, value_col = prop_columns[p.name]
            what = f"{p.description} ({p.type}{', required' if p.is_required else ''})"
            if p.is_required:
                specs.append(
                    Spec(
                        f"missing_property:{p.key}",
                        p.severity,
                        "raw.events",
                        "ExpectColumnValuesToNotBeNull",
                        {"column": type_col},
                        f"{event.name} rows without {p.name}: {what}",
                    )
                )
            specs.append(
                Spec(
                    f"wrong_type:{p.key}",
                    p.severity,
                    "raw.events",
                    "ExpectColumnValuesToBeInSet",
                    {"column": type_col, "value_set": JSON_NUMBER_TYPES.get(p.type, [p.type])},
                    f"{event.name}.{p.name} not of type {p.type}",
                )
            )
            if p.allowed_values:
                specs.append(
                    Spec(
                        f"unexpected_value:{p.key}",
                        p.severity,
                        "raw.events",
                        "ExpectColumnValuesToBeInSet",
                        {"column": value_col, "value_set": list(p.allowed_values)},
                        f"{event.name}.{p.name} outside {', '.join(p.allowed_values)}",
                    )
                )
            if p.pattern:
                specs.append(
                    Spec(
                        f"pattern_mismatch:{p.key}",
                        p.severity,
                        "raw.events",
                        "ExpectColumnValuesToMatchRegex",
                        {"column": value_col, "regex": p.pattern},
                        f"{event.name}.{p.name} not matching {p.pattern}",
                    )
                )
        if specs:
            out[event.name] = specs
    return out


def _duplicates(
    con: Any, runner: Any, checks: dict[str, QualityCheck], table: str, id_column: str, name: str
) -> None:
    from growthlens.validate._sql import duplicates_query, table_columns

    columns = table_columns(con, "raw", table)
    spec = _check_spec(
        checks, name, "ExpectColumnValuesToBeBetween", column="n_copies", max_value=1
    )
    if columns is None or id_column not in columns:
        runner.declare([spec])
        return
    frame = con.cursor().execute(duplicates_query(table, id_column)).df()
    runner.run(f"duplicates_{table}", [spec], frame, "id")


def _check_volume(
    con: Any,
    runner: Any,
    checks: dict[str, QualityCheck],
    plan: TrackingPlan,
    columns: list[str],
    min_event_date: str,
    max_clock_skew_hours: float,
    k: float,
    min_relative: float,
) -> None:
    from growthlens.validate._sql import volume_query
    from growthlens.validate._suite import Spec
    from growthlens.validate._volume import volume_bands

    counts = con.cursor().execute(volume_query(columns, min_event_date, max_clock_skew_hours)).df()
    bands = volume_bands(counts, sorted(plan.events), k=k, min_relative=min_relative)
    spike = checks["volume_spike"]
    for event in plan.events.values():
        specs = [
            Spec(
                f"volume_drop:{event.name}",
                event.severity,
                "raw.events",
                "ExpectColumnPairValuesAToBeGreaterThanB",
                {"column_A": "n", "column_B": "lower", "or_equal": True},
                f"days on which {event.name} fell below its band of the four same weekdays before",
            ),
            Spec(
                f"volume_spike:{event.name}",
                spike.severity,
                "raw.events",
                "ExpectColumnPairValuesAToBeGreaterThanB",
                {"column_A": "upper", "column_B": "n", "or_equal": True},
                f"days on which {event.name} rose above its band of the four same weekdays before",
            ),
        ]
        sub = bands.loc[bands["event_key"] == event.name, ["day", "n", "lower", "upper"]].copy()
        sub["day"] = sub["day"].astype(str)
        sub["n"] = sub["n"].astype("float64")
        runner.run(f"volume_{event.name}", specs, sub, "day")


def _other_tables(
    con: Any, runner: Any, checks: dict[str, QualityCheck], fx_codes: list[str], batch_rows: int
) -> None:
    """The contracts of raw.identifies, aliases, campaigns, campaign_messages and ad_spend."""
    from growthlens.validate._sql import clean_id, col, is_json_object, table_columns, ts

    c = checks
    identifies = table_columns(con, "raw", "identifies")
    aliases = table_columns(con, "raw", "aliases")
    campaigns = table_columns(con, "raw", "campaigns")
    messages = table_columns(con, "raw", "campaign_messages")
    spend = table_columns(con, "raw", "ad_spend")
    jobs: list[tuple[str, list[Any], str | None, str]] = []

    specs = [
        _check_spec(
            c, "missing_identify_id", "ExpectColumnValuesToNotBeNull", column="identify_id"
        ),
        _check_spec(c, "identify_without_timestamp", "ExpectColumnValuesToNotBeNull", column="ts"),
        _check_spec(
            c, "identify_without_identifier", "ExpectColumnValuesToNotBeNull", column="identifier"
        ),
        _check_spec(
            c,
            "malformed_identify_traits",
            "ExpectColumnValuesToBeInSet",
            column="traits_ok",
            value_set=[True],
        ),
    ]
    sql = None
    if identifies is not None:
        cols = identifies
        sql = f"""
            select nullif(trim({col(cols, "identify_id")}), '') as identify_id,
                {ts(cols, "ts")} as ts,
                coalesce({clean_id(col(cols, "anonymous_id"))}, {clean_id(col(cols, "user_id"))})
                    as identifier,
                {is_json_object(col(cols, "traits"))} as traits_ok
            from raw.identifies"""
    jobs.append(("raw_identifies", specs, sql, "identify_id"))

    specs = [
        _check_spec(
            c, "alias_missing_id", "ExpectColumnValuesToBeInSet", column="has_ids", value_set=[True]
        )
    ]
    sql = None
    if aliases is not None:
        cols = aliases
        prev, user = clean_id(col(cols, "previous_id")), clean_id(col(cols, "user_id"))
        sql = f"""
            select coalesce({prev}, {user}, '(null)') as alias_id,
                ({prev}) is not null and ({user}) is not null as has_ids
            from raw.aliases"""
    jobs.append(("raw_aliases", specs, sql, "alias_id"))

    specs = [
        _check_spec(
            c, "campaign_missing_id", "ExpectColumnValuesToNotBeNull", column="campaign_id"
        ),
        _check_spec(
            c,
            "campaign_unknown_channel",
            "ExpectColumnValuesToBeInSet",
            column="channel",
            value_set=list(CAMPAIGN_CHANNELS),
        ),
    ]
    sql = None
    if campaigns is not None:
        cols = campaigns
        sql = f"""
            select nullif(trim({col(cols, "campaign_id")}), '') as campaign_id,
                lower(trim({col(cols, "channel")})) as channel
            from raw.campaigns"""
    jobs.append(("raw_campaigns", specs, sql, "campaign_id"))

    specs = [
        _check_spec(
            c, "message_missing_id", "ExpectColumnValuesToNotBeNull", column="message_event_id"
        ),
        _check_spec(
            c,
            "message_unknown_event_type",
            "ExpectColumnValuesToBeInSet",
            column="event_type",
            value_set=list(MESSAGE_TYPES),
        ),
        _check_spec(
            c, "message_missing_is_control", "ExpectColumnValuesToNotBeNull", column="is_control"
        ),
        _check_spec(
            c,
            "message_unknown_campaign",
            "ExpectColumnValuesToBeInSet",
            column="campaign_known",
            value_set=[True],
        ),
    ]
    sql = None
    if messages is not None:
        cols = messages
        known = "cast(null as boolean)"
        if campaigns is not None and "campaign_id" in campaigns:
            known = (
                f"{col(cols, 'campaign_id')} in "
                "(select cast(campaign_id as varchar) from raw.campaigns)"
            )
        sql = f"""
            select nullif(trim({col(cols, "message_event_id")}), '') as message_event_id,
                lower(trim({col(cols, "event_type")})) as event_type,
                {col(cols, "is_control", "boolean")} as is_control,
                {known} as campaign_known
            from raw.campaign_messages"""
    jobs.append(("raw_campaign_messages", specs, sql, "message_event_id"))

    specs = [
        _check_spec(c, "spend_missing_date", "ExpectColumnValuesToNotBeNull", column="spend_date"),
        _check_spec(c, "spend_missing_amount", "ExpectColumnValuesToNotBeNull", column="spend"),
        _check_spec(
            c,
            "unknown_spend_currency",
            "ExpectColumnValuesToBeInSet",
            column="currency",
            value_set=fx_codes,
        ),
    ]
    sql = None
    if spend is not None:
        cols = spend
        sql = f"""
            select coalesce(cast({col(cols, "spend_date", "date")} as varchar), '(null)') || ' '
                    || coalesce({col(cols, "channel")}, {col(cols, "utm_source")}, '') as spend_row,
                {col(cols, "spend_date", "date")} as spend_date,
                {col(cols, "spend", "double")} as spend,
                upper(trim({col(cols, "currency")})) as currency
            from raw.ad_spend"""
    jobs.append(("raw_ad_spend", specs, sql, "spend_row"))

    for name, specs, sql, id_column in jobs:
        if sql is None:
            runner.declare(specs)
            continue
        for frame in _stream(con, sql, batch_rows):
            runner.run(name, specs, frame, id_column)
        runner.declare(specs)
    _duplicates(con, runner, c, "identifies", "identify_id", "duplicate_identify_id")
    _duplicates(con, runner, c, "campaigns", "campaign_id", "duplicate_campaign_id")
    _duplicates(
        con, runner, c, "campaign_messages", "message_event_id", "duplicate_message_event_id"
    )
