"""Simulated raw warehouse: behavioural events of a B2B SaaS or a B2C cashback app.

>>> counts = simulate("/tmp/demo.duckdb", persons=300, days=30, seed=1)  # doctest: +SKIP
>>> counts["raw.events"], counts["truth.persons"]  # doctest: +SKIP
(9411, 300)

`simulate` writes a new DuckDB file with the `raw` tables of the contract (events, identifies,
aliases, campaigns, campaign_messages, ad_spend) and a `truth` schema with what really
happened, so every mart can be checked against ground truth:

- `truth.events`: one row per raw event row (dirty ones included): `raw_row` (= the rowid of
  the raw row), `event_id`, `true_person_id`, `true_session_id`, `true_event_name`
  (normalised), `true_event_ts`, `dirt` (`clean`, `duplicate`, `event_ts_in_future`, ...).
- `truth.persons`: acquisition (channel, source, medium, campaign, referrer), persona,
  account, current user id, emails, story flags, arrival / signup / activation / first
  payment / churn times, payer and churn-prone flags.
- `truth.anonymous_ids`, `truth.user_ids`: the true owner of every device id and user id.
- `truth.campaign_lift`: per campaign the potential outcomes of assignment: `base_rate`
  (goal reached anyway), `true_absolute_lift` (mean effect of assignment to treatment),
  `att`, and the true treatment / control rates.
- `truth.channel_effect`: per acquisition channel the true cost per acquisition and the
  retention and revenue multipliers, with realised spend, persons and rates.
- `truth.simulation`: the arguments and the scenario's event names and site domains.

People are generated in chunks (about two million events each) with numpy, never a Python
loop over events; a writer thread appends each chunk to DuckDB while the next one is built.
Same arguments, same data: every chunk has its own seeded generator and rows are written in
a fixed order.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from growthlens.errors import GrowthlensError

__all__ = ["chunk_persons", "simulate"]

CHUNK_EVENTS = 2_000_000  # about this many raw events per chunk bounds the memory


def chunk_persons(scenario: str, days: int) -> int:
    """People per chunk: about two million events each (a function of scenario and days only).

    >>> chunk_persons("saas", 90), chunk_persons("loyalty", 90)
    (49027, 21081)
    """
    from growthlens.simulate._spec import get_spec

    per_person = get_spec(scenario).events_per_sqrt_day * max(days, 1) ** 0.5
    return int(min(50_000, max(5_000, CHUNK_EVENTS / per_person)))


def simulate(
    out: str,
    persons: int = 2000,
    days: int = 90,
    seed: int = 7,
    scenario: str = "saas",
    start: str = "2026-01-05",
    inject: Sequence[str] | str | None = None,
) -> dict[str, int]:
    """Write a simulated warehouse to the DuckDB file `out` (replaced if present).

    `inject` names tracker failures to add on purpose (see `_inject`: unknown_event,
    missing_property, type_drift, volume_drop); without it the output is the clean run.
    Returns the number of rows written per table, e.g. ``{"raw.events": 91234, ...}``.
    """
    import duckdb
    import numpy as np

    from growthlens.simulate._engine import build_chunk
    from growthlens.simulate._inject import apply_injections, parse_injections
    from growthlens.simulate._spec import SCENARIOS, get_spec
    from growthlens.simulate._vocab import build_vocab, mix64
    from growthlens.simulate._writer import TABLES, Writer

    spec = get_spec(scenario)
    injections = parse_injections(inject)
    if persons < 1 or days < 1:
        raise GrowthlensError("simulate needs persons >= 1 and days >= 1")
    try:
        start_date = dt.date.fromisoformat(start)
    except ValueError:
        raise GrowthlensError(f"start must be a date like 2026-01-05, got {start!r}") from None
    start_us = (start_date - dt.date(1970, 1, 1)).days * 86_400_000_000
    vocab = build_vocab(spec)
    seed64 = seed & 0xFFFFFFFFFFFFFFFF
    salt = int(
        mix64(np.array([seed64], dtype=np.uint64), 0x6C656E73 + list(SCENARIOS).index(scenario))[0]
    )

    for path in (out, out + ".wal"):
        if os.path.exists(path):
            os.remove(path)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    con = duckdb.connect(out)
    try:
        con.execute("set preserve_insertion_order = true")
        writer = Writer(con, spec, vocab, start_us, days, salt)
        # numpy builds chunk i + 1 while DuckDB writes chunk i (one writer thread keeps the
        # row order deterministic; at most two chunks are in memory)
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: Future[None] | None = None
            size = chunk_persons(scenario, days)
            for ci, gid0 in enumerate(range(0, persons, size)):
                n = min(size, persons - gid0)
                rng = np.random.default_rng([seed64, ci])
                chunk = build_chunk(
                    spec, vocab, rng, n, gid0, days, start_date.weekday(), salt, ci, start_us
                )
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.write_chunk, chunk, ci)
                del chunk
            if pending is not None:
                pending.result()
        writer.finish(np.random.default_rng([seed64, 1 << 40]), seed, persons, start)
        if injections:
            apply_injections(con, scenario, injections, start_us, days)
        counts = {}
        for table in TABLES:
            row = con.execute(f"select count(*) from {table}").fetchone()
            counts[table] = int(row[0]) if row else 0
        con.execute("checkpoint")
    finally:
        con.close()
    return counts
