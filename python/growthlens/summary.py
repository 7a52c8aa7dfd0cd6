"""Headline numbers of a built warehouse, printed by `growthlens summary` (and `make demo`)."""

from __future__ import annotations

import os
from pathlib import Path

from growthlens.errors import MartsNotBuiltError, WarehouseNotFoundError

__all__ = ["default_path", "headline", "print_summary"]

# Each headline: label, the mart it needs, and a query returning one number.
_HEADLINES: list[tuple[str, str, str]] = [
    ("raw events", "raw.events", "select count(*) from raw.events"),
    ("accepted events", "staging.stg_events", "select count(*) from staging.stg_events"),
    ("rejected events", "staging.rejected_events", "select count(*) from staging.rejected_events"),
    ("persons", "marts.dim_persons", "select count(*) from marts.dim_persons"),
    (
        "identified persons",
        "marts.dim_persons",
        "select count(*) from marts.dim_persons where is_identified",
    ),
    ("sessions", "marts.fct_sessions", "select count(*) from marts.fct_sessions"),
    (
        "shared devices / shared emails",
        "marts.identity_conflicts",
        "select count(*) filter (where conflict_type = 'shared_device') || ' / '"
        " || count(*) filter (where conflict_type = 'shared_email') from marts.identity_conflicts",
    ),
    (
        "persons active (lifecycle)",
        "marts.dim_persons",
        "select round(100.0 * avg(case when lifecycle_status = 'active' then 1 else 0 end), 1)"
        " || ' %' from marts.dim_persons",
    ),
    (
        "activated within window",
        "marts.fct_activation",
        "select round(100.0 * avg(case when is_activated then 1 else 0 end), 1) || ' %'"
        " from marts.fct_activation where is_window_complete",
    ),
    (
        "week-1 retention",
        "marts.fct_retention",
        "select round(100.0 * sum(active_persons) / nullif(sum(cohort_size), 0), 1) || ' %'"
        " from marts.fct_retention where grain = 'week' and period_number = 1 and is_complete",
    ),
]


def default_path() -> Path:
    """The warehouse file: $GROWTHLENS_DUCKDB, else warehouse.duckdb in the working folder."""
    return Path(os.environ.get("GROWTHLENS_DUCKDB", "warehouse.duckdb"))


def headline(path: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """Label/value pairs for the marts that exist; later marts appear once they are built.

    >>> headline("warehouse.duckdb")[0]  # doctest: +SKIP
    ('raw events', '101,234')
    """
    import duckdb

    db = Path(path) if path is not None else default_path()
    if not db.exists():
        raise WarehouseNotFoundError(
            f"no warehouse at {db}; run `make demo` or set GROWTHLENS_DUCKDB to your DuckDB file"
        )
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        if "marts.dim_persons" not in tables:
            raise MartsNotBuiltError(
                f"{db} has no marts yet; run `dbt build --profiles-dir .` (or `make demo`)"
            )
        rows: list[tuple[str, str]] = []
        for label, needs, sql in _HEADLINES:
            if needs not in tables:
                continue
            value = con.execute(sql).fetchone()
            shown = value[0] if value else None
            if isinstance(shown, int):
                shown = f"{shown:,d}"
            rows.append((label, "n/a" if shown is None else str(shown)))
        return rows
    finally:
        con.close()


def print_summary(path: str | os.PathLike[str] | None = None) -> None:
    """Print the headline numbers as a small two-column table."""
    rows = headline(path)
    width = max(len(label) for label, _ in rows)
    print("growthlens summary")
    for label, value in rows:
        print(f"  {label:<{width}}  {value:>12}")
