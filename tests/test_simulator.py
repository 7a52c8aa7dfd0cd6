"""The simulator: contract tables and types, determinism, dirt, identity stories, campaigns.

Small warehouses (a second or two each), checked with exact statements where the simulator
guarantees them and with invariants elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from growthlens.errors import GrowthlensError
from growthlens.simulate import simulate

PERSONS = 1500
DAYS = 60
SEED = 11

CONTRACT = {
    "raw.events": [
        ("event_id", "VARCHAR"),
        ("event_name", "VARCHAR"),
        ("event_ts", "TIMESTAMP"),
        ("received_at", "TIMESTAMP"),
        ("anonymous_id", "VARCHAR"),
        ("user_id", "VARCHAR"),
        ("account_id", "VARCHAR"),
        ("platform", "VARCHAR"),
        ("utm_source", "VARCHAR"),
        ("utm_medium", "VARCHAR"),
        ("utm_campaign", "VARCHAR"),
        ("utm_content", "VARCHAR"),
        ("utm_term", "VARCHAR"),
        ("referrer", "VARCHAR"),
        ("page_url", "VARCHAR"),
        ("revenue", "DOUBLE"),
        ("currency", "VARCHAR"),
        ("properties", "VARCHAR"),
    ],
    "raw.identifies": [
        ("identify_id", "VARCHAR"),
        ("ts", "TIMESTAMP"),
        ("anonymous_id", "VARCHAR"),
        ("user_id", "VARCHAR"),
        ("email", "VARCHAR"),
        ("traits", "VARCHAR"),
    ],
    "raw.aliases": [("previous_id", "VARCHAR"), ("user_id", "VARCHAR"), ("ts", "TIMESTAMP")],
    "raw.campaigns": [
        ("campaign_id", "VARCHAR"),
        ("campaign_name", "VARCHAR"),
        ("channel", "VARCHAR"),
        ("goal_event", "VARCHAR"),
        ("conversion_window_hours", "INTEGER"),
        ("started_at", "TIMESTAMP"),
        ("ended_at", "TIMESTAMP"),
    ],
    "raw.campaign_messages": [
        ("message_event_id", "VARCHAR"),
        ("campaign_id", "VARCHAR"),
        ("user_id", "VARCHAR"),
        ("email", "VARCHAR"),
        ("event_type", "VARCHAR"),
        ("is_control", "BOOLEAN"),
        ("variant", "VARCHAR"),
        ("ts", "TIMESTAMP"),
    ],
    "raw.ad_spend": [
        ("spend_date", "DATE"),
        ("channel", "VARCHAR"),
        ("utm_source", "VARCHAR"),
        ("utm_medium", "VARCHAR"),
        ("utm_campaign", "VARCHAR"),
        ("spend", "DOUBLE"),
        ("currency", "VARCHAR"),
        ("impressions", "BIGINT"),
        ("clicks", "BIGINT"),
    ],
}

EVENTS = {
    "saas": {
        "page_viewed",
        "signed_up",
        "email_verified",
        "connection_added",
        "teammate_invited",
        "workflow_started",
        "workflow_saved",
        "workflow_run",
        "guide_viewed",
        "subscription_paid",
        "logged_in",
        "notification_received",
    },
    "loyalty": {
        "app_installed",
        "app_opened",
        "home_screen_viewed",
        "registered",
        "card_linked",
        "receipt_scanned",
        "coins_earned",
        "offer_viewed",
        "reward_redeemed",
        "loyalty_enrolled",
        "purchase_completed",
        "app_backgrounded",
        "push_received",
    },
}

BLOCKED = ("undefined", "0000-0000", "null", "0", "", "anonymous")


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    out = {}
    for scenario in ("saas", "loyalty"):
        path = tmp_path_factory.mktemp("sim") / f"{scenario}.duckdb"
        counts = simulate(str(path), persons=PERSONS, days=DAYS, seed=SEED, scenario=scenario)
        out[scenario] = (path, counts)
    return out


def rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def one(path: Path, sql: str):
    return rows(path, sql)[0][0]


def normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def fingerprint(path: Path) -> dict[str, str]:
    """An ordered hash of every table of the raw and truth schemas."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            f"{s}.{t}"
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables order by all"
            ).fetchall()
        ]
        return {
            t: con.execute(
                f"select count(*) || ':' || coalesce(md5(string_agg(x::varchar, chr(10) "
                f"order by rowid)), '') from {t} as x"
            ).fetchone()[0]
            for t in tables
        }


