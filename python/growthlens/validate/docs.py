"""dbt documentation of every tracked event, generated from seeds/tracking_plan.csv.

`python -m growthlens.validate.docs` rewrites models/docs/tracking_plan.md: one doc block per
plan (`tracking_plan_<plan>`), with a section per event (meaning, owner, where it is used,
severity of a volume drop) and a table of its properties. A test keeps the file in sync with
the seed, so edit the seed and re-run this command.

>>> text = render_docs()  # doctest: +SKIP
>>> text.splitlines()[2]  # doctest: +SKIP
'{% docs tracking_plan_saas %}'
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from growthlens.validate._plan import default_seed_dir, load_plan

__all__ = ["docs_path", "render_docs"]

HEADER = (
    "<!-- Generated from seeds/tracking_plan.csv by `python -m growthlens.validate.docs`; "
    "do not edit by hand. -->"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "—"


def docs_path(seed_dir: Path | None = None) -> Path:
    """Where the generated file lives: models/docs/ beside the seeds folder."""
    return (seed_dir or default_seed_dir()).parent / "models" / "docs" / "tracking_plan.md"


def render_docs(plan_file: str | Path | None = None) -> str:
    """The markdown of every plan in the tracking plan CSV, as dbt doc blocks."""
    file = Path(plan_file) if plan_file else default_seed_dir() / "tracking_plan.csv"
    with file.open(newline="", encoding="utf-8") as handle:
        names = list(dict.fromkeys(row["plan"].strip() for row in csv.DictReader(handle)))
    out = [HEADER, ""]
    for name in names:
        plan = load_plan(name, file)
        out += [f"{{% docs tracking_plan_{name} %}}", f"### Tracking plan `{name}`", ""]
        out.append(
            f"{len(plan.events)} events, {len(plan.properties)} properties. Event names are "
            "compared after normalisation (trim, lower case, runs of other characters become "
            "`_`). Severity `error` fails the build and `growthlens validate`; `warn` reports."
        )
        out.append("")
        for event in plan.events.values():
            out += [
                f"#### `{event.name}`",
                "",
                event.description,
                "",
                f"Owner: {event.owner or '—'}. Used in: {event.used_in or '—'}. "
                f"Volume drop: `{event.severity}`.",
                "",
            ]
            if event.properties:
                out += [
                    "| property | type | required | allowed values / pattern | severity | "
                    "owner | used in | meaning |",
                    "|---|---|---|---|---|---|---|---|",
                ]
                for p in event.properties:
                    allowed = ", ".join(p.allowed_values) or (f"`{p.pattern}`" if p.pattern else "")
                    out.append(
                        f"| `{p.name}` | {p.type} | {'yes' if p.is_required else 'no'} | "
                        f"{_cell(allowed)} | {p.severity} | {_cell(p.owner)} | "
                        f"{_cell(p.used_in)} | {_cell(p.description)} |"
                    )
                out.append("")
            else:
                out += ["No properties.", ""]
        out += ["{% enddocs %}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) models/docs/tracking_plan.md."""
    args = sys.argv[1:] if argv is None else argv
    target = docs_path()
    text = render_docs()
    if "--check" in args:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date: run python -m growthlens.validate.docs")
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
