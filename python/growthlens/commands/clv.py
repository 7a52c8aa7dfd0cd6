"""`growthlens clv`: fit BG/NBD + Gamma-Gamma on marts.fct_rfm, write marts.fct_predicted_clv.

growthlens clv --path warehouse.duckdb --horizon-days 365 --discount-rate 0.1
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from growthlens.clv import CLVModel

TABLE = "marts.fct_predicted_clv"
DAYS_PER_YEAR = 365.0

# The written table: prediction columns after the fct_rfm summary they were made from.
_WRITE_SQL = f"""
create or replace table {TABLE} as
select
    cast(person_id as varchar) as person_id,
    cast(frequency as integer) as frequency,
    cast(recency as integer) as recency,
    cast(t as integer) as t,
    cast(monetary_value as double) as monetary_value,
    cast(p_alive as double) as p_alive,
    cast(expected_purchases as double) as expected_purchases,
    cast(expected_avg_order_value as double) as expected_avg_order_value,
    cast(clv as double) as clv,
    cast(? as integer) as horizon_days,
    cast(? as double) as annual_discount_rate,
    cast(? as double) as margin,
    cast(? as timestamp) as predicted_at
from predictions
order by person_id
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    clv = subparsers.add_parser(
        "clv",
        help="fit BG/NBD + Gamma-Gamma on marts.fct_rfm and write marts.fct_predicted_clv",
        description=(
            "Fit BG/NBD (purchases, drop-out) and Gamma-Gamma (value per purchase) by maximum "
            f"likelihood on marts.fct_rfm (days), predict each purchaser's value over the next "
            f"--horizon-days and write it to {TABLE} (replaced on every run)."
        ),
    )
    clv.add_argument("--path", default=None, help="DuckDB file (default $GROWTHLENS_DUCKDB)")
    clv.add_argument(
        "--horizon-days", type=int, default=365, help="prediction horizon in days (default 365)"
    )
    clv.add_argument(
        "--discount-rate",
        type=float,
        default=0.0,
        help="annual discount rate, e.g. 0.1 for 10%% a year (default 0: no discounting)",
    )
    clv.add_argument(
        "--margin",
        type=float,
        default=1.0,
        help="gross margin multiplied into clv, like the ltv_gross_margin var (default 1.0)",
    )
    return clv


def daily_rate(annual_rate: float) -> float:
    """The per-day rate equivalent to an annual one: (1 + annual)^(1/365) - 1.

    >>> round(daily_rate(0.1), 8)
    0.00026116
    """
    return float((1.0 + annual_rate) ** (1.0 / DAYS_PER_YEAR) - 1.0)


def predict_to_warehouse(
    path: str | os.PathLike[str] | None,
    horizon_days: int,
    annual_discount_rate: float = 0.0,
    margin: float = 1.0,
) -> tuple[CLVModel, int]:
    """Fit on marts.fct_rfm of the warehouse, write marts.fct_predicted_clv; return the fitted
    model and the number of rows written."""
    from datetime import datetime, timezone
    from pathlib import Path

    import duckdb

    from growthlens.clv import CLVInputError, fit_clv
    from growthlens.errors import MartsNotBuiltError, WarehouseNotFoundError
    from growthlens.summary import default_path

    db = Path(path) if path is not None else default_path()
    if not db.exists():
        raise WarehouseNotFoundError(
            f"no warehouse at {db}; run `make demo` or set GROWTHLENS_DUCKDB to your DuckDB file"
        )
    if horizon_days < 0:
        raise CLVInputError("--horizon-days must be >= 0")
    # Read, close, fit, then reopen to write: no lock is held while the models fit.
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = 'marts' and table_name = 'fct_rfm'"
        ).fetchone()
        if not found or found[0] == 0:
            raise MartsNotBuiltError(
                f"{db} has no marts.fct_rfm; run `dbt build --profiles-dir .` (or `make demo`)"
            )
        rfm = con.execute(
            "select person_id, frequency, recency, t, monetary_value from marts.fct_rfm"
            " order by person_id"
        ).df()
    finally:
        con.close()
    print(f"fitting BG/NBD and Gamma-Gamma on {len(rfm):,d} purchasers (time unit: days)")
    model = fit_clv(rfm)
    print("parameters: " + ", ".join(f"{k}={v:.4g}" for k, v in model.params.items()))
    predictions = model.predict(
        rfm, horizon=horizon_days, discount_rate=daily_rate(annual_discount_rate)
    )
    predictions["clv"] = predictions["clv"] * margin
    frame = rfm.join(predictions.drop(columns="person_id"))
    predicted_at = datetime.now(timezone.utc).replace(tzinfo=None)
    con = duckdb.connect(str(db))
    try:
        con.register("predictions", frame)
        con.execute("begin transaction")
        con.execute(_WRITE_SQL, [horizon_days, annual_discount_rate, margin, predicted_at])
        con.execute("commit")
        con.unregister("predictions")
    finally:
        con.close()
    print(f"wrote {len(frame):,d} rows to {TABLE} (horizon {horizon_days} days)")
    return model, len(frame)


def run(args: argparse.Namespace) -> int:
    predict_to_warehouse(args.path, args.horizon_days, args.discount_rate, args.margin)
    return 0
