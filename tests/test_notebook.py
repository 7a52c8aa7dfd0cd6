"""The example notebook (analyses/growthlens_walkthrough.ipynb) runs top to bottom on the
simulated saas warehouse: its code cells are executed in order in one namespace, as a kernel
would, with matplotlib on the Agg backend."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.dbt

NOTEBOOK = REPO / "analyses" / "growthlens_walkthrough.ipynb"


def test_notebook_runs_top_to_bottom(simulated_warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    matplotlib.use("Agg")
    path = simulated_warehouse("saas")
    monkeypatch.setenv("GROWTHLENS_DUCKDB", str(path))
    monkeypatch.chdir(NOTEBOOK.parent)
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    namespace: dict = {"__name__": "__notebook__"}
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(cells) >= 10
    for index, cell in enumerate(cells):
        source = "".join(cell["source"])
        assert not cell.get("outputs"), "commit the notebook without outputs"
        try:
            exec(compile(source, f"<cell {index}>", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message names the cell
            raise AssertionError(f"code cell {index} failed:\n{source}") from exc

    answers = namespace["answers"]
    assert 0 < answers["activated_within_24h"] < 1
    assert answers["first_inviters"] in set(namespace["wh"].persons()["persona"].dropna())
    assert answers["never_saved_by_persona"]
    assert all(0 <= v <= 1 for v in answers["never_saved_by_persona"].values())
    assert answers["campaigns"] > 0
    assert "influencer" in answers["channels"]
    assert Path(os.environ["GROWTHLENS_DUCKDB"]) == path