# --------------------------------------------------------------------------- contract


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_contract_tables_have_exact_columns_and_types(warehouses, scenario):
    path, _ = warehouses[scenario]
    for table, expected in CONTRACT.items():
        schema, name = table.split(".")
        got = rows(
            path,
            f"""
            select column_name, data_type from information_schema.columns
            where table_schema = '{schema}' and table_name = '{name}'
            order by ordinal_position""",
        )
        assert got == expected, table


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_returned_counts_are_the_table_sizes(warehouses, scenario):
    path, counts = warehouses[scenario]
    for table, n in counts.items():
        assert one(path, f"select count(*) from {table}") == n, table
    assert counts["raw.events"] > PERSONS * 20
    assert counts["raw.campaigns"] == 3
    assert counts["truth.persons"] == PERSONS


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    a, b, c = (tmp_path / f"{x}.duckdb" for x in "abc")
    simulate(str(a), persons=300, days=20, seed=5, scenario="loyalty")
    simulate(str(b), persons=300, days=20, seed=5, scenario="loyalty")
    simulate(str(c), persons=300, days=20, seed=6, scenario="loyalty")
    fa, fb, fc = fingerprint(a), fingerprint(b), fingerprint(c)
    assert "raw.events" in fa and "truth.events" in fa
    assert fa == fb
    assert fa["raw.events"] != fc["raw.events"]
    assert fa["raw.identifies"] != fc["raw.identifies"]


def test_existing_file_is_replaced_and_bad_arguments_fail(tmp_path):
    path = tmp_path / "w.duckdb"
    path.write_text("not a database")
    (tmp_path / "w.duckdb.wal").write_text("stale")
    counts = simulate(str(path), persons=50, days=10, seed=1, scenario="saas")
    assert one(path, "select count(*) from raw.events") == counts["raw.events"]
    with pytest.raises(GrowthlensError, match="unknown scenario"):
        simulate(str(path), persons=10, days=10, seed=1, scenario="retail")
    with pytest.raises(GrowthlensError, match="start"):
        simulate(str(path), persons=10, days=10, seed=1, scenario="saas", start="05/01/2026")


def test_start_date_and_period_are_respected(tmp_path):
    path = tmp_path / "w.duckdb"
    simulate(str(path), persons=200, days=14, seed=3, scenario="saas", start="2025-03-03")
    first, last = rows(
        path,
        """
        select min(true_event_ts), max(true_event_ts) from truth.events
        where dirt in ('clean', 'duplicate')""",
    )[0]
    assert str(first.date()) >= "2025-03-03"
    assert str(last.date()) <= "2025-03-17"


# --------------------------------------------------------------------------- vocabulary


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_normalised_event_names_are_exactly_the_scenario_vocabulary(warehouses, scenario):
    path, _ = warehouses[scenario]
    raw = {
        r[0]
        for r in rows(
            path, "select distinct event_name from raw.events where event_name is not null"
        )
    }
    assert {normalise(n) for n in raw} == EVENTS[scenario]
    assert len(raw) > len(EVENTS[scenario])  # mixed spellings of the same events
    assert {
        r[0] for r in rows(path, "select distinct true_event_name from truth.events")
    } == EVENTS[scenario]


def test_spelling_noise_and_unicode(warehouses):
    path, _ = warehouses["saas"]
    names = {r[0] for r in rows(path, "select distinct event_name from raw.events")}
    assert {"signed_up", "Signed Up"} <= names
    assert any(n and n.startswith(" ") for n in names)
    assert any(n and n.isupper() and "-" in n for n in names)
    assert one(path, "select count(*) from raw.events where properties like '%☕%'") > 0
    assert (
        one(
            path, "select count(*) from raw.identifies where traits like '%ü%' or traits like '%é%'"
        )
        > 0
    )


