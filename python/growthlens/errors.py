"""Typed errors whose messages tell the user what to do next."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "EmptyResultError",
    "GrowthlensError",
    "InvalidArgumentError",
    "MartsNotBuiltError",
    "ReadOnlyError",
    "UnknownColumnError",
    "UnknownEventError",
    "WarehouseBusyError",
    "WarehouseNotFoundError",
]


class GrowthlensError(Exception):
    """Base class of every error growthlens raises on purpose."""


class WarehouseNotFoundError(GrowthlensError):
    """The DuckDB file does not exist."""


class MartsNotBuiltError(GrowthlensError):
    """The warehouse exists but the marts have not been built yet."""


class WarehouseBusyError(GrowthlensError):
    """Another process (usually `dbt build`) holds the write lock on the warehouse file."""


class ReadOnlyError(GrowthlensError):
    """A statement that would write to the warehouse or reach another file (wh.sql)."""


class InvalidArgumentError(GrowthlensError, ValueError):
    """An argument has the wrong shape or value (the message says which is expected)."""


class UnknownEventError(GrowthlensError, ValueError):
    """An event name that no accepted event carries; `suggestions` are the closest known."""

    def __init__(self, event: str, suggestions: Sequence[str]) -> None:
        self.event = event
        self.suggestions = list(suggestions)
        hint = (
            f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else "; list the known ones with wh.event_names()"
        )
        super().__init__(f"no event named {event!r} in marts.fct_events{hint}")


class UnknownColumnError(GrowthlensError, ValueError):
    """A `by` column that the table it is taken from does not have."""

    def __init__(self, column: str, available: Sequence[str], table: str = "marts.dim_persons"):
        self.column = column
        self.available = list(available)
        super().__init__(
            f"{table} has no column {column!r}; choose one of: {', '.join(self.available)}"
        )


class EmptyResultError(GrowthlensError):
    """A question whose answer has no rows (no one entered the funnel, no cohort, ...)."""
