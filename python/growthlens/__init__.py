"""growthlens: warehouse-native product and marketing analytics.

The dbt project builds the marts; this package simulates raw data, and lets a notebook
query the marts.

>>> import growthlens
>>> growthlens.__version__
'0.1.0'
"""

from __future__ import annotations

from growthlens.errors import GrowthlensError

__all__ = ["GrowthlensError", "__version__"]
__version__ = "0.1.0"
