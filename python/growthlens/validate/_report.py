"""The readable outputs of a validation: a console summary, the result JSON (one entry per
expectation, counts summed over batches) and a short self-contained HTML page."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from growthlens.validate import ValidationReport

__all__ = ["summary_text", "write_outputs"]

_ORDER = {"error": 0, "warn": 1}


def _sorted(report: ValidationReport) -> list[Any]:
    return sorted(
        report.results,
        key=lambda r: (r.success, _ORDER.get(r.severity, 2), -r.unexpected_count, r.check_name),
    )


def summary_text(report: ValidationReport) -> str:
    """A few lines: the verdict, then each failed check with its count and sample ids."""
    errors, warnings = report.failed("error"), report.failed("warn")
    passed = len(report.results) - len(errors) - len(warnings)
    verdict = "FAILED" if errors else "passed"
    lines = [
        f"growthlens validate: {verdict} — plan {report.plan!r} on {report.path}",
        f"{report.n_events:,d} events in {report.n_batches} batch(es), "
        f"{len(report.results)} checks in {report.seconds:.1f} s: "
        f"{len(errors)} error(s), {len(warnings)} warning(s), {passed} passed",
    ]
    failed = [r for r in _sorted(report) if not r.success]
    if failed:
        width = max(len(r.check_name) for r in failed)
        lines.append("")
        for r in failed:
            sample = ", ".join(r.samples[:3])
            lines.append(
                f"  {r.severity.upper():5s} {r.check_name:{width}s} {r.unexpected_count:>10,d}"
                f"  {r.table}  e.g. {sample}"
            )
    return "\n".join(lines)


def result_document(report: ValidationReport) -> dict[str, Any]:
    """The result in the shape of a suite validation result."""
    results = [r.to_dict() for r in _sorted(report)]
    n_ok = sum(1 for r in report.results if r.success)
    return {
        "success": report.exit_code == 0,
        "statistics": {
            "evaluated_expectations": len(results),
            "successful_expectations": n_ok,
            "unsuccessful_expectations": len(results) - n_ok,
            "success_percent": 100.0 * n_ok / len(results) if results else 100.0,
        },
        "results": results,
        "meta": {
            "suite_name": f"tracking_plan_{report.plan}",
            "warehouse": report.path,
            "n_events": report.n_events,
            "n_batches": report.n_batches,
            "seconds": round(report.seconds, 3),
            "failed_errors": [r.check_name for r in report.failed("error")],
            "failed_warnings": [r.check_name for r in report.failed("warn")],
        },
    }


def _html(report: ValidationReport) -> str:
    esc = html.escape
    rows = []
    for r in _sorted(report):
        status = "pass" if r.success else r.severity
        rows.append(
            f"<tr class='{status}'><td>{esc(status)}</td><td>{esc(r.check_name)}</td>"
            f"<td>{esc(r.table)}</td><td class='n'>{r.unexpected_count:,d}</td>"
            f"<td class='n'>{r.element_count:,d}</td><td>{esc(', '.join(r.samples))}</td>"
            f"<td>{esc(r.description)}</td></tr>"
        )
    verdict = "FAILED" if report.exit_code else "passed"
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>growthlens validate: {esc(report.plan)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 4px 8px; }}
td.n {{ text-align: right; }} tr.error {{ background: #fdd; }} tr.warn {{ background: #ffd; }}
</style></head><body>
<h1>Validation {verdict}</h1>
<p>Plan <b>{esc(report.plan)}</b> on {esc(report.path)}: {report.n_events:,d} events,
{len(report.failed("error"))} error(s), {len(report.failed("warn"))} warning(s),
{len(report.results)} checks, {report.seconds:.1f} s.</p>
<table><tr><th>status</th><th>check</th><th>table</th><th>flagged</th><th>checked</th>
<th>sample ids</th><th>what it means</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""


def write_outputs(report: ValidationReport, out: Path) -> dict[str, str]:
    """Write validation_result.json and validation_report.html into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "validation_result.json"
    html_path = out / "validation_report.html"
    json_path.write_text(
        json.dumps(result_document(report), indent=2, default=str), encoding="utf-8"
    )
    html_path.write_text(_html(report), encoding="utf-8")
    return {"json": str(json_path), "html": str(html_path)}
