"""`growthlens report` and growthlens.plot on the simulated warehouse; the HTML is opened in
headless Chromium (Debian's `chromium`, installed here with apt-get when missing)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import growthlens
from conftest import query
from growthlens import plot
from growthlens.cli import main

pytestmark = pytest.mark.dbt

os.environ.setdefault("MPLBACKEND", "Agg")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless-capable Chromium; installs Debian's package when missing (root)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"], env=env, capture_output=True
        )
        found = shutil.which("chromium")
    if found is None:
        pytest.skip("chromium is not installed and can't be installed here")
    return found


@pytest.fixture(scope="module")
def report(simulated_warehouse, tmp_path_factory) -> tuple[Path, Path]:
    path = simulated_warehouse("saas")
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--path", str(path), "--out", str(out)]) == 0
    return path, out


def test_report_is_self_contained_with_every_mart(report: tuple[Path, Path]) -> None:
    path, out = report
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", text)
    assert '<link rel="stylesheet"' not in text
    for section in ["funnels", "activation", "retention", "growth", "attribution", "ltv", "marts"]:
        assert f'<section id="{section}">' in text
    funnels = text.split('<section id="funnels">')[1].split("</section>")[0]
    assert funnels.count("data:image/png;base64,") == len(
        query(path, "select distinct funnel_name from marts.agg_funnel_steps")
    )
    retention = text.split('<section id="retention">')[1].split("</section>")[0]
    assert "data:image/png;base64," in retention
    marts = query(
        path, "select table_name from information_schema.tables where table_schema = 'marts'"
    )["table_name"]
    for name in marts:
        assert f'id="mart-{name}"' in text
    tables = set(marts)
    if "agg_channel_performance" in tables:
        attribution = text.split('<section id="attribution">')[1].split("</section>")[0]
        assert "data:image/png;base64," in attribution


def test_report_renders_in_headless_chromium(report: tuple[Path, Path], chromium: str) -> None:
    _, out = report
    proc = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, "--dump-dom", out.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    # The page's own script ran (it builds the table of contents) and recorded no error.
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None
    assert 'data-rendered="8"' in body.group(0)
    assert "data-errors" not in body.group(0)
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    for section in ["Funnels", "Retention", "Attribution"]:
        assert f">{section}</a>" in dom and f">{section}</h2>" in dom
    shot = out.parent / "report.png"
    subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--screenshot={shot}", "--window-size=1200,1600",
         out.resolve().as_uri()],
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    assert shot.exists() and shot.stat().st_size > 20_000


def test_report_progress_and_missing_marts(
    simulated_warehouse, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "--path", str(simulated_warehouse("saas")), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "growthlens report: section funnels" in err and "wrote" in err
    import duckdb

    bare = tmp_path / "bare.duckdb"
    duckdb.connect(str(bare)).close()
    assert main(["report", "--path", str(bare), "--out", str(tmp_path / "x.html")]) == 2
    assert "dbt build" in capsys.readouterr().err


def test_plots_draw_every_result(simulated_warehouse) -> None:
    path = simulated_warehouse("saas")
    wh = growthlens.connect(path)
    figures = [
        plot.funnel(wh.funnel(["signed_up", "email_verified", "workflow_saved"], window="7d")),
        plot.funnel(wh.funnel(["signed_up", "workflow_saved"], window="7d", by="persona")),
        plot.retention(wh.retention("week")),
        plot.retention(wh.retention("month", by="acquisition_channel", values="persons")),
        plot.growth_accounting(wh.growth_accounting("week")),
    ]
    tables = set(query(path, "select table_name from information_schema.tables")["table_name"])
    if "fct_attribution" in tables:
        figures.append(plot.attribution(wh.attribution(None)))
    if "fct_ltv" in tables:
        figures.append(plot.ltv(wh.ltv()))
    for fig in figures:
        ax = fig.axes[0]
        assert ax.get_title()
        assert ax.patches or ax.images or ax.lines
        assert len(plot.to_png_base64(fig)) > 1000
    bars = figures[0].axes[0].patches
    persons = wh.funnel(["signed_up", "email_verified", "workflow_saved"], window="7d")["persons"]
    assert [round(b.get_height()) for b in bars] == list(persons)
    with pytest.raises(growthlens.GrowthlensError):
        plot.funnel(wh.persons())
