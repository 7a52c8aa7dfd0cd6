"""Fixed text vocabularies of a scenario, and the hashing used to mint ids.

The engine works on integer codes only; every text column of the raw tables is a code into
one of the lists below (written to DuckDB as a pandas Categorical, i.e. an ENUM that DuckDB
casts to VARCHAR), so no Python string is built per event.

>>> from growthlens.simulate._spec import get_spec
>>> v = build_vocab(get_spec("saas"))
>>> v.name_variants[v.event_code["signed_up"] * 4 + 1]
'Signed Up'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from growthlens.simulate._spec import ScenarioSpec, Touch

__all__ = ["BLOCKED_IDS", "BLOCKED_USER_IDS", "JUNK_EMAILS", "Vocab", "build_vocab", "mix64"]

N_STYLES = 4  # snake_case, Title Case, UPPER-DASH, " spaced lower "

BLOCKED_IDS = ("undefined", "0000-0000", "null", "0", "", "anonymous")
BLOCKED_USER_IDS = (*BLOCKED_IDS, "-1")
JUNK_EMAILS = ("test@test.com", "a@a.com", "noemail@example.com")

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix64(x: np.ndarray, salt: int) -> np.ndarray:
    """A bijective 64-bit mix (splitmix64 finaliser) of `x` xor a salt: distinct in, distinct out.

    >>> int(mix64(np.array([1], dtype=np.uint64), 0)[0]) != 1
    True
    """
    z = np.asarray(x, dtype=np.uint64) ^ np.uint64(salt & 0xFFFFFFFFFFFFFFFF)
    with np.errstate(over="ignore"):
        z = z + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        z = z ^ (z >> np.uint64(31))
    return z


def _styles(name: str) -> list[str]:
    words = name.split("_")
    return [
        name,
        " ".join(w.capitalize() for w in words),
        "-".join(w.upper() for w in words),
        " " + " ".join(words) + " ",
    ]


_SAAS_PROPS: dict[str, list[str]] = {
    "page_viewed": [
        '{"title": "Pricing — growthlens"}',
        '{"title": "Features"}',
        '{"title": "Postgres → Snowflake in 5 minutes"}',
        '{"title": "Preise – growthlens"}',
        '{"title": "Café analytics ☕"}',
        '{"title": "Workflows"}',
        '{"title": "Runs"}',
    ],
    "signed_up": [
        '{"signup_type": "organic", "plan": "free"}',
        '{"signup_type": "invited", "plan": "free"}',
    ],
    "email_verified": ['{"method": "link"}', '{"method": "code"}'],
    "connection_added": [
        '{"connector": "postgres"}',
        '{"connector": "snowflake"}',
        '{"connector": "bigquery"}',
        '{"connector": "salesforce"}',
        '{"connector": "hubspot"}',
        '{"connector": "mysql"}',
        '{"connector": "s3"}',
    ],
    "teammate_invited": [
        '{"invitee_role": "analyst"}',
        '{"invitee_role": "data_engineer"}',
        '{"invitee_role": "marketing"}',
    ],
    "workflow_started": [
        '{"template": "blank"}',
        '{"template": "salesforce_to_snowflake"}',
        '{"template": "postgres_replication"}',
    ],
    "workflow_saved": [
        '{"steps": 2, "template": "blank"}',
        '{"steps": 4, "template": "postgres_replication"}',
        '{"steps": 7, "template": "salesforce_to_snowflake"}',
    ],
    "workflow_run": [
        '{"status": "success", "rows": 1200}',
        '{"status": "success", "rows": 98000}',
        '{"status": "failed", "error": "timeout ⏱"}',
        '{"status": "success", "rows": 0}',
    ],
    "guide_viewed": ['{"guide": "connect_source"}', '{"guide": "build_workflow"}'],
    "subscription_paid": [
        '{"plan": "starter", "interval": "month"}',
        '{"plan": "team", "interval": "month"}',
        '{"plan": "business", "interval": "month"}',
        '{"plan": "team", "type": "refund"}',
    ],
    "logged_in": ['{"method": "password"}', '{"method": "google_sso"}'],
    "notification_received": ['{"kind": "weekly_digest"}', '{"kind": "run_failed"}'],
}

_LOYALTY_PROPS: dict[str, list[str]] = {
    "app_installed": ['{"store": "app_store"}', '{"store": "play_store"}'],
    "app_opened": ['{"cold_start": true}', '{"cold_start": false}'],
    "home_screen_viewed": ['{"banner": "dobro_de_moedas"}', '{"banner": "ofertas_da_semana"}'],
    "registered": ['{"method": "phone"}', '{"method": "google"}', '{"method": "apple"}'],
    "card_linked": [
        '{"card_brand": "visa"}',
        '{"card_brand": "mastercard"}',
        '{"card_brand": "elo"}',
    ],
    "receipt_scanned": [
        '{"merchant": "Pão de Açúcar"}',
        '{"merchant": "OXXO"}',
        '{"merchant": "Éxito"}',
        '{"merchant": "Drogasil"}',
    ],
    "coins_earned": ['{"coins": 10}', '{"coins": 50}', '{"coins": 120}'],
    "offer_viewed": [
        '{"offer": "Cashback 10% 🛒", "merchant": "Carrefour"}',
        '{"offer": "2x moedas", "merchant": "iFood"}',
        '{"offer": "Descuento 15% 🎉", "merchant": "Liverpool"}',
        '{"offer": "Frete grátis", "merchant": "Magalu"}',
    ],
    "reward_redeemed": ['{"reward": "Vale-presente R$ 20 🎁"}', '{"reward": "Pix R$ 10"}'],
    "loyalty_enrolled": ['{"tier": "Moedas+"}'],
    "purchase_completed": [
        '{"merchant": "Carrefour", "items": 3}',
        '{"merchant": "iFood", "items": 1}',
        '{"merchant": "Magalu", "items": 2}',
        '{"merchant": "Éxito", "items": 5}',
        '{"merchant": "Carrefour", "type": "refund"}',
    ],
    "app_backgrounded": ["{}"],
    "push_received": ['{"campaign": "weekly_offers"}', '{"campaign": "coins_expiring ⏳"}'],
}

_MALFORMED = (
    '{"plan": "free"',
    "{plan: 'free'}",
    '{"connector": postgres}',
    "not json",
    '{"title": "Preços \\x"}',
    "{'merchant': 'OXXO'}",
    '{"items": 3 "merchant": "OXXO"}',
)

# Identify traits that carry no role (the role comes from the full per-person traits).
STATIC_TRAITS = (
    '{"newsletter": true}',
    '{"plan": "starter"}',
    '{"plan": "team"}',
    '{"plan": "business"}',
    '{"card_brand": "visa"}',
    '{"card_brand": "mastercard"}',
)

SESSION_TOUCHES = (
    ("direct", Touch(None, None, None, None, 1.0)),
    ("own_site", Touch(None, None, None, "{site}/", 1.0)),
    ("newsletter", Touch("newsletter", "email", "weekly_digest", None, 1.0)),
    ("push", Touch("braze", "push", "weekly_offers", None, 1.0)),
    ("invite", Touch("growthlens", "email", "teammate_invite", None, 1.0)),
    ("organic_search", Touch(None, None, None, "https://www.google.com/", 1.0)),
)


@dataclass(frozen=True)
class Vocab:
    """Code tables of one scenario (all lists are Categorical categories)."""

    events: tuple[str, ...]
    event_code: dict[str, int]
    name_variants: list[str]
    platforms: list[str]
    touches: list[Touch]
    touch_code: dict[str, int]  # 'channel:<i>:<j>', 'session:<name>', 'campaign:<id>:<variant>'
    referrers: list[str]
    touch_referrer: np.ndarray  # referrer code of each touch (-1 none)
    pages: list[str]
    page_code: dict[str, int]
    props: list[str]
    prop_start: np.ndarray  # per event code: first code of its properties
    prop_count: np.ndarray
    malformed_start: int
    currencies: list[str]
    traits_static: tuple[str, ...]


def build_vocab(spec: ScenarioSpec) -> Vocab:
    """Build the code tables of `spec` (deterministic: lists, never sets)."""
    events = spec.events
    event_code = {e: i for i, e in enumerate(events)}
    name_variants: list[str] = []
    for e in events:
        name_variants.extend(_styles(e))

    touches: list[Touch] = []
    touch_code: dict[str, int] = {}
    for i, ch in enumerate(spec.channels):
        for j, t in enumerate(ch.touches):
            touch_code[f"channel:{i}:{j}"] = len(touches)
            touches.append(t)
    for key, t in SESSION_TOUCHES:
        ref = t.referrer.format(site=spec.site_url) if t.referrer else None
        touch_code[f"session:{key}"] = len(touches)
        touches.append(Touch(t.source, t.medium, t.campaign, ref, 1.0))
    for c in spec.campaigns:
        for variant in ("A", "B"):
            touch_code[f"campaign:{c.campaign_id}:{variant}"] = len(touches)
            medium = c.channel if c.channel != "in_app" else None
            source = c.source if c.channel != "in_app" else None
            touches.append(
                Touch(
                    source,
                    medium,
                    c.campaign_id if medium else None,
                    None,
                    1.0,
                    content=f"variant_{variant.lower()}" if medium else None,
                )
            )

    referrers: list[str] = [spec.site_url + "/"]
    for t in touches:
        if t.referrer and t.referrer not in referrers:
            referrers.append(t.referrer)
    touch_referrer = np.array(
        [referrers.index(t.referrer) if t.referrer else -1 for t in touches], dtype=np.int16
    )

    pages = list(spec.pages_pre) + list(spec.pages_post) + list(spec.screens)
    page_code = {p: i for i, p in enumerate(pages)}

    table = _SAAS_PROPS if spec.name == "saas" else _LOYALTY_PROPS
    props: list[str] = []
    prop_start = np.zeros(len(events), dtype=np.int32)
    prop_count = np.zeros(len(events), dtype=np.int32)
    for i, e in enumerate(events):
        prop_start[i] = len(props)
        prop_count[i] = len(table[e])
        props.extend(table[e])
    malformed_start = len(props)
    props.extend(_MALFORMED)

    currencies = [c for c, _, _ in spec.currencies] + ["XXX", "BTC"]
    return Vocab(
        events=events,
        event_code=event_code,
        name_variants=name_variants,
        platforms=["web", "ios", "android", "server"],
        touches=touches,
        touch_code=touch_code,
        referrers=referrers,
        touch_referrer=touch_referrer,
        pages=pages,
        page_code=page_code,
        props=props,
        prop_start=prop_start,
        prop_count=prop_count,
        malformed_start=malformed_start,
        currencies=currencies,
        traits_static=STATIC_TRAITS,
    )
