"""Retention cohorts, growth accounting and lifecycle (metrics.md §5) on hand-made persons.

Three warehouses, built once (concurrently) and shared by the tests of this module:

- `bogota` (UTC-5, no DST): activity on both sides of a local midnight, a month-end cohort
  (Jan 31 -> Feb 28, with a purchase at 04:00 UTC on Mar 1 that is still Feb 28 locally),
  revenue on a passive event, a person with passive events only, `as_of` exactly at a local
  midnight (an event at as_of counts, one a second later does not), and lifecycle boundaries
  at `inactive_after_days` = 14.
- `kolkata` (UTC+5:30): `retention_cohort_event` set, a signup at 23:59 and a return at 00:01
  local, activity before the cohort event, and a multi-person growth-accounting case with
  new / retained / resurrected / churned worked out by hand, an empty week included.
- `new_york`: the spring-forward (2026-03-08) and fall-back (2026-11-01) days, with
  `retention_return_events` set (so the cohort event itself is not activity).
- `santiago`: seeded random events of 60 persons in America/Santiago (whose daylight-saving
  change of Sep 6 skips local midnight) with `as_of` mid-data, compared row for row, all
  grains, with an independent pandas reading of metrics.md §5.

Every expected number below was worked out by hand from the events listed with it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from conftest import BASE_EVENT_COLUMNS, BuildFn, query, values_sql

pytestmark = pytest.mark.dbt

EVENT_COLUMNS = {
    **BASE_EVENT_COLUMNS,
    "revenue": "double",
    "currency": "varchar",
}

# (user_id, event_name, event_ts in UTC, revenue). Comments give the local time.
Event = tuple[str, str, str, float | None]

# --- America/Bogota, UTC-5. Data end = as_of = 2026-03-02 05:00 UTC = Mon Mar 2 00:00 local.
BOGOTA_EVENTS: list[Event] = [
    # a1: Sun Jan 4 23:30 and Mon Jan 5 00:30 local (both Jan 5 in UTC, one ISO week apart locally)
    ("a1", "App Opened", "2026-01-05 04:30:00", None),
    ("a1", "App Opened", "2026-01-05 05:30:00", None),
    # a2: month end. Sat Jan 31 10:00; Sat Feb 28 10:00; Feb 28 23:00 local (= Mar 1 in UTC)
    ("a2", "Purchase Completed", "2026-01-31 15:00:00", 20.0),
    ("a2", "App Opened", "2026-02-28 15:00:00", None),
    ("a2", "Purchase Completed", "2026-03-01 04:00:00", 7.5),
    # a3: Sat Jan 10; a passive event with revenue on Jan 20; an event after as_of (ignored)
    ("a3", "App Opened", "2026-01-10 15:00:00", None),
    ("a3", "Push Received", "2026-01-20 15:00:00", 3.0),
    ("a3", "App Opened", "2026-03-05 15:00:00", None),
    # a4: passive events only (its cohort event is its first event)
    ("a4", "push_received", "2026-02-10 15:00:00", None),
    # a5: exactly at as_of (Mon Mar 2 00:00 local, kept) and one second later (ignored)
    ("a5", "App Opened", "2026-03-02 05:00:00", None),
    ("a5", "App Opened", "2026-03-02 05:00:01", 100.0),
    # lifecycle, inactive_after_days = 14: exactly 14 days, exactly 15 days, 1 s short of 15
    ("l1", "App Opened", "2026-02-16 05:00:00", None),
    ("l1", "Push Received", "2026-02-20 05:00:00", None),
    ("l2", "App Opened", "2026-02-15 05:00:00", None),
    ("l3", "App Opened", "2026-02-15 05:00:01", None),
]
BOGOTA_VARS = {
    "reporting_timezone": "America/Bogota",
    "reporting_currency": "USD",
    "as_of": "2026-03-02 05:00:00",
    "passive_events": ["Push Received"],
    "retention_cohort_event": None,
    "retention_return_events": None,
    "inactive_after_days": 14,
}

# --- Asia/Kolkata, UTC+5:30 (12:00 local = 06:30 UTC). Cohort event: signed_up.
# Local ISO weeks: W-2 Jan 19, W-1 Jan 26, W0 Feb 2, W1 Feb 9, W2 Feb 16, W3 Feb 23, W4 Mar 2,
# W5 Mar 9. Data end = the last event, Sun Mar 15 23:59 local (W5).
KOLKATA_EVENTS: list[Event] = [
    # g6: active in W-2 only
    ("g6", "Signed Up", "2026-01-20 06:30:00", None),
    # g1: W0, W1, W2; a passive event in W3
    ("g1", "signed_up", "2026-02-03 06:30:00", None),
    ("g1", "app_opened", "2026-02-10 06:30:00", None),
    ("g1", "purchase_completed", "2026-02-17 06:30:00", 12.5),
    ("g1", "push_received", "2026-02-24 06:30:00", None),
    # g2: a purchase in W0 before signing up in W2; W3
    ("g2", "purchase_completed", "2026-02-04 06:30:00", 99.0),
    ("g2", "signed_up", "2026-02-18 06:30:00", None),
    ("g2", "app_opened", "2026-02-25 06:30:00", None),
    # g3: signs up Tue Feb 10 23:59 local, returns Wed Feb 11 00:01 local (both Feb 10 in UTC); W5
    ("g3", "signed_up", "2026-02-10 18:29:00", None),
    ("g3", "app_opened", "2026-02-10 18:31:00", None),
    ("g3", "app_opened", "2026-03-10 06:30:00", None),
    # g4: W3, W4 (a purchase), W5 at Sun Mar 15 23:59 local (Mon Mar 16 00:01 would be W6)
    ("g4", "signed_up", "2026-02-24 06:30:00", None),
    ("g4", "purchase_completed", "2026-03-03 06:30:00", 40.0),
    ("g4", "app_opened", "2026-03-15 18:29:00", None),
    # g5: never signs up. Mon Feb 2 00:15 local (Sun Feb 1 in UTC, week Jan 26); W4
    ("g5", "app_opened", "2026-02-01 18:45:00", None),
    ("g5", "app_opened", "2026-03-04 06:30:00", None),
]
KOLKATA_VARS = {
    "reporting_timezone": "Asia/Kolkata",
    "reporting_currency": "USD",
    "as_of": None,
    "passive_events": ["push_received"],
    "retention_cohort_event": "Signed Up",
    "retention_return_events": None,
    "inactive_after_days": 30,
}

# --- America/New_York. DST starts Sun 2026-03-08 02:00 (day of 23 h), ends Sun 2026-11-01
# 02:00 (day of 25 h). Only app_opened is a return event. Data end = the last event.
NEW_YORK_EVENTS: list[Event] = [
    # n1: cohort Sat Mar 7 12:00 EST (page_viewed: not a return event); Sun Mar 8 23:30 EDT;
    # Mon Mar 9 00:30 EDT (a fixed UTC-5 would put both on Mar 8)
    ("n1", "page_viewed", "2026-03-07 17:00:00", None),
    ("n1", "App Opened", "2026-03-09 03:30:00", None),
    ("n1", "App Opened", "2026-03-09 04:30:00", None),
    # n2: Sat Oct 31 12:00 EDT; Sun Nov 1 23:30 EST (a fixed UTC-4 would say Nov 2)
    ("n2", "App Opened", "2026-10-31 16:00:00", None),
    ("n2", "App Opened", "2026-11-02 04:30:00", None),
]
NEW_YORK_VARS = {
    "reporting_timezone": "America/New_York",
    "reporting_currency": "USD",
    "as_of": None,
    "passive_events": [],
    "retention_cohort_event": None,
    "retention_return_events": ["App Opened"],
    "inactive_after_days": 30,
}

# --- America/Santiago: seeded random persons, compared with an independent pandas reading.
# Chile's DST starts at local midnight of Sun 2026-09-06 (00:00 -> 01:00): that day begins at
# 01:00 local = 04:00 UTC and lasts 23 h.
SANTIAGO_VARS = {
    "reporting_timezone": "America/Santiago",
    "reporting_currency": "USD",
    "as_of": "2026-09-20 12:34:56",
    "passive_events": ["push_received"],
    "retention_cohort_event": "signed_up",
    "retention_return_events": None,
    "inactive_after_days": 30,
}


def random_events(seed: int = 5, persons: int = 60) -> list[Event]:
    """Seeded random activity from March to December 2026 (some after as_of), some of it
    passive, some with revenue; not every person signs up. One person straddles the DST day."""
    rng = random.Random(seed)
    names = ["app_opened", "push_received", "purchase_completed", "signed_up"]
    events: list[Event] = [
        ("dst", "signed_up", "2026-09-06 03:30:00", None),  # Sat Sep 5 23:30 (-04)
        ("dst", "app_opened", "2026-09-06 04:10:00", None),  # Sun Sep 6 01:10 (-03)
    ]
    for p in range(persons):
        ts = datetime(2026, 3, 1) + timedelta(seconds=rng.randrange(200 * 86400))
        for _ in range(rng.randint(1, 25)):
            name = rng.choices(names, weights=[6, 3, 2, 1])[0]
            revenue = round(rng.uniform(1, 50), 2) if name == "purchase_completed" else None
            events.append((f"r{p:02d}", name, ts.strftime("%Y-%m-%d %H:%M:%S"), revenue))
            ts += timedelta(seconds=int(rng.expovariate(1 / (6 * 86400))) + 1)
    return events


SANTIAGO_EVENTS = random_events()


class Reference:
    """metrics.md §0 and §5 read independently, in plain Python, on (user, name, ts, revenue)."""

    def __init__(self, events: Sequence[Event], vars: Mapping[str, Any]) -> None:
        self.zone = ZoneInfo(vars["reporting_timezone"])
        self.data_end = datetime.fromisoformat(vars["as_of"])
        self.cohort_event = vars["retention_cohort_event"]
        self.passive = set(vars["passive_events"])
        self.events = [
            (user, name, datetime.fromisoformat(ts), revenue)
            for user, name, ts, revenue in events
            if datetime.fromisoformat(ts) <= self.data_end
        ]

    def local_date(self, ts: datetime) -> date:
        return ts.replace(tzinfo=timezone.utc).astimezone(self.zone).date()

    def start_at(self, day: date) -> datetime:
        """The UTC instant a local date begins (a skipped midnight: the first instant after)."""
        local = datetime(day.year, day.month, day.day, tzinfo=self.zone)
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    @staticmethod
    def period_start(grain: str, day: date) -> date:
        if grain == "day":
            return day
        if grain == "week":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    @staticmethod
    def add(grain: str, start: date, n: int) -> date:
        if grain == "day":
            return start + timedelta(days=n)
        if grain == "week":
            return start + timedelta(weeks=n)
        months = start.year * 12 + start.month - 1 + n
        return date(months // 12, months % 12 + 1, 1)

    @staticmethod
    def number(grain: str, a: date, b: date) -> int:
        if grain == "month":
            return 12 * (b.year - a.year) + b.month - a.month
        return (b - a).days // (7 if grain == "week" else 1)

    def retention(self) -> list[tuple[Any, ...]]:
        first_cohort: dict[str, datetime] = {}
        for user, name, ts, _ in self.events:
            if name == self.cohort_event and (user not in first_cohort or ts < first_cohort[user]):
                first_cohort[user] = ts
        out = []
        for grain in ("day", "month", "week"):
            end_period = self.period_start(grain, self.local_date(self.data_end))
            members: dict[date, set[str]] = {}
            for user, ts in first_cohort.items():
                members.setdefault(self.period_start(grain, self.local_date(ts)), set()).add(user)
            for cohort_start, users in members.items():
                active: dict[date, set[str]] = {}
                revenue: dict[date, float] = {}
                for user, name, ts, amount in self.events:
                    if user not in users:
                        continue
                    period = self.period_start(grain, self.local_date(ts))
                    revenue[period] = revenue.get(period, 0.0) + (amount or 0.0)
                    if name not in self.passive:
                        active.setdefault(period, set()).add(user)
                cumulative = 0.0
                for n in range(self.number(grain, cohort_start, end_period) + 1):
                    period = self.add(grain, cohort_start, n)
                    later = set().union(*(s for p, s in active.items() if p >= period))
                    cumulative += revenue.get(period, 0.0)
                    period_end_at = self.start_at(self.add(grain, cohort_start, n + 1))
                    out.append(
                        (
                            grain,
                            str(cohort_start),
                            n,
                            str(period),
                            len(users),
                            len(active.get(period, ())),
                            len(later),
                            round(revenue.get(period, 0.0), 6),
                            round(cumulative, 6),
                            period_end_at <= self.data_end,
                            str(period_end_at),
                        )
                    )
        return sorted(out)

    def growth(self) -> list[tuple[Any, ...]]:
        out = []
        for grain in ("month", "week"):
            active: dict[date, set[str]] = {}
            for user, name, ts, _ in self.events:
                if name not in self.passive:
                    period = self.period_start(grain, self.local_date(ts))
                    active.setdefault(period, set()).add(user)
            first = min(active)
            end_period = self.period_start(grain, self.local_date(self.data_end))
            seen: set[str] = set()
            for n in range(self.number(grain, first, end_period) + 1):
                period = self.add(grain, first, n)
                now = active.get(period, set())
                before = active.get(self.add(grain, period, -1), set())
                new = now - seen
                churned = len(before - now)
                resurrected = len(now - before - new)
                out.append(
                    (
                        grain,
                        str(period),
                        len(now),
                        len(new),
                        len(now & before),
                        resurrected,
                        churned,
                        None if churned == 0 else (len(new) + resurrected) / churned,
                        self.start_at(self.add(grain, period, 1)) <= self.data_end,
                    )
                )
                seen |= now
        return sorted(out)

    def lifecycle(self, inactive_after_days: int) -> list[tuple[Any, ...]]:
        users = sorted({user for user, *_ in self.events})
        out = []
        for user in users:
            times = [ts for u, name, ts, _ in self.events if u == user and name not in self.passive]
            if not times:
                out.append((user, None, None, "inactive"))
                continue
            days = int((self.data_end - max(times)) // timedelta(hours=24))
            status = "active" if days <= inactive_after_days else "inactive"
            out.append((user, str(max(times)), days, status))
        return out


def events_sql(events: Sequence[Event]) -> str:
    """raw.events as a `select` over VALUES; one device per user, received when it happened."""
    rows = [
        {
            "event_id": f"{user}-{i}",
            "event_name": name,
            "event_ts": ts,
            "received_at": ts,
            "anonymous_id": f"dev-{user}",
            "user_id": user,
            "revenue": revenue,
            "currency": None if revenue is None else "USD",
        }
        for i, (user, name, ts, revenue) in enumerate(events)
    ]
    return values_sql(EVENT_COLUMNS, rows)


# Only what these tests read (and its ancestors), so models in progress elsewhere can't break
# them; "cautious" keeps the tests whose every parent is built.
SELECT = "+fct_retention +fct_growth_accounting +dim_persons fct_events"


@pytest.fixture(scope="module")
def warehouses(
    build_warehouse: BuildFn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    """Build the four warehouses concurrently (each dbt build is its own subprocess)."""
    # Create the session's base temp folder here: threads racing to create it make mktemp fail.
    tmp_path_factory.getbasetemp()
    cases: Mapping[str, tuple[list[Event], dict[str, Any]]] = {
        "bogota": (BOGOTA_EVENTS, BOGOTA_VARS),
        "kolkata": (KOLKATA_EVENTS, KOLKATA_VARS),
        "new_york": (NEW_YORK_EVENTS, NEW_YORK_VARS),
        "santiago": (SANTIAGO_EVENTS, SANTIAGO_VARS),
    }
    with (
        pytest.MonkeyPatch.context() as env,
        ThreadPoolExecutor(max_workers=len(cases)) as pool,
    ):
        env.setenv("DBT_INDIRECT_SELECTION", "cautious")
        futures = {
            name: pool.submit(
                build_warehouse,
                f"retention_{name}",
                {"events": events_sql(events)},
                vars,
                SELECT,
            )
            for name, (events, vars) in cases.items()
        }
        built = {name: future.result() for name, future in futures.items()}
    yield built


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """Result rows as tuples, with every missing value (NULL, NaN, NaT) as None."""
    return [
        tuple(None if pd.isna(v) else v for v in r) for r in query(db, sql).itertuples(index=False)
    ]


def retention(db: Path, grain: str, cohort_start: str) -> list[tuple[Any, ...]]:
    """(period_number, period_start, cohort_size, active, on_or_after, revenue, cumulative,
    is_complete, period_end_at) of one cohort, in period order."""
    return rows(
        db,
        f"""
        select period_number, cast(period_start as varchar), cohort_size, active_persons,
            retained_on_or_after, revenue, cumulative_revenue, is_complete,
            cast(period_end_at as varchar)
        from marts.fct_retention
        where grain = '{grain}' and cohort_start = date '{cohort_start}'
        order by period_number
        """,
    )


def growth(db: Path, grain: str) -> list[tuple[Any, ...]]:
    """(period_start, active, new, retained, resurrected, churned, quick_ratio, is_complete)."""
    return rows(
        db,
        f"""
        select cast(period_start as varchar), active, new, retained, resurrected, churned,
            quick_ratio, is_complete
        from marts.fct_growth_accounting
        where grain = '{grain}'
        order by period_start
        """,
    )


def cohorts(db: Path, grain: str) -> list[tuple[Any, ...]]:
    """(cohort_start, cohort_size, number of rows, last period_number) per cohort."""
    return rows(
        db,
        f"""
        select cast(cohort_start as varchar), min(cohort_size), count(*), max(period_number)
        from marts.fct_retention
        where grain = '{grain}'
        group by cohort_start
        order by cohort_start
        """,
    )


# ---------------------------------------------------------------------------------------------
# America/Bogota: local midnight, month ends, as_of, passive events, lifecycle


def test_bogota_cohorts_follow_the_local_calendar_and_stop_at_data_end(
    warehouses: dict[str, Path],
) -> None:
    db = warehouses["bogota"]
    # a1 on Jan 4 (local), a3 Jan 10, a2 Jan 31, a4 Feb 10, l2/l3 Feb 15, l1 Feb 16, a5 Mar 2;
    # every cohort runs to Mar 2, the local date of data end.
    assert cohorts(db, "day") == [
        ("2026-01-04", 1, 58, 57),
        ("2026-01-10", 1, 52, 51),
        ("2026-01-31", 1, 31, 30),
        ("2026-02-10", 1, 21, 20),
        ("2026-02-15", 2, 16, 15),
        ("2026-02-16", 1, 15, 14),
        ("2026-03-02", 1, 1, 0),
    ]
    # a1's Sunday puts it in the week of Mon Dec 29, 2025 (in UTC it would be Jan 5).
    assert cohorts(db, "week") == [
        ("2025-12-29", 1, 10, 9),
        ("2026-01-05", 1, 9, 8),
        ("2026-01-26", 1, 6, 5),
        ("2026-02-09", 3, 4, 3),
        ("2026-02-16", 1, 3, 2),
        ("2026-03-02", 1, 1, 0),
    ]
    assert cohorts(db, "month") == [
        ("2026-01-01", 3, 3, 2),
        ("2026-02-01", 4, 2, 1),
        ("2026-03-01", 1, 1, 0),
    ]


def test_bogota_activity_on_both_sides_of_local_midnight(warehouses: dict[str, Path]) -> None:
    db = warehouses["bogota"]
    day = retention(db, "day", "2026-01-04")
    assert day[:3] == [
        (0, "2026-01-04", 1, 1, 1, 0.0, 0.0, True, "2026-01-05 05:00:00"),
        (1, "2026-01-05", 1, 1, 1, 0.0, 0.0, True, "2026-01-06 05:00:00"),
        (2, "2026-01-06", 1, 0, 0, 0.0, 0.0, True, "2026-01-07 05:00:00"),
    ]
    week = retention(db, "week", "2025-12-29")
    assert [r[:5] for r in week[:3]] == [
        (0, "2025-12-29", 1, 1, 1),
        (1, "2026-01-05", 1, 1, 1),
        (2, "2026-01-12", 1, 0, 0),
    ]


def test_bogota_month_end_cohort_and_the_period_containing_data_end(
    warehouses: dict[str, Path],
) -> None:
    db = warehouses["bogota"]
    # January: a1, a2, a3. Revenue: a2's 20 and a3's 3 on a passive event (revenue counts, the
    # event is not activity). February: a2 on Feb 28, twice (10:00 and 23:00 local, the latter
    # Mar 1 in UTC). March: a3's Mar 5 event is after as_of.
    assert retention(db, "month", "2026-01-01") == [
        (0, "2026-01-01", 3, 3, 3, 23.0, 23.0, True, "2026-02-01 05:00:00"),
        (1, "2026-02-01", 3, 1, 1, 7.5, 30.5, True, "2026-03-01 05:00:00"),
        (2, "2026-03-01", 3, 0, 0, 0.0, 30.5, False, "2026-04-01 05:00:00"),
    ]
    # Jan 31 -> Feb 28 is day 28; day 29 (Mar 1) ends exactly at data end: complete.
    day = retention(db, "day", "2026-01-31")
    assert day[0] == (0, "2026-01-31", 1, 1, 1, 20.0, 20.0, True, "2026-02-01 05:00:00")
    assert day[27:] == [
        (27, "2026-02-27", 1, 0, 1, 0.0, 20.0, True, "2026-02-28 05:00:00"),
        (28, "2026-02-28", 1, 1, 1, 7.5, 27.5, True, "2026-03-01 05:00:00"),
        (29, "2026-03-01", 1, 0, 0, 0.0, 27.5, True, "2026-03-02 05:00:00"),
        (30, "2026-03-02", 1, 0, 0, 0.0, 27.5, False, "2026-03-03 05:00:00"),
    ]
    assert sum(r[3] for r in day) == 2
    # Weeks: Sat Jan 31 is in the week of Jan 26; Sat Feb 28 in the week of Feb 23 (n = 4), which
    # ends exactly at data end; the week of Mar 2 is the last row and incomplete.
    week = retention(db, "week", "2026-01-26")
    assert [r[:5] + r[7:] for r in week] == [
        (0, "2026-01-26", 1, 1, 1, True, "2026-02-02 05:00:00"),
        (1, "2026-02-02", 1, 0, 1, True, "2026-02-09 05:00:00"),
        (2, "2026-02-09", 1, 0, 1, True, "2026-02-16 05:00:00"),
        (3, "2026-02-16", 1, 0, 1, True, "2026-02-23 05:00:00"),
        (4, "2026-02-23", 1, 1, 1, True, "2026-03-02 05:00:00"),
        (5, "2026-03-02", 1, 0, 0, False, "2026-03-09 05:00:00"),
    ]


def test_bogota_passive_events_and_as_of(warehouses: dict[str, Path]) -> None:
    db = warehouses["bogota"]
    # a4 (passive events only) is a cohort member (first event) but never active.
    assert [r[:5] for r in retention(db, "day", "2026-02-10")[:2]] == [
        (0, "2026-02-10", 1, 0, 0),
        (1, "2026-02-11", 1, 0, 0),
    ]
    # February cohort: a4, l1, l2, l3; three active in February, none in March.
    assert retention(db, "month", "2026-02-01") == [
        (0, "2026-02-01", 4, 3, 3, 0.0, 0.0, True, "2026-03-01 05:00:00"),
        (1, "2026-03-01", 4, 0, 0, 0.0, 0.0, False, "2026-04-01 05:00:00"),
    ]
    # a5's event at as_of counts (local Mar 2 00:00); the one a second later, with revenue, not.
    assert retention(db, "day", "2026-03-02") == [
        (0, "2026-03-02", 1, 1, 1, 0.0, 0.0, False, "2026-03-03 05:00:00"),
    ]
    assert rows(
        db, "select count(*) from marts.fct_events where event_ts > timestamp '2026-03-02 05:00:00'"
    ) == [(0,)]


def test_bogota_growth_accounting(warehouses: dict[str, Path]) -> None:
    db = warehouses["bogota"]
    # Jan: a1, a2, a3 new. Feb: a2 retained; l1, l2, l3 new (a4 passive only); a1, a3 churned.
    # Mar (to data end): a5 new; all four of February churned.
    assert growth(db, "month") == [
        ("2026-01-01", 3, 3, 0, 0, 0, None, True),
        ("2026-02-01", 4, 3, 1, 0, 2, 1.5, True),
        ("2026-03-01", 1, 1, 0, 0, 4, 0.25, False),
    ]


def test_bogota_lifecycle_at_the_inactive_after_days_boundary(warehouses: dict[str, Path]) -> None:
    db = warehouses["bogota"]
    got = rows(
        db,
        """
        select primary_user_id, cast(last_active_at as varchar), days_since_last_active,
            lifecycle_status
        from marts.dim_persons
        order by primary_user_id
        """,
    )
    assert got == [
        ("a1", "2026-01-05 05:30:00", 55, "inactive"),
        ("a2", "2026-03-01 04:00:00", 1, "active"),
        ("a3", "2026-01-10 15:00:00", 50, "inactive"),  # the Mar 5 event is after as_of
        ("a4", None, None, "inactive"),  # passive events only
        ("a5", "2026-03-02 05:00:00", 0, "active"),
        ("l1", "2026-02-16 05:00:00", 14, "active"),  # exactly 14 x 24 h; the push doesn't count
        ("l2", "2026-02-15 05:00:00", 15, "inactive"),  # exactly 15 x 24 h
        ("l3", "2026-02-15 05:00:01", 14, "active"),  # one second short of 15 days
    ]


# ---------------------------------------------------------------------------------------------
# Asia/Kolkata: retention_cohort_event, midnight, multi-person growth accounting


def test_kolkata_cohort_event_and_local_midnight(warehouses: dict[str, Path]) -> None:
    db = warehouses["kolkata"]
    # g5 never signs up: no cohort. Cohort weeks: g6 Jan 19, g1 Feb 2, g3 Feb 9, g2 Feb 16,
    # g4 Feb 23; data end (Sun Mar 15 23:59 local) is in the week of Mar 9.
    assert cohorts(db, "week") == [
        ("2026-01-19", 1, 8, 7),
        ("2026-02-02", 1, 6, 5),
        ("2026-02-09", 1, 5, 4),
        ("2026-02-16", 1, 4, 3),
        ("2026-02-23", 1, 3, 2),
    ]
    # g3: signed up 23:59, back at 00:01 local the next day (same UTC date).
    day = retention(db, "day", "2026-02-10")
    assert day[:3] == [
        (0, "2026-02-10", 1, 1, 1, 0.0, 0.0, True, "2026-02-10 18:30:00"),
        (1, "2026-02-11", 1, 1, 1, 0.0, 0.0, True, "2026-02-11 18:30:00"),
        (2, "2026-02-12", 1, 0, 1, 0.0, 0.0, True, "2026-02-12 18:30:00"),
    ]
    assert [r[0] for r in day if r[3]] == [0, 1, 28]
    # g2: the purchase of Feb 4 precedes the cohort week (Feb 16) and is ignored there.
    assert retention(db, "week", "2026-02-16") == [
        (0, "2026-02-16", 1, 1, 1, 0.0, 0.0, True, "2026-02-22 18:30:00"),
        (1, "2026-02-23", 1, 1, 1, 0.0, 0.0, True, "2026-03-01 18:30:00"),
        (2, "2026-03-02", 1, 0, 0, 0.0, 0.0, True, "2026-03-08 18:30:00"),
        (3, "2026-03-09", 1, 0, 0, 0.0, 0.0, False, "2026-03-15 18:30:00"),
    ]
    # g1: W0, W1, W2 active (revenue in W2); only a passive event in W3.
    assert [r[:7] for r in retention(db, "week", "2026-02-02")] == [
        (0, "2026-02-02", 1, 1, 1, 0.0, 0.0),
        (1, "2026-02-09", 1, 1, 1, 0.0, 0.0),
        (2, "2026-02-16", 1, 1, 1, 12.5, 12.5),
        (3, "2026-02-23", 1, 0, 0, 0.0, 12.5),
        (4, "2026-03-02", 1, 0, 0, 0.0, 12.5),
        (5, "2026-03-09", 1, 0, 0, 0.0, 12.5),
    ]
    # g3: "return on" vs "on or after" — back only in week 4.
    assert [r[3:5] for r in retention(db, "week", "2026-02-09")] == [
        (1, 1),
        (0, 1),
        (0, 1),
        (0, 1),
        (1, 1),
    ]


def test_kolkata_month_cohorts_count_the_whole_cohort_month(warehouses: dict[str, Path]) -> None:
    db = warehouses["kolkata"]
    # February cohort: g1, g2, g3, g4. Period 0 is all of February, so g2's purchase of Feb 4
    # (before its signup on Feb 18) is in it; March: g3, g4 (g4's purchase of 40).
    assert retention(db, "month", "2026-02-01") == [
        (0, "2026-02-01", 4, 4, 4, 111.5, 111.5, True, "2026-02-28 18:30:00"),
        (1, "2026-03-01", 4, 2, 2, 40.0, 151.5, False, "2026-03-31 18:30:00"),
    ]
    assert [r[:5] for r in retention(db, "month", "2026-01-01")] == [
        (0, "2026-01-01", 1, 1, 1),
        (1, "2026-02-01", 1, 0, 0),
        (2, "2026-03-01", 1, 0, 0),
    ]


def test_kolkata_growth_accounting_by_week(warehouses: dict[str, Path]) -> None:
    db = warehouses["kolkata"]
    # Active weeks: g6 {W-2}; g1 {W0, W1, W2} (+ passive W3); g2 {W0, W2, W3}; g3 {W1, W5};
    # g4 {W3, W4, W5}; g5 {W0 (Mon 00:15 local), W4}. W-1 has no activity.
    assert growth(db, "week") == [
        ("2026-01-19", 1, 1, 0, 0, 0, None, True),
        ("2026-01-26", 0, 0, 0, 0, 1, 0.0, True),
        ("2026-02-02", 3, 3, 0, 0, 0, None, True),
        ("2026-02-09", 2, 1, 1, 0, 2, 0.5, True),
        ("2026-02-16", 2, 0, 1, 1, 1, 1.0, True),
        ("2026-02-23", 2, 1, 1, 0, 1, 1.0, True),
        ("2026-03-02", 2, 0, 1, 1, 1, 1.0, True),
        ("2026-03-09", 2, 0, 1, 1, 1, 1.0, False),
    ]
    assert growth(db, "month") == [
        ("2026-01-01", 1, 1, 0, 0, 0, None, True),
        ("2026-02-01", 5, 5, 0, 0, 1, 5.0, True),
        ("2026-03-01", 3, 0, 3, 0, 2, 0.0, False),
    ]


def test_growth_accounting_identities_hold(warehouses: dict[str, Path]) -> None:
    for db in warehouses.values():
        frame = query(db, "select * from marts.fct_growth_accounting order by grain, period_start")
        for _, periods in frame.groupby("grain"):
            previous_active = periods["active"].shift(1, fill_value=0)
            assert (
                periods["active"] == periods["new"] + periods["retained"] + periods["resurrected"]
            ).all()
            assert (periods["churned"] == previous_active - periods["retained"]).all()


# ---------------------------------------------------------------------------------------------
# America/New_York: daylight-saving changes, retention_return_events


def test_new_york_days_across_daylight_saving_changes(warehouses: dict[str, Path]) -> None:
    db = warehouses["new_york"]
    # Mar 7 -> Nov 1 (local date of data end) is 239 days.
    assert cohorts(db, "day") == [("2026-03-07", 1, 240, 239), ("2026-10-31", 1, 2, 1)]
    # n1's cohort event (page_viewed) is not a return event: period 0 is not active. Mar 8 lasts
    # 23 h (05:00 -> 04:00 UTC); 03:30 UTC is Mar 8 and 04:30 UTC is Mar 9 locally.
    assert [r[:5] + r[7:] for r in retention(db, "day", "2026-03-07")[:4]] == [
        (0, "2026-03-07", 1, 0, 1, True, "2026-03-08 05:00:00"),
        (1, "2026-03-08", 1, 1, 1, True, "2026-03-09 04:00:00"),
        (2, "2026-03-09", 1, 1, 1, True, "2026-03-10 04:00:00"),
        (3, "2026-03-10", 1, 0, 0, True, "2026-03-11 04:00:00"),
    ]
    # Nov 1 lasts 25 h (04:00 -> 05:00 UTC); data end, 04:30 UTC Nov 2, is still Nov 1 locally,
    # so the last row is Nov 1 and it is incomplete.
    assert [r[:5] + r[7:] for r in retention(db, "day", "2026-10-31")] == [
        (0, "2026-10-31", 1, 1, 1, True, "2026-11-01 04:00:00"),
        (1, "2026-11-01", 1, 1, 1, False, "2026-11-02 05:00:00"),
    ]
    # Weeks: Sun Mar 8 23:30 EDT is in the week of Mar 2, Mon Mar 9 00:30 EDT in the next.
    assert [r[:5] for r in retention(db, "week", "2026-03-02")[:3]] == [
        (0, "2026-03-02", 1, 1, 1),
        (1, "2026-03-09", 1, 1, 1),
        (2, "2026-03-16", 1, 0, 0),
    ]
    weeks = growth(db, "week")
    assert len(weeks) == 35  # Mar 2 .. Oct 26, empty weeks included
    assert weeks[:3] == [
        ("2026-03-02", 1, 1, 0, 0, 0, None, True),
        ("2026-03-09", 1, 0, 1, 0, 0, None, True),
        ("2026-03-16", 0, 0, 0, 0, 1, 0.0, True),
    ]
    assert weeks[-1] == ("2026-10-26", 1, 1, 0, 0, 0, None, False)
    assert sum(w[1] for w in weeks) == 3


def test_retention_curves_are_bounded(warehouses: dict[str, Path]) -> None:
    for db in warehouses.values():
        bad = rows(
            db,
            """
            select grain, cohort_start, period_number
            from marts.fct_retention
            where not (active_persons <= retained_on_or_after
                and retained_on_or_after <= cohort_size)
                or period_start < cohort_start
            """,
        )
        assert bad == []


# ---------------------------------------------------------------------------------------------
# America/Santiago: random persons against the independent reading, row for row


def test_santiago_matches_the_reference_row_for_row(warehouses: dict[str, Path]) -> None:
    db = warehouses["santiago"]
    reference = Reference(SANTIAGO_EVENTS, SANTIAGO_VARS)
    got = rows(
        db,
        """
        select grain, cast(cohort_start as varchar), period_number, cast(period_start as varchar),
            cohort_size, active_persons, retained_on_or_after, round(revenue, 6),
            round(cumulative_revenue, 6), is_complete, cast(period_end_at as varchar)
        from marts.fct_retention
        order by all
        """,
    )
    expected = reference.retention()
    assert len(got) == len(expected)
    assert got == expected
    # The DST day: Sep 6 begins at 04:00 UTC (01:00 local) and ends at 03:00 UTC on Sep 7.
    dst = retention(db, "day", "2026-09-05")
    assert [r[:5] + r[8:] for r in dst[:2]] == [
        (0, "2026-09-05", 1, 1, 1, "2026-09-06 04:00:00"),
        (1, "2026-09-06", 1, 1, 1, "2026-09-07 03:00:00"),
    ]

    growth_rows = rows(
        db,
        """
        select grain, cast(period_start as varchar), active, new, retained, resurrected, churned,
            quick_ratio, is_complete
        from marts.fct_growth_accounting
        order by all
        """,
    )
    assert growth_rows == reference.growth()

    lifecycle = rows(
        db,
        """
        select primary_user_id, cast(last_active_at as varchar), days_since_last_active,
            lifecycle_status
        from marts.dim_persons
        order by primary_user_id
        """,
    )
    assert lifecycle == reference.lifecycle(SANTIAGO_VARS["inactive_after_days"])