def test_platforms_and_signup_properties(warehouses):
    saas, _ = warehouses["saas"]
    loyalty, _ = warehouses["loyalty"]
    assert {r[0] for r in rows(saas, "select distinct platform from raw.events")} == {
        "web",
        "server",
    }
    assert rows(
        saas,
        """
        select distinct r.anonymous_id is null, r.user_id is not null
        from raw.events as r inner join truth.events as t on t.raw_row = r.rowid
        where r.platform = 'server' and t.dirt = 'clean'""",
    ) == [(True, True)]
    assert {r[0] for r in rows(loyalty, "select distinct platform from raw.events")} == {
        "ios",
        "android",
        "web",
        "server",
    }
    types = {
        r[0]
        for r in rows(
            saas,
            """
        select distinct json_extract_string(properties, '$.signup_type') from raw.events
        where lower(trim(event_name)) in ('signed_up', 'signed up', 'signed-up')
            and json_valid(properties)""",
        )
    }
    assert types == {"organic", "invited"}


# --------------------------------------------------------------------------- truth


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_truth_covers_every_raw_row(warehouses, scenario):
    path, _ = warehouses[scenario]
    n_raw = one(path, "select count(*) from raw.events")
    assert one(path, "select count(*) from truth.events") == n_raw
    assert one(path, "select count(distinct raw_row) from truth.events") == n_raw
    # raw_row is the rowid of the raw row, and both spell the event id the same way
    assert (
        one(
            path,
            """
        select count(*) from raw.events as r
        inner join truth.events as t on t.raw_row = r.rowid
        where r.event_id is not distinct from t.event_id""",
        )
        == n_raw
    )
    assert one(path, "select count(*) from truth.events where true_person_id is null") == 0
    assert (
        one(
            path,
            """
        select count(*) from truth.events as t
        left join truth.persons as p using (true_person_id)
        where p.true_person_id is null""",
        )
        == 0
    )


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_true_sessions_follow_the_30_minute_rule(warehouses, scenario):
    path, _ = warehouses[scenario]
    split, merged, total = rows(
        path,
        """
        with e as (
            select true_person_id as p, true_session_id as s, true_event_ts as t
            from truth.events where dirt = 'clean' and true_session_id is not null
        ),
        g as (
            select *, case when date_diff('second', lag(t) over (partition by p order by t, s),
                t) <= 1800 then 0 else 1 end as brk from e
        ),
        r as (select *, sum(brk) over (partition by p order by t, s rows unbounded preceding)
              as rs from g)
        select
            (select count(*) from (select p, s from r group by all
                                   having count(distinct rs) > 1)),
            (select count(*) from (select p, rs from r group by all
                                   having count(distinct s) > 1)),
            (select count(distinct (p, s)) from r)""",
    )[0]
    assert total > PERSONS
    assert split + merged < 0.01 * total
    assert (
        one(
            path,
            """
        select count(*) from (
            select true_session_id from truth.events where true_session_id is not null
            group by 1 having min(true_event_ts)::date < max(true_event_ts)::date)""",
        )
        > 0
    )


