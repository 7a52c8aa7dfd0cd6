"""Identity stitching (metrics.md §1) on hand-made identities: which events and identifiers land
in which person. Every case uses its own id prefix so all cases share one build; a second build
of the same rows in reverse order checks that person_ids are deterministic.

Persons are compared through `dim_persons.person_key` (the smallest user_id of the person, or
the anonymous_id of an anonymous person), which keeps the expectations readable.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from conftest import BASE_EVENT_COLUMNS, IDENTIFY_COLUMNS, BuildFn, query, values_sql

pytestmark = pytest.mark.dbt

# Only the models these tests read (and their parents): keeps the build fast and independent of
# marts further downstream.
SELECT = (
    "+dim_persons +person_identities +identity_conflicts +fct_events +fct_sessions +fct_touchpoints"
)

VARS = {
    "identity_max_user_ids_per_email": 3,
    "persona_trait": "role",
    "session_timeout_minutes": 30,
}

EVENT_COLUMNS = {
    **BASE_EVENT_COLUMNS,
}
ALIAS_COLUMNS = {"previous_id": "varchar", "user_id": "varchar", "ts": "timestamp"}


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


EVENTS: list[dict[str, Any]] = []
IDENTIFIES: list[dict[str, Any]] = []
ALIASES: list[dict[str, Any]] = []
# event_id -> person_key of the person it must belong to
EXPECTED_EVENT_PERSON: dict[str, str] = {}


def ev(
    event_id: str, ts: str, person: str, anon: str | None = None, user: str | None = None
) -> None:
    EVENTS.append(
        {
            "event_id": event_id,
            "event_name": "page_viewed",
            "event_ts": ts,
            "received_at": "2026-02-01 00:00:00",
            "anonymous_id": anon,
            "user_id": user,
        }
    )
    EXPECTED_EVENT_PERSON[event_id] = person


def ident(
    identify_id: str,
    ts: str,
    anon: str | None = None,
    user: str | None = None,
    email: str | None = None,
    traits: str | None = None,
) -> None:
    IDENTIFIES.append(
        {
            "identify_id": identify_id,
            "ts": ts,
            "anonymous_id": anon,
            "user_id": user,
            "email": email,
            "traits": traits,
        }
    )


def alias(previous_id: str, user_id: str, ts: str) -> None:
    ALIASES.append({"previous_id": previous_id, "user_id": user_id, "ts": ts})


# A. Two hops: th_u1 -alias- th_u2 -email- th_u3, and th_u3's device.
ev("th_e1", "2026-01-10 09:00:00", "th_u1", anon="th_d1", user="th_u1")
ev("th_e2", "2026-01-10 09:30:00", "th_u1", user="th_u2")
ev("th_e3", "2026-01-10 10:00:00", "th_u1", anon="th_d3", user="th_u3")
ev("th_e4", "2026-01-10 10:05:00", "th_u1", anon="th_d3")
alias("th_u1", "th_u2", "2026-01-10 09:15:00")
ident("th_i1", "2026-01-10 09:40:00", user="th_u2", email="two.hop@example.com")
ident("th_i2", "2026-01-10 10:01:00", user="th_u3", email="two.hop@example.com")

# B. A chain of 20 aliases over 21 user_ids, walked in a scrambled order (the smallest id,
# ch_00, sits in the middle of the chain).
CHAIN = [f"ch_{(i * 8 + 5) % 21:02d}" for i in range(21)]
for i in range(20):
    alias(CHAIN[i], CHAIN[i + 1], f"2026-01-11 00:{i:02d}:00")
ev("ch_e_first", "2026-01-11 08:00:00", "ch_00", user=CHAIN[0])
ev("ch_e_mid", "2026-01-11 09:00:00", "ch_00", anon="ch_d", user=CHAIN[10])
ev("ch_e_last", "2026-01-11 10:00:00", "ch_00", user=CHAIN[20])
ev("ch_e_dev", "2026-01-11 11:00:00", "ch_00", anon="ch_d")

# C. Shared emails: exactly the limit (3 user_ids) merges; one more (4) merges nothing and its
# anonymous_id link does nothing either.
for i, user in enumerate(["se3_a", "se3_b", "se3_c"]):
    ident(f"se3_i{i}", f"2026-01-12 09:0{i}:00", user=user, email="team3@example.com")
ident("se3_i_again", "2026-01-12 09:05:00", user="se3_a", email=" TEAM3@Example.com")  # still 3
ev("se3_ec", "2026-01-12 10:00:00", "se3_a", user="se3_c")
ev("se3_ed0", "2026-01-12 10:30:00", "se3_a", anon="se3_dev")
ident("se3_i_dev", "2026-01-12 11:00:00", anon="se3_dev", email="team3@example.com")
ev("se3_ed1", "2026-01-12 11:05:00", "se3_a", anon="se3_dev")
SE4 = ["se4_a", "se4_b", "se4_c", "se4_d"]
for i, user in enumerate(SE4):
    ident(f"se4_i{i}", f"2026-01-12 09:0{i}:00", user=user, email="team4@example.com")
for user in SE4[:3]:
    ev(f"{user}_e", "2026-01-12 12:00:00", user, user=user)
ident("se4_i_dev", "2026-01-12 13:00:00", anon="se4_dev", email="team4@example.com")
ev("se4_ed", "2026-01-12 13:05:00", "se4_dev", anon="se4_dev")

# D. A family tablet used by two people in turn.
ev("ft_e01", "2026-01-13 08:00:00", "ft_alice", anon="ft_tab")  # before the first link
ev("ft_e02", "2026-01-13 09:00:00", "ft_alice", anon="ft_tab", user="ft_alice")
ev("ft_e03", "2026-01-13 09:10:00", "ft_alice", anon="ft_tab")
ev("ft_e04", "2026-01-13 12:00:00", "ft_bob", anon="ft_tab", user="ft_bob")
ev("ft_e05", "2026-01-13 12:00:00", "ft_bob", anon="ft_tab")  # at the link: that link's person
ev("ft_e06", "2026-01-13 12:30:00", "ft_bob", anon="ft_tab")
ev("ft_e07", "2026-01-13 12:45:00", "ft_alice", anon="undefined", user="ft_alice")  # user wins
ev("ft_e08", "2026-01-13 13:00:00", "ft_bob", anon="ft_tab")
ident("ft_i1", "2026-01-13 15:00:00", anon="ft_tab", user="ft_alice")
ev("ft_e09", "2026-01-13 15:00:01", "ft_alice", anon="ft_tab")
ev("ft_e10", "2026-01-13 16:00:00", "ft_bob", anon="ft_tab", user="ft_bob")
ev("ft_e11", "2026-01-13 16:20:00", "ft_alice", anon="ft_tab", user="ft_alice")
ev("ft_e12", "2026-01-13 16:25:00", "ft_alice", anon="ft_tab")

# D2. Devices shared through the other kinds of link: an email captured on the device (timed by
# its identify row) and an alias from the device's anonymous_id.
ident("sd_i_carol", "2026-01-19 07:00:00", user="sd_carol", email="carol@example.com")
ev("sd_e1", "2026-01-19 08:00:00", "sd_dan", anon="sd_dev")  # before the first link (dan's)
ev("sd_e2", "2026-01-19 09:00:00", "sd_dan", anon="sd_dev", user="sd_dan")
ev("sd_e3", "2026-01-19 10:00:00", "sd_dan", anon="sd_dev")
ident("sd_i_dev", "2026-01-19 11:00:00", anon="sd_dev", email=" CAROL@example.com")
ev("sd_e4", "2026-01-19 11:30:00", "sd_carol", anon="sd_dev")
ev("sd_e5", "2026-01-19 12:00:00", "sd_carol", user="sd_carol")
ev("sd_e6", "2026-01-19 12:00:00", "sd_dan", anon="sd_dev2", user="sd_dan")
ev("sd_e7", "2026-01-19 12:30:00", "sd_dan", anon="sd_dev2")
alias("sd_dev2", "sd_erin", "2026-01-19 13:00:00")
ev("sd_e8", "2026-01-19 13:30:00", "sd_erin", anon="sd_dev2")

# E. An anonymous-only device.
ev("ao_e1", "2026-01-14 08:00:00", "ao_dev", anon="ao_dev")
ev("ao_e2", "2026-01-14 08:05:00", "ao_dev", anon="ao_dev")

# F. Blocked ids are null: they neither identify nor link anything.
ev("bk_e1", "2026-01-14 09:00:00", "bk_u1", anon="bk_dev", user="bk_u1")
ev("bk_e2", "2026-01-14 09:05:00", "bk_u1", anon="bk_dev", user="undefined")
ev("bk_e3", "2026-01-14 09:10:00", "bk_u1", anon="0000-0000", user="bk_u1")
ev("bk_e4", "2026-01-14 09:15:00", "bk_u1", anon=" NULL ", user="bk_u1")
ev("bk_e5", "2026-01-14 09:20:00", "bk_lonely", anon="bk_lonely", user=" None ")
ev("bk_e6", "2026-01-14 09:25:00", "bk_u3", anon="0000-0000", user="bk_u3")
ev("bk_e7", "2026-01-14 09:30:00", "bk_u3", anon="-1", user="bk_u3")
ident("bk_i1", "2026-01-14 09:40:00", anon="-1", user="bk_u1", email="unknown")
ident("bk_i2", "2026-01-14 09:45:00", anon="anonymous", user="bk_u3", email=" null ")
alias("undefined", "bk_u1", "2026-01-14 09:50:00")
alias("bk_u3", "0", "2026-01-14 09:55:00")
alias("bk_u1", " unknown ", "2026-01-14 09:56:00")
BLOCKED_VALUES = {
    "undefined",
    "0000-0000",
    "null",
    "none",
    "-1",
    "0",
    "anonymous",
    "unknown",
    "nan",
}

# G. An alias whose previous_id is an anonymous_id: the device and its earlier events join.
ev("aa_e1", "2026-01-15 08:00:00", "aa_u1", anon="aa_dev")
ev("aa_e2", "2026-01-15 08:05:00", "aa_u1", anon="aa_dev")
alias("aa_dev", "aa_u1", "2026-01-15 08:10:00")
ev("aa_e3", "2026-01-15 09:00:00", "aa_u1", anon="aa_phone", user="aa_u1")
ev("aa_e4", "2026-01-15 10:00:00", "aa_u1", anon="aa_dev")

# H. An alias whose previous_id is a user_id elsewhere: two user_ids merge.
ev("au_e1", "2026-01-16 08:00:00", "au_new", anon="au_d1", user="au_old")
alias("au_old", "au_new", "2026-01-16 08:30:00")
ev("au_e2", "2026-01-16 09:00:00", "au_new", anon="au_d2", user="au_new")
ev("au_e3", "2026-01-16 09:10:00", "au_new", anon="au_d1")

# J. Email case and whitespace are normalised before hashing: the two user_ids merge.
ident("en_i1", "2026-01-17 08:00:00", user="en_u1", email=" Foo.Bar@Example.COM ")
ident("en_i2", "2026-01-17 09:00:00", user="en_u2", email="foo.bar@example.com")
ident("en_i3", "2026-01-17 09:30:00", user="en_u2", email="\tFOO.bar@example.com\n")
ev("en_e1", "2026-01-17 08:01:00", "en_u1", user="en_u1")
ev("en_e2", "2026-01-17 09:01:00", "en_u1", anon="en_d2", user="en_u2")

# L. Persona: latest non-null role over all identify rows of the (merged) person.
ident("pe_i1", "2026-01-18 08:00:00", user="pe_u1", traits='{"role": "analyst", "plan": "free"}')
ident("pe_i2", "2026-01-18 09:00:00", user="pe_u2", traits='{"role": "data_engineer"}')
ident("pe_i3", "2026-01-18 10:00:00", user="pe_u1", traits='{"plan": "pro"}')
ident("pe_i4", "2026-01-18 11:00:00", user="pe_u1", traits='{"role": null}')
ident("pe_i5", "2026-01-18 12:00:00", user="pe_u1", traits='{"role": "ceo"')  # malformed JSON
alias("pe_u2", "pe_u1", "2026-01-18 08:30:00")
ev("pe_e1", "2026-01-18 08:00:00", "pe_u1", user="pe_u1")

PLAIN_EMAILS = [
    "carol@example.com",
    " CAROL@example.com",
    "two.hop@example.com",
    "team3@example.com",
    "team4@example.com",
    " Foo.Bar@Example.COM ",
    "\tFOO.bar@example.com\n",
    "foo.bar@example.com",
]

# person_key -> primary_user_id (None for an anonymous person)
EXPECTED_PERSONS: dict[str, str | None] = {
    **{
        key: key
        for key in [
            "th_u1",
            "ch_00",
            "se3_a",
            *SE4,
            "ft_alice",
            "ft_bob",
            "bk_u1",
            "bk_u3",
            "aa_u1",
            "au_new",
            "en_u1",
            "pe_u1",
            "sd_carol",
            "sd_dan",
            "sd_erin",
        ]
    },
    "se4_dev": None,
    "ao_dev": None,
    "bk_lonely": None,
}

# identifier (type, value) -> person_key; shared devices are checked separately
EXPECTED_IDENTITIES: dict[tuple[str, str], str] = {
    **{("user_id", u): "th_u1" for u in ["th_u1", "th_u2", "th_u3"]},
    **{("user_id", u): "ch_00" for u in CHAIN},
    **{("user_id", u): "se3_a" for u in ["se3_a", "se3_b", "se3_c"]},
    **{("user_id", u): u for u in SE4},
    **{
        ("user_id", u): u
        for u in ["ft_alice", "ft_bob", "bk_u1", "bk_u3", "aa_u1", "sd_carol", "sd_dan", "sd_erin"]
    },
    **{("user_id", u): "au_new" for u in ["au_old", "au_new"]},
    **{("user_id", u): "en_u1" for u in ["en_u1", "en_u2"]},
    **{("user_id", u): "pe_u1" for u in ["pe_u1", "pe_u2"]},
    ("anonymous_id", "th_d1"): "th_u1",
    ("anonymous_id", "th_d3"): "th_u1",
    ("anonymous_id", "ch_d"): "ch_00",
    ("anonymous_id", "se3_dev"): "se3_a",
    ("anonymous_id", "se4_dev"): "se4_dev",
    ("anonymous_id", "ao_dev"): "ao_dev",
    ("anonymous_id", "bk_dev"): "bk_u1",
    ("anonymous_id", "bk_lonely"): "bk_lonely",
    ("anonymous_id", "aa_dev"): "aa_u1",
    ("anonymous_id", "aa_phone"): "aa_u1",
    ("anonymous_id", "au_d1"): "au_new",
    ("anonymous_id", "au_d2"): "au_new",
    ("anonymous_id", "en_d2"): "en_u1",
    ("email_sha256", sha256("two.hop@example.com")): "th_u1",
    ("email_sha256", sha256("team3@example.com")): "se3_a",
    ("email_sha256", sha256("foo.bar@example.com")): "en_u1",
    ("email_sha256", sha256("carol@example.com")): "sd_carol",
}
# shared devices -> the persons they are split between
SHARED_DEVICES = {
    "ft_tab": {"ft_alice", "ft_bob"},
    "sd_dev": {"sd_carol", "sd_dan"},
    "sd_dev2": {"sd_dan", "sd_erin"},
}


def raw_tables(reverse: bool = False) -> dict[str, str]:
    def order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(reversed(rows)) if reverse else rows

    return {
        "events": values_sql(EVENT_COLUMNS, order(EVENTS)),
        "identifies": values_sql(IDENTIFY_COLUMNS, order(IDENTIFIES)),
        "aliases": values_sql(ALIAS_COLUMNS, order(ALIASES)),
    }


@pytest.fixture(scope="module")
def warehouses(build_warehouse: BuildFn) -> dict[str, Path]:
    """The rows as written and in reverse order, built concurrently (dbt runs in subprocesses)."""
    builds = {
        "forward": lambda: build_warehouse(
            "identity_rules", raw_tables(), vars=VARS, select=SELECT
        ),
        "reversed": lambda: build_warehouse(
            "identity_rules_reversed", raw_tables(reverse=True), vars=VARS, select=SELECT
        ),
    }
    with ThreadPoolExecutor(max_workers=len(builds)) as pool:
        futures = {name: pool.submit(build) for name, build in builds.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def warehouse(warehouses: dict[str, Path]) -> Path:
    return warehouses["forward"]


@pytest.fixture(scope="module")
def persons(warehouse: Path) -> pd.DataFrame:
    return query(warehouse, "select * from marts.dim_persons").set_index("person_key")


def event_persons(db: Path) -> dict[str, str]:
    got = query(
        db,
        "select e.event_id, p.person_key from marts.fct_events as e "
        "left join marts.dim_persons as p on e.person_id = p.person_id",
    )
    return dict(zip(got.event_id, got.person_key, strict=True))


def identities(db: Path) -> pd.DataFrame:
    return query(
        db,
        "select i.identifier_type, i.identifier_value, i.person_id, p.person_key "
        "from marts.person_identities as i "
        "left join marts.dim_persons as p on i.person_id = p.person_id",
    )


def test_persons_exact(persons: pd.DataFrame) -> None:
    assert persons.index.is_unique
    assert persons.person_id.is_unique
    got = {key: (None if pd.isna(uid) else uid) for key, uid in persons.primary_user_id.items()}
    assert got == EXPECTED_PERSONS
    for key, primary in EXPECTED_PERSONS.items():
        assert persons.loc[key, "person_id"] == md5(key), key
        assert bool(persons.loc[key, "is_identified"]) is (primary is not None), key


def test_every_event_in_its_person(warehouse: Path) -> None:
    assert event_persons(warehouse) == EXPECTED_EVENT_PERSON


def test_person_identities_exact(warehouse: Path) -> None:
    got = identities(warehouse)
    assert not got.duplicated(["identifier_type", "identifier_value"]).any()
    assert got.person_key.notna().all()
    mapping = {
        (t, v): k
        for t, v, k in zip(got.identifier_type, got.identifier_value, got.person_key, strict=True)
    }
    for device, owners in SHARED_DEVICES.items():
        assert mapping.pop(("anonymous_id", device)) in owners, device
    assert mapping == EXPECTED_IDENTITIES


def test_user_ids_per_merged_person(warehouse: Path) -> None:
    got = identities(warehouse)
    users = got[got.identifier_type == "user_id"].groupby("person_key").identifier_value
    assert sorted(users.get_group("th_u1")) == ["th_u1", "th_u2", "th_u3"]
    assert sorted(users.get_group("ch_00")) == sorted(CHAIN)
    assert len(CHAIN) == 21
    assert sorted(users.get_group("au_new")) == ["au_new", "au_old"]
    assert sorted(users.get_group("se3_a")) == ["se3_a", "se3_b", "se3_c"]
    for user in SE4:
        assert list(users.get_group(user)) == [user]


def test_identity_conflicts_exact(warehouse: Path) -> None:
    got = query(
        warehouse,
        "select identifier_type, identifier_value, conflict_type, n_user_ids "
        "from marts.identity_conflicts order by conflict_type, identifier_value",
    )
    assert got.to_dict("records") == [
        *(
            {
                "identifier_type": "anonymous_id",
                "identifier_value": device,
                "conflict_type": "shared_device",
                "n_user_ids": 2,
            }
            for device in sorted(SHARED_DEVICES)
        ),
        {
            "identifier_type": "email_sha256",
            "identifier_value": sha256("team4@example.com"),
            "conflict_type": "shared_email",
            "n_user_ids": 4,
        },
    ]


def test_blocked_ids_never_identify(warehouse: Path, persons: pd.DataFrame) -> None:
    got = identities(warehouse)
    assert not got.identifier_value.str.strip().str.lower().isin(BLOCKED_VALUES).any()
    assert not pd.Series(persons.index).str.strip().str.lower().isin(BLOCKED_VALUES).any()
    for column in ["anonymous_id", "user_id"]:
        values = query(warehouse, f"select distinct {column} as v from marts.fct_events").v.dropna()
        assert not values.str.strip().str.lower().isin(BLOCKED_VALUES).any(), column


def test_emails_only_as_sha256(warehouse: Path, persons: pd.DataFrame) -> None:
    assert persons.loc["en_u1", "email_sha256"] == sha256("foo.bar@example.com")
    assert persons.loc["th_u1", "email_sha256"] == sha256("two.hop@example.com")
    assert persons.loc["se3_a", "email_sha256"] == sha256("team3@example.com")
    assert pd.isna(persons.loc["ao_dev", "email_sha256"])
    columns = query(
        warehouse,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR'",
    )
    assert len(columns) > 0
    # Any '@' or the emails' domain would be a leak: no other text of this dataset contains them.
    assert all(e.strip().lower().endswith("@example.com") for e in PLAIN_EMAILS)
    needles = ["@", "example.com"]
    scans = " union all ".join(
        f"select '{table}.{column}' as location, count(*) as n from marts.\"{table}\" where "
        + " or ".join(f"strpos(lower(\"{column}\"), '{needle}') > 0" for needle in needles)
        for table, column in zip(columns.table_name, columns.column_name, strict=True)
    )
    leaks = query(warehouse, scans)
    assert leaks[leaks.n > 0].location.tolist() == []


def test_persona_latest_non_null_role(persons: pd.DataFrame) -> None:
    assert persons.loc["pe_u1", "persona"] == "data_engineer"
    assert pd.isna(persons.loc["ao_dev", "persona"])


def test_person_ids_deterministic(warehouses: dict[str, Path]) -> None:
    warehouse = warehouses["forward"]
    again = warehouses["reversed"]
    sql = "select person_key, person_id from marts.dim_persons order by person_key"
    pd.testing.assert_frame_equal(query(again, sql), query(warehouse, sql))
    events_sql = "select event_id, person_id from marts.fct_events order by event_id"
    pd.testing.assert_frame_equal(query(again, events_sql), query(warehouse, events_sql))
    ids_sql = (
        "select identifier_type, identifier_value, person_id from marts.person_identities "
        "order by identifier_type, identifier_value"
    )
    pd.testing.assert_frame_equal(query(again, ids_sql), query(warehouse, ids_sql))
