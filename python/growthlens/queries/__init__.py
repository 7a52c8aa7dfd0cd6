"""SQL of the library's questions, built as sqlglot expressions and rendered per dialect.

Nothing a caller passes (event names, property keys and values, column names, dates) is pasted
into SQL text: values become literals and names become quoted identifiers through sqlglot, and
`by` columns are checked against `dim_persons` before a query is built.

>>> from growthlens.queries import FunnelStep, funnel_query
>>> sql = funnel_query([FunnelStep("signed_up"), FunnelStep("workflow_saved")], 86400.0)
>>> sql.sql("duckdb").startswith("WITH matched AS")
True
"""

from __future__ import annotations

from growthlens.queries._build import (
    ATTRIBUTION_MODELS,
    DIALECTS,
    GRAINS,
    LTV_DAYS,
    FunnelStep,
    activation_query,
    attribution_query,
    check_dialect,
    events_query,
    funnel_query,
    growth_accounting_query,
    ltv_query,
    normalize_event_name,
    parse_steps,
    parse_window,
    retention_query,
    table,
)

__all__ = [
    "ATTRIBUTION_MODELS",
    "DIALECTS",
    "GRAINS",
    "LTV_DAYS",
    "FunnelStep",
    "check_dialect",
    "activation_query",
    "attribution_query",
    "events_query",
    "funnel_query",
    "growth_accounting_query",
    "ltv_query",
    "normalize_event_name",
    "parse_steps",
    "parse_window",
    "retention_query",
    "table",
]