# --------------------------------------------------------------------------- dirt


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_everyday_dirt_is_present(warehouses, scenario):
    path, _ = warehouses[scenario]
    n = one(path, "select count(*) from raw.events")
    dups = one(
        path,
        "select count(*) from (select event_id from raw.events "
        "where event_id <> '' group by 1 having count(*) > 1)",
    )
    assert 0.005 * n < dups < 0.02 * n
    # a retry arrives later; a few retries differ in content
    assert (
        one(
            path,
            """
        select count(*) from (select event_id from raw.events where event_id <> ''
            group by 1 having count(distinct received_at) > 1)""",
        )
        == dups
    )
    assert (
        one(
            path,
            """
        select count(*) from (select event_id from raw.events where event_id <> ''
            group by 1 having count(distinct properties) > 1)""",
        )
        > 0
    )
    assert one(path, "select count(*) from raw.events where event_id is null") > 0
    assert one(path, "select count(*) from raw.events where event_id = ''") > 0
    assert one(path, "select count(*) from raw.events where event_name is null") > 0
    assert one(path, "select count(*) from raw.events where event_ts is null") > 0
    assert (
        one(path, "select count(*) from raw.events where event_ts > received_at + interval 2 days")
        > 0
    )
    assert one(path, "select count(*) from raw.events where event_ts < '2000-01-01'") > 0
    assert (
        one(path, "select count(*) from raw.events where received_at > event_ts + interval 1 hour")
        > 0
    )
    blocked = ", ".join(f"'{b}'" for b in BLOCKED)
    assert (
        one(
            path,
            f"select count(distinct anonymous_id) from raw.events "
            f"where anonymous_id in ({blocked})",
        )
        >= 4
    )
    assert one(path, f"select count(*) from raw.events where user_id in ({blocked}, '-1')") > 0
    assert one(path, f"select count(*) from raw.identifies where anonymous_id in ({blocked})") > 0
    assert (
        one(
            path,
            f"""
        select count(*) from raw.events
        where coalesce(anonymous_id, '') in ({blocked}) and coalesce(user_id, '') in ({blocked})
        """,
        )
        > 0
    )
    bad_json = one(path, "select count(*) from raw.events where not json_valid(properties)")
    assert 0.001 * n < bad_json < 0.004 * n
    assert {
        r[0]
        for r in rows(
            path, "select distinct currency from raw.events where currency in ('XXX', 'BTC')"
        )
    } == {"XXX", "BTC"}
    assert one(path, "select count(*) from raw.events where revenue < 0") > 0


def test_dirt_labels_in_truth_match_the_raw_rows(warehouses):
    path, _ = warehouses["loyalty"]
    for label, condition in [
        ("missing_event_id", "r.event_id is null"),
        ("blank_event_id", "r.event_id = ''"),
        ("missing_event_name", "r.event_name is null"),
        ("missing_event_ts", "r.event_ts is null"),
        ("event_ts_in_future", "r.event_ts > r.received_at + interval 2 days"),
        ("event_ts_too_old", "r.event_ts < '2000-01-01'"),
        ("malformed_json", "not json_valid(r.properties)"),
        ("unknown_currency", "r.currency in ('XXX', 'BTC')"),
    ]:
        labelled, holds = rows(
            path,
            f"""
            select count(*), count(*) filter (where {condition})
            from truth.events as t inner join raw.events as r on r.rowid = t.raw_row
            where t.dirt = '{label}'""",
        )[0]
        assert labelled > 0 and holds == labelled, label


# --------------------------------------------------------------------------- identity


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_identity_stories_come_from_behaviour(warehouses, scenario):
    path, _ = warehouses[scenario]
    # a device shared by two true people (family tablet), seen in the raw events
    assert (
        one(
            path,
            f"""
        select count(*) from (
            select r.anonymous_id from raw.events as r
            inner join truth.events as t on t.raw_row = r.rowid
            where r.anonymous_id not in ({", ".join(f"'{b}'" for b in BLOCKED)})
            group by 1 having count(distinct t.true_person_id) = 2)""",
        )
        >= 1
    )
    assert one(path, "select count(*) from truth.anonymous_ids where is_shared") >= 2
    # junk emails typed by many users; couples sharing one email
    junk = rows(
        path,
        """
        select lower(trim(email)), count(distinct user_id) from raw.identifies
        where email is not null group by 1 having count(distinct user_id) > 3 order by 1""",
    )
    assert {e for e, _ in junk} == {"a@a.com", "noemail@example.com", "test@test.com"}
    assert (
        one(
            path,
            """
        select count(*) from (select lower(trim(email)) from raw.identifies
            where email is not null group by 1 having count(distinct user_id) = 2)""",
        )
        >= 1
    )
    # the same email typed with other case or white space
    assert one(path, "select count(*) from raw.identifies where email <> lower(trim(email))") > 0
    # newsletter forms: email without user id
    assert (
        one(path, "select count(*) from raw.identifies where user_id is null and email is not null")
        > 0
    )
    # anonymous browsing before signup, user id after
    assert one(
        path, "select count(*) from raw.events where user_id is null and anonymous_id is not null"
    ) > 0.1 * one(path, "select count(*) from raw.events")


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_aliases_include_signup_aliases_id_changes_and_chains(warehouses, scenario):
    path, _ = warehouses[scenario]
    user_ids = "(select user_id from truth.user_ids)"
    assert one(path, f"select count(*) from raw.aliases where previous_id not in {user_ids}") > 0
    assert one(path, f"select count(*) from raw.aliases where previous_id in {user_ids}") > 0
    assert (
        one(
            path,
            """
        select count(*) from raw.aliases as a
        inner join raw.aliases as b on b.previous_id = a.user_id""",
        )
        >= 1
    )
    # every alias joins two ids of one true person
    assert (
        one(
            path,
            """
        select count(*) from raw.aliases as a
        inner join truth.user_ids as u on u.user_id = a.user_id
        left join truth.user_ids as p on p.user_id = a.previous_id
        left join truth.anonymous_ids as d on d.anonymous_id = a.previous_id
        where coalesce(p.true_person_id, d.true_person_id) <> u.true_person_id""",
        )
        == 0
    )


