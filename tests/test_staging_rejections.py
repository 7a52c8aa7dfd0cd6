"""Staging on hand-made raw events: every reject reason of metrics.md §0 with its precedence,
duplicate resolution, name normalisation, Unicode and hostile text, JSON and currency handling,
timestamp parsing, and a build with only the required raw table and columns.

Each raw row carries a unique tag in `utm_content` so a row can be followed into
`staging.stg_events` or `staging.rejected_events` whatever its event_id looks like.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from conftest import BuildFn, query, values_sql

pytestmark = pytest.mark.dbt

# Only the models these tests read (and their parents): keeps the build fast and independent of
# marts further downstream.
SELECT = "+rejected_events +dim_persons +person_identities +identity_conflicts +fct_events +fct_sessions +fct_touchpoints"

VARS = {"max_clock_skew_hours": 24, "min_event_date": "2000-01-01", "reporting_currency": "USD"}

# All raw.events columns of the contract; event_ts is text here (ISO-8601 with and without an
# offset, plus garbage), received_at is a TIMESTAMPTZ.
EVENT_COLUMNS: dict[str, str] = {
    "event_id": "varchar",
    "event_name": "varchar",
    "event_ts": "varchar",
    "received_at": "timestamptz",
    "anonymous_id": "varchar",
    "user_id": "varchar",
    "account_id": "varchar",
    "platform": "varchar",
    "utm_source": "varchar",
    "utm_medium": "varchar",
    "utm_campaign": "varchar",
    "utm_content": "varchar",
    "utm_term": "varchar",
    "referrer": "varchar",
    "page_url": "varchar",
    "revenue": "double",
    "currency": "varchar",
    "properties": "varchar",
}

# Received at 2026-01-02 00:00 UTC, written with a +02 offset on purpose.
RECEIVED = "2026-01-02 02:00:00+02"
TS = "2026-01-01 12:00:00"

SQLI = "'; drop table raw.events; --"
BIG = "x" * 10_240
BIG_PROPERTIES = '{"blob": "' + BIG + '"}'
BIG_URL = "https://shop.example/" + "p" * 10_240

UNICODE_EVENT_ID = "évènement-日本語-🎉"
UNICODE_ANON = "appareil-ñ-设备-😀"
UNICODE_USER = "Zoë-ユーザー-🚀"
UNICODE_URL = "https://shop.example/商品/ß?q=ü"
UNICODE_PROPERTIES = '{"note": "café ☕ 日本", "emoji": "🎉"}'


def event(tag: str, **overrides: Any) -> dict[str, Any]:
    """A valid raw event (accepted unless overridden), tagged in utm_content."""
    row: dict[str, Any] = {
        "event_id": f"e_{tag}",
        "event_name": "page_viewed",
        "event_ts": TS,
        "received_at": RECEIVED,
        "anonymous_id": f"anon_{tag}",
        "utm_content": tag,
    }
    row.update(overrides)
    return row


# tag -> expected reject_reason
REJECTED: dict[str, str] = {}
# tags of rows that must be accepted
ACCEPTED: list[str] = []
ROWS: list[dict[str, Any]] = []


def reject(reason: str, tag: str, **overrides: Any) -> None:
    ROWS.append(event(tag, **overrides))
    REJECTED[tag] = reason


def accept(tag: str, **overrides: Any) -> None:
    ROWS.append(event(tag, **overrides))
    ACCEPTED.append(tag)


# --- missing_event_id: null, blank after trim; it wins over every later check.
reject(
    "missing_event_id", "id_null", event_id=None, event_name=None, event_ts=None, anonymous_id=None
)
reject("missing_event_id", "id_blank", event_id="   ")
reject("missing_event_id", "id_empty", event_id="", event_ts="garbage")
reject("missing_event_id", "id_whitespace", event_id="\t\n\u00a0")  # any white space is blank
# --- missing_event_name: null or blank; wins over missing ts and no identifier.
reject("missing_event_name", "name_null", event_name=None, event_ts=None, anonymous_id=None)
reject("missing_event_name", "name_blank", event_name="   ")
reject("missing_event_name", "name_whitespace", event_name=" \n\t")
# --- missing_event_ts: null or unparseable text; wins over no identifier and duplicates.
reject("missing_event_ts", "ts_null", event_ts=None, anonymous_id=None)
reject("missing_event_ts", "ts_text", event_ts="yesterday-ish")
reject("missing_event_ts", "ts_bad_date", event_ts="2026-02-30 10:00:00")
reject("missing_event_ts", "ts_empty", event_ts="")
# --- no_identifier: both ids blank or blocked (case-insensitive, after trim).
BLOCKED_PAIRS = [
    (None, None),
    ("", " "),
    ("undefined", "0000-0000"),
    ("null", "NaN"),
    ("-1", "0"),
    (" UNDEFINED ", "None"),
    ("anonymous", "unknown"),
    ("---", "00"),
    ("nan", "NULL"),
    ("Unknown", "-"),
    ("\t", "\r\n"),
    ("\u3000", "\u00a0undefined\t"),
]
for i, (anon, user) in enumerate(BLOCKED_PAIRS):
    reject("no_identifier", f"noid_{i}", anonymous_id=anon, user_id=user)
# no identifier wins over a future timestamp
reject("no_identifier", "noid_future", anonymous_id="undefined", event_ts="2026-03-01 00:00:00")
# Unicode survives on a rejected row too
reject("no_identifier", "noid_unicode", event_id="ünï-rejected-✗", anonymous_id=None)
# --- event_ts_in_future: event_ts > received_at + 24 h (received 2026-01-02 00:00 UTC).
reject("event_ts_in_future", "future_1ms", event_ts="2026-01-03 00:00:00.001")
reject("event_ts_in_future", "future_offset", event_ts="2026-01-03 01:00:01+01:00")
accept("future_edge", event_ts="2026-01-03 00:00:00")
accept("future_edge_offset", event_ts="2026-01-02T19:00:00-05:00")
# received long before min_event_date: too old and in the future at once, the future check wins
reject(
    "event_ts_in_future",
    "future_and_old",
    received_at="1990-01-01 00:00:00+00",
    event_ts="1995-01-01 00:00:00",
)
# --- event_ts_too_old: event_ts < min_event_date at midnight UTC.
reject("event_ts_too_old", "old_1s", event_ts="1999-12-31 23:59:59")
reject("event_ts_too_old", "old_offset", event_ts="2000-01-01T00:30:00+01:00")
accept("old_edge", event_ts="2000-01-01 00:00:00")

# --- duplicate_event_id: earliest received_at wins, ties by smallest event_ts, then raw text.
reject(
    "duplicate_event_id",
    "dup1_late",
    event_id="dup1",
    received_at="2026-01-02 10:00:00+00",
    event_ts="2026-01-01 07:00:00",
)
reject(
    "duplicate_event_id",
    "dup1_tie_later_ts",
    event_id="dup1",
    received_at="2026-01-02 09:00:00+00",
    event_ts="2026-01-01 08:30:00",
)
accept(
    "dup1_win",
    event_id="dup1",
    received_at="2026-01-02 09:00:00+00",
    event_ts="2026-01-01 08:00:00",
)
# A valid copy survives invalid ones, even ones received earlier.
reject(
    "missing_event_ts",
    "dup2_no_ts",
    event_id="dup2",
    received_at="2026-01-02 07:00:00+00",
    event_ts=None,
)
reject(
    "no_identifier",
    "dup2_noid",
    event_id="dup2",
    received_at="2026-01-02 08:00:00+00",
    anonymous_id="undefined",
)
reject(
    "event_ts_in_future",
    "dup2_future",
    event_id="dup2",
    received_at="2026-01-02 08:30:00+00",
    event_ts="2026-02-01 00:00:00",
)
accept("dup2_valid", event_id="dup2", received_at="2026-01-02 12:00:00+00")
# event_id is compared after trim
accept("dup3_win", event_id=" dup3 ", received_at="2026-01-02 09:00:00+00")
reject("duplicate_event_id", "dup3_copy", event_id="dup3", received_at="2026-01-02 10:00:00+00")
# full tie on received_at and event_ts: the first by raw columns as text
reject("duplicate_event_id", "dup4_b", event_id="dup4", page_url="https://shop.example/b")
accept("dup4_a", event_id="dup4", page_url="https://shop.example/a")
# two invalid copies: each keeps its own reason, none is a duplicate, nothing accepted
reject("event_ts_too_old", "dup5_old", event_id="dup5", event_ts="1990-01-01 00:00:00")
reject("missing_event_name", "dup5_nameless", event_id="dup5", event_name="")
# two byte-identical rows: one is kept, the other is its duplicate
accept("dup6_twin", event_id="dup6")
reject("duplicate_event_id", "dup6_twin", event_id="dup6")

# --- accepted rows whose content is checked
for i, name in enumerate(["Signed Up", "signed-up", " SIGNED_UP ", "signed__up!"]):
    accept(f"name_{i}", event_name=name)
accept(
    "unicode",
    event_id=UNICODE_EVENT_ID,
    event_name="Ajouté au panier 🛒",
    anonymous_id=UNICODE_ANON,
    user_id=UNICODE_USER,
    page_url=UNICODE_URL,
    properties=UNICODE_PROPERTIES,
)
accept(
    "sqli",
    event_id="sqli" + SQLI,
    event_name="Robert'); DROP TABLE students;--",
    user_id=SQLI,
    page_url="https://shop.example/?q=" + SQLI,
    properties='{"q": "' + SQLI + '"}',
)
accept("big", properties=BIG_PROPERTIES, page_url=BIG_URL)
accept("json_ok", properties='{"plan": "pro", "seats": 3}')
accept("json_truncated", properties='{"plan": "pro"')
accept("json_garbage", properties="not json at all")
accept("json_array", properties="[1, 2, 3]")
accept("cur_unknown", revenue=10.0, currency="XYZ")
accept("cur_eur", revenue=100.0, currency="EUR")
accept("cur_eur_refund", revenue=-25.5, currency=" eur ")
accept("cur_jpy", revenue=1000.0, currency="JPY")
accept("cur_usd", revenue=7.0, currency="USD")
accept("cur_null", revenue=42.5, currency=None)
accept("ts_offset_hm", event_ts="2026-01-01 10:00+05:00")
accept("ts_zulu", event_ts="2026-01-01T10:00:00Z")
accept("ts_negative_offset", event_ts="2026-01-01T10:00:00.250-03:30")
accept("ts_naive", event_ts="2026-01-01 10:00:00")
accept("user_only", anonymous_id="undefined", user_id="user_only_u1")
accept("whitespace_ids", event_id="\tws_id\n", anonymous_id="\u00a0ws_anon ", user_id=" ws_user\t")


@pytest.fixture(scope="module")
def warehouses(build_warehouse: BuildFn) -> dict[str, Path]:
    """The two warehouses of this module, built concurrently (each dbt build is a subprocess)."""
    builds = {
        "full": lambda: build_warehouse(
            "staging_rejections",
            {"events": values_sql(EVENT_COLUMNS, ROWS)},
            vars=VARS,
            select=SELECT,
        ),
        # every model, so every mart is shown to build without the optional tables
        "minimal": lambda: build_warehouse(
            "staging_minimal", {"events": MINIMAL_EVENTS}, vars=VARS
        ),
    }
    with ThreadPoolExecutor(max_workers=len(builds)) as pool:
        futures = {name: pool.submit(build) for name, build in builds.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def warehouse(warehouses: dict[str, Path]) -> Path:
    return warehouses["full"]


@pytest.fixture(scope="module")
def accepted(warehouse: Path) -> pd.DataFrame:
    return query(warehouse, "select * from staging.stg_events").set_index("utm_content")


def test_every_raw_row_lands_once(warehouse: Path) -> None:
    counts = query(
        warehouse,
        """
        select
            (select count(*) from raw.events) as n_raw,
            (select count(*) from staging.stg_events) as n_accepted,
            (select count(*) from staging.rejected_events) as n_rejected
        """,
    ).iloc[0]
    assert counts.n_raw == len(ROWS)
    assert counts.n_accepted == len(ACCEPTED)
    assert counts.n_rejected == len(REJECTED)
    assert counts.n_raw == counts.n_accepted + counts.n_rejected


def test_reject_reasons_exact(warehouse: Path) -> None:
    got = query(warehouse, "select utm_content, reject_reason from staging.rejected_events")
    assert got.utm_content.is_unique
    assert dict(zip(got.utm_content, got.reject_reason, strict=True)) == REJECTED


def test_accepted_rows_exact(warehouse: Path, accepted: pd.DataFrame) -> None:
    assert sorted(accepted.index) == sorted(ACCEPTED)
    assert accepted.event_id.is_unique
    assert set(query(warehouse, "select event_id from marts.fct_events").event_id) == set(
        accepted.event_id
    )


def test_duplicate_winners(accepted: pd.DataFrame) -> None:
    assert accepted.loc["dup1_win", "event_id"] == "dup1"
    assert accepted.loc["dup1_win", "event_ts"] == pd.Timestamp("2026-01-01 08:00:00")
    assert accepted.loc["dup1_win", "received_at"] == pd.Timestamp("2026-01-02 09:00:00")
    assert accepted.loc["dup2_valid", "event_id"] == "dup2"
    assert accepted.loc["dup3_win", "event_id"] == "dup3"
    assert accepted.loc["dup4_a", "page_url"] == "https://shop.example/a"


def test_rejected_rows_keep_raw_text(warehouse: Path) -> None:
    got = query(warehouse, "select * from staging.rejected_events").set_index("utm_content")
    assert set(got.columns) >= {c for c in EVENT_COLUMNS if c != "utm_content"} | {"reject_reason"}
    assert got.loc["ts_text", "event_ts"] == "yesterday-ish"
    assert got.loc["id_blank", "event_id"] == "   "
    assert got.loc["noid_2", "anonymous_id"] == "undefined"
    assert got.loc["noid_2", "user_id"] == "0000-0000"
    assert got.loc["noid_unicode", "event_id"] == "ünï-rejected-✗"
    assert got.loc["dup3_copy", "event_id"] == "dup3"
    assert got.loc["future_offset", "event_ts"] == "2026-01-03 01:00:01+01:00"


def test_event_names_normalised(accepted: pd.DataFrame, warehouse: Path) -> None:
    for i in range(4):
        assert accepted.loc[f"name_{i}", "event_name"] == "signed_up"
    assert accepted.loc["unicode", "event_name"] == "ajout_au_panier"
    assert accepted.loc["sqli", "event_name"] == "robert_drop_table_students"
    names = query(
        warehouse,
        "select count(*) as n from marts.fct_events where event_name = 'signed_up'",
    ).n.iloc[0]
    assert names == 4


def test_unicode_survives(accepted: pd.DataFrame, warehouse: Path) -> None:
    row = accepted.loc["unicode"]
    assert row.event_id == UNICODE_EVENT_ID
    assert row.anonymous_id == UNICODE_ANON
    assert row.user_id == UNICODE_USER
    assert row.page_url == UNICODE_URL
    assert row.properties == UNICODE_PROPERTIES
    fct = query(
        warehouse,
        "select e.*, p.person_key from marts.fct_events as e "
        "inner join marts.dim_persons as p on e.person_id = p.person_id where e.event_id = ?",
        [UNICODE_EVENT_ID],
    ).iloc[0]
    assert fct.user_id == UNICODE_USER
    assert fct.anonymous_id == UNICODE_ANON
    assert fct.page_url == UNICODE_URL
    assert fct.properties == UNICODE_PROPERTIES
    assert fct.person_key == UNICODE_USER
    assert fct.person_id == hashlib.md5(UNICODE_USER.encode("utf-8")).hexdigest()


def test_sql_looking_text_verbatim(accepted: pd.DataFrame, warehouse: Path) -> None:
    row = accepted.loc["sqli"]
    assert row.event_id == "sqli" + SQLI
    assert row.user_id == SQLI
    assert row.page_url == "https://shop.example/?q=" + SQLI
    assert row.properties == '{"q": "' + SQLI + '"}'
    assert query(warehouse, "select count(*) as n from raw.events").n.iloc[0] == len(ROWS)
    person = query(
        warehouse, "select person_key from marts.dim_persons where primary_user_id = ?", [SQLI]
    )
    assert list(person.person_key) == [SQLI]


def test_ten_kilobyte_strings(accepted: pd.DataFrame, warehouse: Path) -> None:
    assert accepted.loc["big", "properties"] == BIG_PROPERTIES
    assert accepted.loc["big", "page_url"] == BIG_URL
    fct = query(
        warehouse,
        "select length(properties) as n_props, length(page_url) as n_url "
        "from marts.fct_events where event_id = 'e_big'",
    ).iloc[0]
    assert (fct.n_props, fct.n_url) == (len(BIG_PROPERTIES), len(BIG_URL))


def test_bad_json_keeps_event(accepted: pd.DataFrame) -> None:
    assert accepted.loc["json_ok", "properties"] == '{"plan": "pro", "seats": 3}'
    assert not accepted.loc["json_ok", "is_properties_malformed"]
    for tag in ["json_truncated", "json_garbage", "json_array"]:
        assert pd.isna(accepted.loc[tag, "properties"]), tag
        assert accepted.loc[tag, "is_properties_malformed"], tag
    assert pd.isna(accepted.loc["cur_null", "properties"])
    assert not accepted.loc["cur_null", "is_properties_malformed"]


def test_revenue_in_reporting_currency(accepted: pd.DataFrame, warehouse: Path) -> None:
    eur, jpy = 1.08, 0.0067  # seeds/fx_rates.csv, usd_per_unit; reporting currency USD = 1.0
    assert pd.isna(accepted.loc["cur_unknown", "revenue"])
    assert accepted.loc["cur_unknown", "revenue_original"] == 10.0
    assert accepted.loc["cur_unknown", "is_unknown_currency"]
    assert accepted.loc["cur_eur", "revenue"] == 100.0 * eur / 1.0
    assert accepted.loc["cur_eur_refund", "revenue"] == -25.5 * eur / 1.0
    assert accepted.loc["cur_jpy", "revenue"] == 1000.0 * jpy / 1.0
    assert accepted.loc["cur_usd", "revenue"] == 7.0
    assert accepted.loc["cur_null", "revenue"] == 42.5
    for tag in ["cur_eur", "cur_eur_refund", "cur_jpy", "cur_usd", "cur_null"]:
        assert not accepted.loc[tag, "is_unknown_currency"], tag
    fct = query(
        warehouse, "select event_id, revenue from marts.fct_events where event_id like 'e_cur_%'"
    )
    got = dict(zip(fct.event_id, fct.revenue, strict=True))
    assert pd.isna(got.pop("e_cur_unknown"))
    assert got == {
        "e_cur_eur": 108.0,
        "e_cur_eur_refund": -25.5 * eur,
        "e_cur_jpy": 1000.0 * jpy,
        "e_cur_usd": 7.0,
        "e_cur_null": 42.5,
    }


def test_timestamps_parsed_to_utc(accepted: pd.DataFrame) -> None:
    expected = {
        "ts_offset_hm": datetime(2026, 1, 1, 5, 0, 0),
        "ts_zulu": datetime(2026, 1, 1, 10, 0, 0),
        "ts_negative_offset": datetime(2026, 1, 1, 13, 30, 0, 250_000),
        "ts_naive": datetime(2026, 1, 1, 10, 0, 0),
        "future_edge": datetime(2026, 1, 3, 0, 0, 0),
        "future_edge_offset": datetime(2026, 1, 3, 0, 0, 0),
        "old_edge": datetime(2000, 1, 1, 0, 0, 0),
    }
    for tag, ts in expected.items():
        assert accepted.loc[tag, "event_ts"] == pd.Timestamp(ts), tag
    # received_at was a TIMESTAMPTZ written with a +02 offset
    assert accepted.loc["ts_naive", "received_at"] == pd.Timestamp("2026-01-02 00:00:00")


def test_blocked_ids_are_null_in_staging(accepted: pd.DataFrame) -> None:
    assert pd.isna(accepted.loc["user_only", "anonymous_id"])
    assert accepted.loc["user_only", "user_id"] == "user_only_u1"


def test_ids_trimmed_of_any_white_space(accepted: pd.DataFrame) -> None:
    row = accepted.loc["whitespace_ids"]
    assert (row.event_id, row.anonymous_id, row.user_id) == ("ws_id", "ws_anon", "ws_user")


# --- A business with nothing but the required events columns and no optional table.

MINIMAL_EVENTS = """
select
    cast(event_id as varchar) as event_id,
    cast(event_name as varchar) as event_name,
    cast(event_ts as timestamptz) as event_ts,
    cast(received_at as timestamp) as received_at,
    cast(anonymous_id as varchar) as anonymous_id,
    cast(user_id as varchar) as user_id
