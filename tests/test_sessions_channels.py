"""Sessions and channels (metrics.md §2) on hand-made events: session boundaries at the timeout,
sessions across local midnight and across devices, a session's campaign fields from its first
event, one session per default channel rule, touchpoints and acquisition.

Every case is its own person (user_id), so the sessions of one case never touch another's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from conftest import BASE_EVENT_COLUMNS, BuildFn, query, values_sql

pytestmark = pytest.mark.dbt

# Only the models these tests read (and their parents): keeps the build fast and independent of
# marts further downstream.
SELECT = (
    "+dim_persons +person_identities +identity_conflicts +fct_events +fct_sessions +fct_touchpoints"
)

# America/Sao_Paulo is UTC-3 all year (no DST since 2019): local midnight is 03:00 UTC.
VARS = {
    "site_domains": ["shop.example"],
    "session_timeout_minutes": 30,
    "reporting_timezone": "America/Sao_Paulo",
}

EVENT_COLUMNS = {
    **BASE_EVENT_COLUMNS,
    "utm_source": "varchar",
    "utm_medium": "varchar",
    "utm_campaign": "varchar",
    "referrer": "varchar",
    "page_url": "varchar",
}


EVENTS: list[dict[str, Any]] = []


def ev(
    event_id: str, ts: str, user: str | None = None, anon: str | None = None, **fields: Any
) -> None:
    EVENTS.append(
        {
            "event_id": event_id,
            "event_name": "page_viewed",
            "event_ts": ts,
            "received_at": "2026-02-01 00:00:00",
            "anonymous_id": anon,
            "user_id": user,
            **fields,
        }
    )


# --- Sessions
# Gap of exactly the timeout stays in the session; +1 s (and +1 ms) starts a new one.
ev(
    "sg_e1",
    "2026-01-05 10:00:00",
    "sg_u",
    utm_source="newsletter",
    utm_medium="email",
    utm_campaign="jan",
    page_url="/welcome",
)
ev("sg_e2", "2026-01-05 10:30:00", "sg_u", utm_medium="cpc", page_url="/second")
ev(
    "sg_e3",
    "2026-01-05 11:00:01",
    "sg_u",
    referrer="https://www.google.com/search?q=x",
    page_url="/pricing",
)
ev("sg_e4", "2026-01-05 11:10:00", "sg_u")
ev("sg_e5", "2026-01-05 11:40:00.001", "sg_u", page_url="/late")
# Across local midnight (23:50 -> 00:10 in Sao Paulo).
ev("sm_e1", "2026-01-06 02:50:00", "sm_u")
ev("sm_e2", "2026-01-06 03:10:00", "sm_u")
# Stitched across devices: the phone's anonymous event joins sx_u's session on the laptop.
ev(
    "sx_e1",
    "2026-01-06 09:50:00",
    anon="sx_phone",
    utm_source="fb",
    utm_medium="paid_social",
    utm_campaign="promo",
    page_url="/promo",
)
ev("sx_e2", "2026-01-06 10:05:00", "sx_u", anon="sx_laptop", page_url="/dash")
ev("sx_e3", "2026-01-06 10:20:00", "sx_u", anon="sx_phone", page_url="/settings")
# Two events at the same instant: event order (event_ts, event_id) makes sf_a the first.
ev("sf_b", "2026-01-07 10:00:00", "sf_u", utm_source="google", utm_medium="cpc", page_url="/b")
ev("sf_a", "2026-01-07 10:00:00", "sf_u", referrer="https://duckduckgo.com/", page_url="/a")
ev("sf_c", "2026-01-07 10:05:00", "sf_u", utm_medium="email", page_url="/c")

# person_key -> sessions as (started_at, ended_at, n_events, channel, utm_source, utm_medium,
# utm_campaign, referrer, landing_page)
EXPECTED_SESSIONS: dict[str, list[tuple[Any, ...]]] = {
    "sg_u": [
        (
            "2026-01-05 10:00:00",
            "2026-01-05 10:30:00",
            2,
            "email",
            "newsletter",
            "email",
            "jan",
            None,
            "/welcome",
        ),
        (
            "2026-01-05 11:00:01",
            "2026-01-05 11:10:00",
            2,
            "organic_search",
            None,
            None,
            None,
            "https://www.google.com/search?q=x",
            "/pricing",
        ),
        (
            "2026-01-05 11:40:00.001",
            "2026-01-05 11:40:00.001",
            1,
            "direct",
            None,
            None,
            None,
            None,
            "/late",
        ),
    ],
    "sm_u": [
        ("2026-01-06 02:50:00", "2026-01-06 03:10:00", 2, "direct", None, None, None, None, None)
    ],
    "sx_u": [
        (
            "2026-01-06 09:50:00",
            "2026-01-06 10:20:00",
            3,
            "paid_social",
            "fb",
            "paid_social",
            "promo",
            None,
            "/promo",
        )
    ],
    "sf_u": [
        (
            "2026-01-07 10:00:00",
            "2026-01-07 10:05:00",
            3,
            "organic_search",
            None,
            None,
            None,
            "https://duckduckgo.com/",
            "/a",
        )
    ],
}

# --- Channels: (case, utm_source, utm_medium, utm_campaign, referrer, expected channel)
CHANNEL_CASES: list[tuple[str, str | None, str | None, str | None, str | None, str]] = [
    # 1 paid_search (case-insensitive, trimmed; utm beats the referrer)
    ("cpc", "Google", "CPC", None, "https://www.google.com/", "paid_search"),
    ("ppc", "bing", "ppc", None, None, "paid_search"),
    ("paidsearch", None, "PaidSearch", None, None, "paid_search"),
    ("paid_search", "google", "paid_search", None, None, "paid_search"),
    ("cpc_padded", "google", "  cpc ", None, None, "paid_search"),
    # 2 paid_social
    ("paid_social", "facebook", "paid_social", None, None, "paid_social"),
    ("paidsocial", "tiktok", "paidsocial", None, None, "paid_social"),
    ("social_paid", "meta", "Social_Paid", None, None, "paid_social"),
    # 3 influencer
    ("influencer", "ig", "influencer", None, None, "influencer"),
    ("influencers", "ig", "influencers", None, None, "influencer"),
    ("creator", "yt", "creator", None, None, "influencer"),
    # 4 email (utm beats a site-domain referrer)
    ("email", "crm", "email", None, "https://www.shop.example/", "email"),
    ("e_mail", "crm", "E-Mail", None, None, "email"),
    ("newsletter", "crm", "newsletter", None, None, "email"),
    # 5 push
    ("push", "braze", "push", None, None, "push"),
    ("push_notification", "braze", "push_notification", None, None, "push"),
    # 6 sms
    ("sms", "twilio", "SMS", None, None, "sms"),
    # 7 affiliate
    ("affiliate", "partner", "affiliate", None, None, "affiliate"),
    ("affiliates", "partner", "affiliates", None, None, "affiliate"),
    # 8 display
    ("display", "gdn", "display", None, None, "display"),
    ("banner", "gdn", "banner", None, None, "display"),
    ("cpm", "gdn", "CPM", None, None, "display"),
    # 9 organic_social
    ("social", "twitter", "social", None, None, "organic_social"),
    ("organic_social", "linkedin", "organic_social", None, None, "organic_social"),
    # 10 referral by medium
    ("referral_utm", "partner.com", "referral", None, None, "referral"),
    # 11 other: unknown medium, a source alone, a source with a blank medium
    ("other_medium", "x", "carrier_pigeon", None, None, "other"),
    ("other_source_only", "partner_x", None, None, "https://www.google.com/", "other"),
    ("other_source_blank_medium", "partner_y", "   ", None, None, "other"),
    ("other_medium_only", None, "offline_flyer", None, None, "other"),
    # 12 direct: own domain (host or subdomain, www. stripped, any case, port ignored)
    ("site", None, None, None, "https://www.shop.example/cart", "direct"),
    ("site_subdomain", None, None, None, "https://blog.shop.example/post", "direct"),
    ("site_caps_port", None, None, None, "HTTPS://WWW.Shop.Example:443/x", "direct"),
    ("site_blank_utm", "  ", "", None, "http://shop.example", "direct"),
    ("site_lookalike", None, None, None, "https://notshop.example/", "referral"),
    ("site_prefix", None, None, None, "https://shop.example.evil.com/", "referral"),
    # 13 organic_search (blank utm is no utm)
    ("google", None, None, None, "https://www.google.com/search?q=x", "organic_search"),
    ("google_uk", None, None, None, "https://www.google.co.uk/", "organic_search"),
    ("bing_blank_utm", " ", "  ", None, "https://www.bing.com/", "organic_search"),
    ("duckduckgo", None, None, None, "https://duckduckgo.com/", "organic_search"),
    ("yahoo", None, None, None, "https://search.yahoo.co.jp/", "organic_search"),
    ("baidu", None, None, None, "https://www.baidu.com/s?wd=x", "organic_search"),
    ("yandex", None, None, None, "https://yandex.ru/", "organic_search"),
    # 14 organic_social by referrer
    ("facebook", None, None, None, "https://m.facebook.com/", "organic_social"),
    ("instagram", None, None, None, "https://www.instagram.com/p/1", "organic_social"),
    ("linkedin", None, None, None, "https://www.linkedin.com/feed", "organic_social"),
    ("tiktok", None, None, None, "https://www.tiktok.com/@x", "organic_social"),
    ("youtube", None, None, None, "https://www.youtube.com/watch?v=1", "organic_social"),
    ("reddit", None, None, None, "https://old.reddit.com/r/x", "organic_social"),
    ("tco", None, None, None, "https://t.co/abc", "organic_social"),
    ("xcom", None, None, None, "https://x.com/someone", "organic_social"),
    ("www_xcom", None, None, None, "https://www.x.com/", "organic_social"),
    ("twitter", None, None, None, "https://twitter.com/home", "organic_social"),
    # 15 referral: any other referrer (x.com / t.co only as whole hosts)
    ("hn", None, None, None, "https://news.ycombinator.com/item?id=1", "referral"),
    ("netflix", None, None, None, "https://netflix.com/", "referral"),
    ("box", None, None, None, "https://box.com/", "referral"),
    ("microsoft_co", None, None, None, "https://microsoft.co/", "referral"),
    ("campaign_only_referrer", None, None, "spring", "https://news.ycombinator.com/", "referral"),
    # 16 direct: nothing at all
    ("direct", None, None, None, None, "direct"),
    ("blank_referrer", None, None, None, "   ", "direct"),
    ("campaign_only", None, None, "spring", None, "direct"),
]

for i, (case, source, medium, campaign, referrer, _) in enumerate(CHANNEL_CASES):
    ev(
        f"ch_{case}",
        f"2026-01-08 {i // 60:02d}:{i % 60:02d}:00",
        f"ch_{case}",
        utm_source=source,
        utm_medium=medium,
        utm_campaign=campaign,
        referrer=referrer,
        page_url=f"/landing/{case}",
    )

RULE_CHANNELS = {
    "paid_search",
    "paid_social",
    "influencer",
    "email",
    "push",
    "sms",
    "affiliate",
    "display",
    "organic_social",
    "referral",
    "other",
    "direct",
    "organic_search",
}


def clean(value: Any) -> Any:
    return None if pd.isna(value) else value


@pytest.fixture(scope="module")
def warehouse(build_warehouse: BuildFn) -> Path:
    return build_warehouse(
        "sessions_channels", {"events": values_sql(EVENT_COLUMNS, EVENTS)}, vars=VARS, select=SELECT
    )


@pytest.fixture(scope="module")
def sessions(warehouse: Path) -> pd.DataFrame:
    return query(
        warehouse,
        "select p.person_key, s.* from marts.fct_sessions as s "
        "inner join marts.dim_persons as p on s.person_id = p.person_id "
        "order by p.person_key, s.started_at",
    )


def test_sessions_exact(sessions: pd.DataFrame) -> None:
    assert sessions.session_id.is_unique
    for person, expected in EXPECTED_SESSIONS.items():
        rows = sessions[sessions.person_key == person]
        got = [
            (
                str(r.started_at),
                str(r.ended_at),
                r.n_events,
                r.channel,
                clean(r.utm_source),
                clean(r.utm_medium),
                clean(r.utm_campaign),
                clean(r.referrer),
                clean(r.landing_page),
            )
            for r in rows.itertuples()
        ]
        want = [(str(pd.Timestamp(s)), str(pd.Timestamp(e)), *rest) for s, e, *rest in expected]
        assert got == want, person


def test_events_carry_their_session(warehouse: Path, sessions: pd.DataFrame) -> None:
    events = query(
        warehouse,
        "select e.event_id, e.session_id, e.event_date, p.person_key from marts.fct_events as e "
        "inner join marts.dim_persons as p on e.person_id = p.person_id",
    ).set_index("event_id")
    assert len(events) == len(EVENTS)
    assert events.session_id.isin(sessions.session_id).all()
    # event counts per session agree with fct_sessions
    counts = events.groupby("session_id").size()
    assert counts.to_dict() == dict(zip(sessions.session_id, sessions.n_events, strict=True))
    same = events.session_id
    assert same["sg_e1"] == same["sg_e2"] != same["sg_e3"] == same["sg_e4"] != same["sg_e5"]
    assert same["sm_e1"] == same["sm_e2"]
    assert same["sx_e1"] == same["sx_e2"] == same["sx_e3"]
    assert set(events.loc[["sx_e1", "sx_e2", "sx_e3"], "person_key"]) == {"sx_u"}
    # the midnight session spans two local dates
    assert events.loc["sm_e1", "event_date"] == pd.Timestamp(date(2026, 1, 5))
    assert events.loc["sm_e2", "event_date"] == pd.Timestamp(date(2026, 1, 6))


def test_channel_per_rule(sessions: pd.DataFrame) -> None:
    got = {
        key.removeprefix("ch_"): channel
        for key, channel in zip(sessions.person_key, sessions.channel, strict=True)
        if key.startswith("ch_")
    }
    assert got == {case: channel for case, *_, channel in CHANNEL_CASES}
    assert set(got.values()) == RULE_CHANNELS
    # each channel case is exactly one session
    assert sessions.person_key.str.startswith("ch_").sum() == len(CHANNEL_CASES)


def test_session_fields_keep_raw_values(sessions: pd.DataFrame) -> None:
    row = sessions[sessions.person_key == "ch_cpc"].iloc[0]
    assert (row.utm_source, row.utm_medium, row.referrer, row.landing_page) == (
        "Google",
        "CPC",
        "https://www.google.com/",
        "/landing/cpc",
    )
    blank = sessions[sessions.person_key == "ch_bing_blank_utm"].iloc[0]
    assert pd.isna(blank.utm_source) and pd.isna(blank.utm_medium)


def test_touchpoints_one_per_session(warehouse: Path, sessions: pd.DataFrame) -> None:
    touches = query(warehouse, "select * from marts.fct_touchpoints")
    assert set(touches.touch_type) == {"session"}
    assert touches.touch_id.is_unique
    assert len(touches) == len(sessions)
    got = touches.set_index("touch_id").sort_index()
    want = sessions.set_index("session_id").sort_index()
    assert list(got.index) == list(want.index)
    assert list(got.person_id) == list(want.person_id)
    assert list(got.touch_ts) == list(want.started_at)
    assert list(got.channel) == list(want.channel)
    for touch_col, session_col in [
        ("source", "utm_source"),
        ("medium", "utm_medium"),
        ("campaign", "utm_campaign"),
    ]:
        assert [clean(v) for v in got[touch_col]] == [clean(v) for v in want[session_col]]


def test_acquisition_is_first_touch(warehouse: Path, sessions: pd.DataFrame) -> None:
    persons = query(warehouse, "select * from marts.dim_persons").set_index("person_key")
    first = sessions.sort_values(["person_key", "started_at"]).groupby("person_key").first()
    assert sorted(persons.index) == sorted(first.index)
    for key, row in first.iterrows():
        assert persons.loc[key, "acquisition_channel"] == row.channel, key
    sg = persons.loc["sg_u"]
    assert (
        sg.acquisition_channel,
        sg.acquisition_source,
        sg.acquisition_medium,
        sg.acquisition_campaign,
    ) == ("email", "newsletter", "email", "jan")
    sf = persons.loc["sf_u"]
    assert sf.acquisition_channel == "organic_search"
    assert pd.isna(sf.acquisition_source) and pd.isna(sf.acquisition_medium)
