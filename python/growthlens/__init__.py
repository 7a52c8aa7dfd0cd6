"""growthlens: warehouse-native product and marketing analytics.

The dbt project builds the marts; this package simulates raw data, and lets a notebook
query the marts (`growthlens.connect()`). Heavy modules load on first use, so importing the
package stays fast.

>>> import growthlens
>>> growthlens.__version__
'0.1.0'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from growthlens.errors import GrowthlensError

if TYPE_CHECKING:
    from growthlens.clv import CLVModel, fit_clv
    from growthlens.warehouse import Warehouse, connect

__all__ = ["CLVModel", "GrowthlensError", "Warehouse", "__version__", "connect", "fit_clv"]
__version__ = "0.1.0"

# Public names served from submodules on first access (PEP 562).
_LAZY = {
    "connect": "growthlens.warehouse",
    "Warehouse": "growthlens.warehouse",
    "fit_clv": "growthlens.clv",
    "CLVModel": "growthlens.clv",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'growthlens' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
