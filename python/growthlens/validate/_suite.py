"""Great Expectations glue: suites generated from the plan, run on pandas frames, results
summed over batches into one result per check."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["CheckResult", "Runner", "Spec"]

SAMPLES = 5


@dataclass(frozen=True)
class Spec:
    """One expectation: its GE class name and arguments, and the check it answers."""

    check_name: str
    severity: str
    table: str
    expectation: str  # class name in great_expectations.expectations
    kwargs: dict[str, Any]
    description: str = ""


@dataclass
class CheckResult:
    """A check summed over every batch it ran on."""

    check_name: str
    severity: str
    table: str
    description: str
    expectation_type: str = ""
    kwargs: dict[str, Any] = field(default_factory=dict)
    element_count: int = 0
    unexpected_count: int = 0
    samples: list[str] = field(default_factory=list)
    evaluated: bool = False

    @property
    def success(self) -> bool:
        return self.unexpected_count == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "expectation_config": {
                "type": self.expectation_type,
                "kwargs": self.kwargs,
                "meta": {
                    "check_name": self.check_name,
                    "severity": self.severity,
                    "table": self.table,
                    "description": self.description,
                },
            },
            "success": self.success,
            "result": {
                "element_count": self.element_count,
                "unexpected_count": self.unexpected_count,
                "unexpected_percent": (
                    100.0 * self.unexpected_count / self.element_count
                    if self.element_count
                    else 0.0
                ),
                "partial_unexpected_index_list": self.samples,
            },
        }


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "(null)"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)


class Runner:
    """Holds one ephemeral GE context; `run(name, specs, frame, id_column)` validates a frame
    against the suite `name` (created on first use) and adds its results to `results`."""

    def __init__(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = self.context.data_sources.add_pandas("growthlens")
        asset = source.add_dataframe_asset("frames")
        self._batch = asset.add_batch_definition_whole_dataframe("whole_frame")
        self._definitions: dict[str, Any] = {}
        self._specs: dict[str, list[Spec]] = {}
        self.results: dict[str, CheckResult] = {}

    def declare(self, specs: list[Spec]) -> None:
        """Register checks so they appear in the report even when no batch reached them."""
        for spec in specs:
            self._result(spec)

    def _result(self, spec: Spec) -> CheckResult:
        result = self.results.get(spec.check_name)
        if result is None:
            result = CheckResult(
                spec.check_name,
                spec.severity,
                spec.table,
                spec.description,
                expectation_type=spec.expectation,
                kwargs=dict(spec.kwargs),
            )
            self.results[spec.check_name] = result
        return result

    def _definition(self, name: str, specs: list[Spec]) -> Any:
        if name not in self._definitions:
            # one validation definition per suite, reused by every batch
            import great_expectations.expectations as gxe

            suite = self.context.suites.add(self._gx.ExpectationSuite(name=name))
            for spec in specs:
                expectation = getattr(gxe, spec.expectation)(
                    **spec.kwargs,
                    meta={"check_name": spec.check_name, "severity": spec.severity},
                )
                suite.add_expectation(expectation)
            self._definitions[name] = self.context.validation_definitions.add(
                self._gx.ValidationDefinition(name=name, data=self._batch, suite=suite)
            )
            self._specs[name] = specs
            self.declare(specs)
        return self._definitions[name]

    def run(self, name: str, specs: list[Spec], frame: pd.DataFrame, id_column: str) -> None:
        """Counts come from one BASIC run over the whole frame. Sample ids need GE to list the
        index of every unexpected row (costly when many fail), so a check still short of
        samples is re-run alone on a leading slice that holds a few of its failures."""
        if not specs or frame.empty:
            self.declare(specs)
            return
        outcome = self._run(self._definition(name, specs), frame, None)
        by_check = {s.check_name: s for s in specs}
        for item in outcome.results:
            meta = item.expectation_config.meta or {}
            check = meta["check_name"]
            result = self.results[check]
            result.evaluated = True
            if item.exception_info and item.exception_info.get("raised_exception"):
                raise RuntimeError(
                    f"expectation {check} failed to run: "
                    f"{item.exception_info.get('exception_message')}"
                )
            res = item.result or {}
            element_count = int(res.get("element_count") or 0)
            unexpected = int(res.get("unexpected_count") or 0)
            result.element_count += element_count
            result.unexpected_count += unexpected
            if unexpected and len(result.samples) < SAMPLES:
                share = unexpected / max(element_count, 1)
                head = frame.iloc[: min(len(frame), int(4 * SAMPLES / share) + 1)]
                single = self._definition(f"{name}::{check}", [by_check[check]])
                for sample in self._run(single, head, id_column).results:
                    rows = (sample.result or {}).get("partial_unexpected_index_list") or []
                    for row in rows:
                        value = row.get(id_column) if isinstance(row, dict) else row
                        if len(result.samples) < SAMPLES:
                            result.samples.append(_text(value))

    def _run(self, definition: Any, frame: pd.DataFrame, id_column: str | None) -> Any:
        result_format: dict[str, Any] = {"result_format": "BASIC"}
        if id_column is not None:
            result_format = {
                "result_format": "SUMMARY",
                "partial_unexpected_count": SAMPLES,
                "unexpected_index_column_names": [id_column],
            }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return definition.run(
                batch_parameters={"dataframe": frame}, result_format=result_format
            )