from (values
    ('m1', 'Page Viewed', '2026-01-01 10:00:00+05', '2026-01-01 06:00:00', 'dev_1', null),
    ('m2', 'Signed Up',   '2026-01-01 10:10:00+05', '2026-01-01 06:00:00', 'dev_1', 'u_1'),
    ('m3', 'page_viewed', '2026-01-01 09:00:00+00', '2026-01-01 10:00:00', 'dev_2', null),
    ('m4', 'page_viewed', '2026-01-01 09:00:00+00', '2026-01-01 10:00:00', 'dev_2', null),
    ('m4', 'page_viewed', '2026-01-01 09:00:00+00', '2026-01-01 11:00:00', 'dev_2', null)
) as t(event_id, event_name, event_ts, received_at, anonymous_id, user_id)
"""

CORE_MARTS = {
    "dim_persons",
    "person_identities",
    "identity_conflicts",
    "fct_events",
    "fct_sessions",
    "fct_touchpoints",
}


@pytest.fixture(scope="module")
def minimal(warehouses: dict[str, Path]) -> Path:
    return warehouses["minimal"]


def test_minimal_build_marts_exist(minimal: Path) -> None:
    raw = query(
        minimal, "select table_name from information_schema.tables where table_schema = 'raw'"
    )
    assert list(raw.table_name) == ["events"]
    marts = set(
        query(
            minimal, "select table_name from information_schema.tables where table_schema = 'marts'"
        ).table_name
    )
    assert marts >= CORE_MARTS
    for table in sorted(marts):
        query(minimal, f"select * from marts.{table}")  # every mart is readable
    assert query(minimal, "select count(*) as n from marts.identity_conflicts").n.iloc[0] == 0
    for staged in [
        "stg_identifies",
        "stg_aliases",
        "stg_campaigns",
        "stg_campaign_messages",
        "stg_ad_spend",
    ]:
        assert query(minimal, f"select count(*) as n from staging.{staged}").n.iloc[0] == 0, staged


def test_minimal_build_contents(minimal: Path) -> None:
    events = query(
        minimal,
        "select e.event_id, e.event_name, e.event_ts, e.revenue, e.properties, e.platform, "
        "p.person_key from marts.fct_events as e inner join marts.dim_persons as p on e.person_id = p.person_id "
        "order by e.event_id",
    )
    assert list(events.event_id) == ["m1", "m2", "m3", "m4"]
    assert list(events.event_name) == ["page_viewed", "signed_up", "page_viewed", "page_viewed"]
    # TIMESTAMPTZ input becomes naive UTC
    assert list(events.event_ts) == [
        pd.Timestamp("2026-01-01 05:00:00"),
        pd.Timestamp("2026-01-01 05:10:00"),
        pd.Timestamp("2026-01-01 09:00:00"),
        pd.Timestamp("2026-01-01 09:00:00"),
    ]
    assert list(events.person_key) == ["u_1", "u_1", "dev_2", "dev_2"]
    assert events.revenue.isna().all()
    assert events.properties.isna().all()
    assert events.platform.isna().all()
    rejected = query(minimal, "select * from staging.rejected_events")
    assert list(rejected.reject_reason) == ["duplicate_event_id"]
    assert rejected.anonymous_id.iloc[0] == "dev_2"
    assert rejected.utm_source.isna().all() and rejected.properties.isna().all()
    sessions = query(
        minimal, "select channel, n_events from marts.fct_sessions order by started_at"
    )
    assert list(sessions.channel) == ["direct", "direct"]
    assert list(sessions.n_events) == [2, 2]
    assert query(minimal, "select count(*) as n from marts.fct_touchpoints").n.iloc[0] == 2
