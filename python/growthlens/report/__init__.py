"""One self-contained HTML report of a built warehouse: `growthlens report`.

Charts are embedded as base64 PNG and every mart appears as a table, so the file can be mailed
or opened offline.

>>> from growthlens.report import write_report
>>> write_report("warehouse.duckdb", "report.html")  # doctest: +SKIP
PosixPath('report.html')
"""

from growthlens.report._build import write_report

__all__ = ["write_report"]
