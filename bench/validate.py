"""Time `growthlens validate` on a simulated warehouse against one full scan of raw.events.

    python bench/validate.py --persons 250000 --days 90   # about 10 M events

Simulates a saas warehouse (raw tables only) into bench/results/validate_<size>/, times
(1) one full scan of raw.events (every column read: a count of each), (2) the one-sort floor of
the other benchmarks, for reference, and (3) `growthlens validate` in a subprocess under
/usr/bin/time -v for its peak RSS (budget 2 GiB). Writes bench/results/validate_<size>.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BIN, RESULTS, prepare_work, time_floor  # noqa: E402

RSS_BUDGET_GIB = 2.0


def time_scan(path: Path) -> tuple[float, int]:
    """Seconds to read every column of raw.events once (a count of each column)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = [r[0] for r in con.execute("describe raw.events").fetchall()]
        counts = ", ".join(f'count("{c}")' for c in columns)
        start = time.perf_counter()
        row = con.execute(f"select count(*), {counts} from raw.events").fetchone()
        return time.perf_counter() - start, int(row[0])
    finally:
        con.close()


def run_validate(path: Path, out: Path, batch_rows: int) -> tuple[float, float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS (GiB) and exit code of
    `growthlens validate`, and its summary."""
    cmd = [
        "/usr/bin/time",
        "-v",
        str(BIN / "growthlens"),
        "validate",
        "--path",
        str(path),
        "--plan",
        "saas",
        "--out",
        str(out),
        "--batch-rows",
        str(batch_rows),
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss = int(match.group(1)) / 1024**2 if match else float("nan")
    cpu = sum(
        float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", proc.stderr)
    )
    return seconds, cpu, rss, proc.returncode, proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=250_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-rows", type=int, default=250_000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep a warehouse simulated by an earlier run"
    )
    args = parser.parse_args()

    from growthlens.simulate import simulate

    label = f"{args.persons // 1000}k"
    path = RESULTS / f"validate_{label}" / "warehouse.duckdb"
    simulated = float("nan")
    if not (args.reuse and path.exists()):
        work = prepare_work(f"validate_{label}")
        start = time.perf_counter()
        simulate(str(path), persons=args.persons, days=args.days, seed=args.seed, scenario="saas")
        simulated = time.perf_counter() - start
    work = path.parent
    scan, n_events = time_scan(path)
    floor = time_floor(path)
    seconds, cpu, rss, code, summary = run_validate(path, work / "report", args.batch_rows)

    def row(step: str, s: float) -> str:
        return f"| {step} | {s:.2f} | {s / scan:.2f} |"

    lines = [
        f"### growthlens validate on {n_events:,d} raw events "
        f"({args.persons:,d} simulated persons, {args.days} days"
        + (f"; simulated in {simulated:.0f} s)" if simulated == simulated else ")"),
        "",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), load average "
        f"{os.getloadavg()[0]:.1f} at the end (shared: compare figures of one run only), "
        f"DuckDB {duckdb.__version__}, Python {platform.python_version()}; batches of "
        f"{args.batch_rows:,d} rows; one run.",
        "",
        "| step | seconds | × full scan |",
        "|---|---:|---:|",
        row("one full scan of raw.events (every column)", scan),
        row("one sort of raw.events (the build benchmarks' floor)", floor),
        row("`growthlens validate` (process wall clock, GE import included)", seconds),
        row("`growthlens validate`, CPU time (user + system)", cpu),
        "",
        f"Peak RSS of validate: {rss:.2f} GiB (budget {RSS_BUDGET_GIB:.0f} GiB); exit code {code}.",
        "",
        "```",
        summary.strip(),
        "```",
        "",
    ]
    text = "\n".join(lines)
    (RESULTS / f"validate_{label}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