def test_person_with_two_emails_and_three_devices(warehouses):
    path, _ = warehouses["saas"]
    person, email_2 = rows(
        path,
        """
        select true_person_id, email_2 from truth.persons
        where story like '%three_devices%'""",
    )[0]
    assert email_2 is not None
    assert (
        one(
            path,
            f"""
        select count(distinct r.anonymous_id) from raw.events as r
        inner join truth.events as t on t.raw_row = r.rowid
        where t.true_person_id = {person} and t.dirt = 'clean'
            and r.anonymous_id is not null""",
        )
        >= 3
    )
    assert (
        one(
            path,
            f"""
        select count(distinct lower(trim(i.email))) from raw.identifies as i
        inner join truth.user_ids as u using (user_id)
        where u.true_person_id = {person}""",
        )
        == 2
    )


def test_invited_teammates_join_the_inviters_account(warehouses):
    path, _ = warehouses["saas"]
    n_invited, same_account = rows(
        path,
        """
        select count(*), count(*) filter (where p.account_id = i.account_id)
        from truth.persons as p
        inner join truth.persons as i on i.true_person_id = p.inviter_person_id
        where p.is_invited""",
    )[0]
    assert n_invited > 10 and same_account == n_invited
    assert (
        one(
            path,
            """
        select count(*) from raw.events
        where account_id is not null and user_id is null""",
        )
        == 0
    )


