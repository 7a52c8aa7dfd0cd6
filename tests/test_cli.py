"""The `growthlens` console script: --help everywhere, load, build (dbt passed through)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import BIN, REPO, query
from growthlens.cli import COMMANDS, main

EVENTS = pd.DataFrame(
    {
        "event_id": ["e1", "e2", "e3"],
        "event_name": ["Signed Up", "workflow_saved", "page_viewed"],
        "event_ts": pd.to_datetime(["2026-01-05 10:00", "2026-01-05 11:00", "2026-01-06 09:00"]),
        "received_at": pd.to_datetime(["2026-01-05 10:00", "2026-01-05 11:00", "2026-01-06 09:00"]),
        "anonymous_id": ["a1", "a1", "a2"],
        "user_id": ["u1", "u1", None],
        "properties": ['{"signup_type": "organic"}', None, None],
    }
)


def test_help_on_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert {"simulate", "load", "build", "report"} <= set(COMMANDS)
    for argv in [["--help"], *[[name, "--help"] for name in COMMANDS]]:
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 0
        assert "usage: growthlens" in capsys.readouterr().out
    script = subprocess.run(
        [str(BIN / "growthlens"), "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert script.returncode == 0 and "report" in script.stdout


def test_load_csv_and_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    EVENTS.iloc[:2].to_csv(tmp_path / "events.csv", index=False)
    con = duckdb.connect()
    con.register("frame", EVENTS.iloc[2:])
    con.execute("copy frame to ? (format parquet)", [str(tmp_path / "events.parquet")])
    con.close()
    files = [tmp_path / "events.csv", tmp_path / "events.parquet"]
    assert main(["load", *map(str, files), "--path", str(db)]) == 0
    loaded = query(db, "select * from raw.events order by event_id")
    assert list(loaded["event_id"]) == ["e1", "e2", "e3"]
    assert str(loaded["event_ts"].dtype).startswith("datetime64")
    assert "raw.events now has" in capsys.readouterr().err

    # Appends by default, replaces with --replace; --table for other file names.
    EVENTS.to_csv(tmp_path / "more.csv", index=False)
    assert main(["load", str(tmp_path / "more.csv"), "--table", "events", "--path", str(db)]) == 0
    assert query(db, "select count(*) as n from raw.events")["n"][0] == len(loaded) + 3
    assert main(["load", str(tmp_path / "more.csv"), "--table", "events", "--replace",
                 "--path", str(db)]) == 0  # fmt: skip
    assert query(db, "select count(*) as n from raw.events")["n"][0] == 3


def test_load_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    EVENTS.drop(columns=["received_at"]).to_csv(tmp_path / "events.csv", index=False)
    assert main(["load", str(tmp_path / "events.csv"), "--path", str(db)]) == 2
    assert "received_at" in capsys.readouterr().err
    EVENTS.to_csv(tmp_path / "stuff.csv", index=False)
    assert main(["load", str(tmp_path / "stuff.csv"), "--path", str(db)]) == 2
    assert "--table" in capsys.readouterr().err
    assert main(["load", str(tmp_path / "nope.csv"), "--path", str(db)]) == 2


@pytest.mark.dbt
def test_build_runs_dbt_with_vars_and_select(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema raw")
    con.register("frame", EVENTS)
    con.execute("create table raw.events as select * from frame")
    con.close()
    proc = subprocess.run(
        [
            str(BIN / "growthlens"),
            "build",
            "--path",
            str(db),
            "--select",
            "+stg_events",
            "--vars",
            "{min_event_date: '2026-01-06'}",
            "--",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--quiet",
            "--indirect-selection",
            "cautious",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # the project is found from the installed package
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "dbt build on" in proc.stderr
    kept = query(db, "select event_id from staging.stg_events order by 1")["event_id"]
    assert list(kept) == ["e3"]  # min_event_date from --vars rejected the two older events
