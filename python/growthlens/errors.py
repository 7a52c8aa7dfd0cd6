"""Typed errors whose messages tell the user what to do next."""

from __future__ import annotations


class GrowthlensError(Exception):
    """Base class of every error growthlens raises on purpose."""


class WarehouseNotFoundError(GrowthlensError):
    """The DuckDB file does not exist."""


class MartsNotBuiltError(GrowthlensError):
    """The warehouse exists but the marts have not been built yet."""