# --------------------------------------------------------------------------- campaigns


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_campaigns_have_holdouts_that_are_never_messaged(warehouses, scenario):
    path, _ = warehouses[scenario]
    per_campaign = rows(
        path,
        """
        select campaign_id,
            count(*) filter (where event_type = 'assigned' and is_control),
            count(*) filter (where event_type = 'assigned' and not is_control),
            count(*) filter (where event_type = 'clicked')
        from raw.campaign_messages group by 1 order by 1""",
    )
    assert len(per_campaign) == 3
    for campaign_id, control, treatment, clicked in per_campaign:
        assert 0.05 < control / (control + treatment) < 0.35, campaign_id
        assert clicked > 0, campaign_id
    # no identifier assigned to control ever gets a message in that campaign
    assert (
        one(
            path,
            """
        select count(*) from raw.campaign_messages as c
        inner join raw.campaign_messages as m
            on m.campaign_id = c.campaign_id and m.user_id = c.user_id
        where c.is_control and m.event_type in ('sent', 'delivered', 'opened', 'clicked')
        """,
        )
        == 0
    )
    assert (
        one(
            path,
            "select count(*) from raw.campaign_messages "
            "where is_control and event_type <> 'assigned'",
        )
        == 0
    )
    assert (
        one(
            path,
            "select count(*) from raw.campaign_messages "
            "where user_id is null and email is not null",
        )
        > 0
    )
    assert (
        one(
            path,
            "select count(*) from raw.campaign_messages where user_id is null and email is null",
        )
        == 0
    )
    goals = {r[0] for r in rows(path, "select goal_event from raw.campaigns")}
    assert goals <= EVENTS[scenario]
    assert (
        one(path, "select count(*) from raw.campaigns where conversion_window_hours is null") >= 1
    )


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_campaigns_have_a_real_lift_and_tagged_click_sessions(warehouses, scenario):
    path, _ = warehouses[scenario]
    lifts = rows(
        path,
        """
        select campaign_id, true_absolute_lift, base_rate, att, n_treatment, n_control
        from truth.campaign_lift order by 1""",
    )
    assert len(lifts) == 3
    for campaign_id, lift, base, att, n_t, n_c in lifts:
        assert n_t > 20 and n_c > 0, campaign_id
        assert 0 < lift < 0.5 and 0 <= base < 1 and att > 0, campaign_id
    tagged = rows(
        path,
        """
        select c.campaign_id, count(e.event_id) from raw.campaigns as c
        left join raw.events as e on e.utm_campaign = c.campaign_id
        where c.channel in ('email', 'push') group by 1 order by 1""",
    )
    assert tagged and all(n > 0 for _, n in tagged)
    assert (
        one(
            path,
            """
        select count(*) from raw.events as e
        inner join raw.campaigns as c on c.campaign_id = e.utm_campaign
        where e.utm_medium is distinct from c.channel""",
        )
        == 0
    )


# --------------------------------------------------------------------------- channels


@pytest.mark.parametrize("scenario", ["saas", "loyalty"])
def test_ad_spend_follows_the_true_cost_per_acquisition(warehouses, scenario):
    path, _ = warehouses[scenario]
    fx = "case currency when 'BRL' then 0.18 else 1.0 end"
    spend = dict(
        rows(
            path,
            f"""
        select coalesce(channel, case utm_source when 'bing' then 'paid_search'
                                                 else 'paid_social' end),
            sum(spend * {fx})
        from raw.ad_spend group by 1""",
        )
    )
    truth = {
        c: (s, cpa, n)
        for c, s, cpa, n in rows(
            path,
            """
        select channel, spend_usd, cost_per_acquisition, persons from truth.channel_effect
        where cost_per_acquisition > 0""",
        )
    }
    assert set(spend) == set(truth) == {"paid_search", "paid_social", "influencer"}
    for channel, (usd, cpa, persons) in truth.items():
        assert spend[channel] == pytest.approx(usd, rel=0.01), channel
        assert usd / persons == pytest.approx(cpa, rel=0.15), channel
    assert (
        one(
            path,
            "select count(*) from raw.ad_spend where channel is null and utm_source is not null",
        )
        > 0
    )


def test_loyalty_influencers_are_cheap_but_churn_sooner_and_spend_less(warehouses):
    path, _ = warehouses["loyalty"]
    fx = (
        "case r.currency when 'BRL' then 0.18 when 'MXN' then 0.055 "
        "when 'COP' then 0.00025 when 'USD' then 1 end"
    )
    by_channel = {
        c: (cpa, life, rev)
        for c, cpa, life, rev in rows(
            path,
            f"""
        with revenue as (
            select t.true_person_id, sum(r.revenue * {fx}) as usd
            from raw.events as r inner join truth.events as t on t.raw_row = r.rowid
            where t.dirt = 'clean' group by 1
        )
        select p.acquisition_channel, e.cost_per_acquisition,
            e.mean_life_days_after_signup, sum(coalesce(v.usd, 0)) / count(*)
        from truth.persons as p
        inner join truth.channel_effect as e on e.channel = p.acquisition_channel
        left join revenue as v using (true_person_id)
        group by all""",
        )
    }
    inf, social = by_channel["influencer"], by_channel["paid_social"]
    assert inf[0] < social[0]
    assert inf[1] < 0.7 * social[1]
    assert inf[2] < 0.7 * social[2]
