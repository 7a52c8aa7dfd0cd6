"""The tracking plan and the quality checks, read from the seeds the dbt project uses.

>>> plan = load_plan("saas")  # doctest: +SKIP
>>> plan.events["signed_up"].properties[0].name  # doctest: +SKIP
'signup_type'
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from growthlens.errors import InvalidArgumentError

__all__ = [
    "PROPERTY_TYPES",
    "SEVERITIES",
    "PlanEvent",
    "PlanProperty",
    "QualityCheck",
    "TrackingPlan",
    "default_seed_dir",
    "load_checks",
    "load_plan",
    "normalize_name",
]

SEVERITIES = ("error", "warn")
PROPERTY_TYPES = ("string", "integer", "number", "boolean", "object", "array")
PLAN_COLUMNS = (
    "plan",
    "event_name",
    "property",
    "type",
    "is_required",
    "allowed_values",
    "pattern",
    "severity",
    "owner",
    "used_in",
    "description",
)


def normalize_name(name: str) -> str:
    """Event name normalisation of metrics.md §0 (the twin of the dbt macro).

    >>> normalize_name("  Signed Up! "), normalize_name("SIGNED-UP")
    ('signed_up', 'signed_up')
    """
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


@dataclass(frozen=True)
class PlanProperty:
    """One property of one event in the plan."""

    event: str
    name: str
    type: str
    is_required: bool
    allowed_values: tuple[str, ...]
    pattern: str | None
    severity: str
    owner: str
    used_in: str
    description: str

    @property
    def key(self) -> str:
        return f"{self.event}.{self.name}"


@dataclass
class PlanEvent:
    """One event of the plan; `severity` applies to its volume drops."""

    name: str
    severity: str
    owner: str
    used_in: str
    description: str
    properties: list[PlanProperty] = field(default_factory=list)


@dataclass
class TrackingPlan:
    """The events and properties of one named plan (one per demo scenario)."""

    name: str
    events: dict[str, PlanEvent]

    @property
    def properties(self) -> list[PlanProperty]:
        return [p for e in self.events.values() for p in e.properties]


@dataclass(frozen=True)
class QualityCheck:
    """A check not tied to one event (seed quality_checks.csv)."""

    check_name: str
    applies_to: str
    checked_by: str
    severity: str
    description: str


def default_seed_dir() -> Path:
    """The seeds folder of the project: $GROWTHLENS_SEEDS, else beside the package source
    (an editable install), else ./seeds."""
    env = os.environ.get("GROWTHLENS_SEEDS")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parents[3] / "seeds"
    if (beside / "tracking_plan.csv").exists():
        return beside
    return Path.cwd() / "seeds"


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise InvalidArgumentError(
            f"{path} not found; run from the project root, or pass --plan-file "
            "or set GROWTHLENS_SEEDS"
        )
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _severity(value: str, where: str) -> str:
    if value not in SEVERITIES:
        raise InvalidArgumentError(f"{where}: severity must be error or warn, got {value!r}")
    return value


def load_plan(plan: str, path: str | Path | None = None) -> TrackingPlan:
    """Read the rows of plan `plan` from tracking_plan.csv (rows without a property describe the
    event itself). Raises InvalidArgumentError on a malformed row or an unknown plan."""
    file = Path(path) if path else default_seed_dir() / "tracking_plan.csv"
    rows = _read_csv(file)
    missing = [c for c in PLAN_COLUMNS if rows and c not in rows[0]]
    if missing:
        raise InvalidArgumentError(f"{file}: missing columns {', '.join(missing)}")
    events: dict[str, PlanEvent] = {}
    plans: set[str] = set()
    for i, row in enumerate(rows, start=2):
        plans.add(row["plan"])
        if row["plan"] != plan:
            continue
        where = f"{file.name} line {i}"
        event = normalize_name(row["event_name"])
        if not row["property"]:
            events[event] = PlanEvent(
                event,
                _severity(row["severity"], where),
                row["owner"],
                row["used_in"],
                row["description"],
            )
    for i, row in enumerate(rows, start=2):
        if row["plan"] != plan or not row["property"]:
            continue
        where = f"{file.name} line {i}"
        event = normalize_name(row["event_name"])
        if event not in events:
            raise InvalidArgumentError(f"{where}: event {event!r} has no row of its own")
        if row["type"] not in PROPERTY_TYPES:
            raise InvalidArgumentError(
                f"{where}: type must be one of {', '.join(PROPERTY_TYPES)}, got {row['type']!r}"
            )
        if row["is_required"] not in ("true", "false"):
            raise InvalidArgumentError(f"{where}: is_required must be true or false")
        allowed = tuple(v for v in row["allowed_values"].split("|") if v)
        events[event].properties.append(
            PlanProperty(
                event=event,
                name=row["property"],
                type=row["type"],
                is_required=row["is_required"] == "true",
                allowed_values=allowed,
                pattern=row["pattern"] or None,
                severity=_severity(row["severity"], where),
                owner=row["owner"],
                used_in=row["used_in"],
                description=row["description"],
            )
        )
    if not events:
        raise InvalidArgumentError(
            f"no plan named {plan!r} in {file}; plans there: {', '.join(sorted(plans))}"
        )
    return TrackingPlan(plan, events)


def load_checks(path: str | Path | None = None) -> dict[str, QualityCheck]:
    """The checks of quality_checks.csv by name."""
    file = Path(path) if path else default_seed_dir() / "quality_checks.csv"
    out: dict[str, QualityCheck] = {}
    for i, row in enumerate(_read_csv(file), start=2):
        out[row["check_name"]] = QualityCheck(
            row["check_name"],
            row["applies_to"],
            row["checked_by"],
            _severity(row["severity"], f"{file.name} line {i}"),
            row["description"],
        )
    return out
