"""Scenario definitions: vocabularies, channel economics, personas and campaigns.

Everything the simulator draws from lives here as plain data, so a reader can see what a
scenario *is* without reading the engine. Names of events are the normalised ones
(`signed_up`); the engine adds the raw spelling noise (`Signed Up`, `SIGNED-UP`).

>>> spec = get_spec("saas")
>>> spec.signup_event, spec.activation_event
('signed_up', 'workflow_saved')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from growthlens.errors import GrowthlensError

__all__ = ["SCENARIOS", "ScenarioSpec", "get_spec"]


@dataclass(frozen=True)
class Touch:
    """One way a session can start: the utm parameters and referrer of its landing hit."""

    source: str | None
    medium: str | None
    campaign: str | None
    referrer: str | None
    weight: float
    content: str | None = None
    term: str | None = None


@dataclass(frozen=True)
class Channel:
    """An acquisition channel and its true economics (the numbers in truth.channel_effect)."""

    name: str
    share: float
    cpa_usd: float  # ad cost per acquired person (0 for unpaid channels)
    signup_mult: float
    activation_mult: float
    retention_mult: float  # multiplies the mean active lifetime after signup
    revenue_mult: float  # multiplies purchase propensity and basket / plan size
    touches: tuple[Touch, ...]
    cpm_usd: float = 0.0  # cost per thousand impressions, paid channels
    ctr: float = 0.0  # clicks per impression, paid channels


@dataclass(frozen=True)
class Persona:
    """A kind of person; `name` is written as identify trait `role`."""

    name: str
    share: float
    signup_mult: float
    activation_mult: float
    engagement_mult: float
    revenue_mult: float


@dataclass(frozen=True)
class Step:
    """A funnel step after signup: reached with `p_continue`, in the same session w.p. `p_same`."""

    event: str
    p_continue: float
    p_same: float


@dataclass(frozen=True)
class Campaign:
    """A lifecycle campaign of the engagement tool, with its true causal effect."""

    campaign_id: str
    name: str
    channel: str  # email | push | in_app
    goal_event: str
    window_hours: int | None  # None: the config default (72 h) applies
    eligible_from: str  # 'signup' | 'activation' | 'registered'
    eligible_delay_hours: float
    first_time_goal: bool  # audience excludes persons who already did the goal event
    start_frac: float  # campaign runs over this fraction of the simulated period
    end_frac: float
    uplift: float  # probability that the message makes a treated person convert
    holdout: float  # share of the audience kept as control
    source: str  # utm_source of the message links


@dataclass(frozen=True)
class ScenarioSpec:
    """Everything that differs between the two demo businesses."""

    name: str
    site_url: str  # marketing site / web app root, used in page_url and self-referrals
    app_url: str
    site_domains: tuple[str, ...]
    events: tuple[str, ...]
    passive_events: tuple[str, ...]
    signup_event: str
    activation_event: str
    steps: tuple[Step, ...]  # after signup; activation is one of them
    extra_milestones: tuple[tuple[str, float], ...]  # after activation: (event, probability)
    channels: tuple[Channel, ...]
    personas: tuple[Persona, ...]
    campaigns: tuple[Campaign, ...]
    # behaviour
    p_signup: float
    p_activate: float  # given signup, before multipliers
    pre_session_extra: float  # mean extra anonymous sessions before signup
    pre_events: float  # mean events of an anonymous session
    post_events: float  # mean events of a signed-up session
    session_rate: float  # sessions per day of an activated person
    casual_rate: float  # sessions per day of a signed-up, not activated person
    active_life_days: float
    casual_life_days: float
    weekend_keep: float  # share of weekend sessions kept (B2B quiet weekends)
    diurnal: tuple[float, ...]  # 24 weights by UTC hour
    # vocabularies of the middle of sessions, by phase
    vocab_pre: tuple[tuple[str, float], ...]
    vocab_casual: tuple[tuple[str, float], ...]
    vocab_active: tuple[tuple[str, float], ...]
    mobile_app: bool  # people use a phone app (first device a phone), else browsers only
    pages_pre: tuple[str, ...]
    pages_post: tuple[str, ...]
    screens: tuple[str, ...]
    # revenue
    currencies: tuple[tuple[str, float, float], ...]  # (code, share, typical amount)
    revenue_event: str
    p_payer: float
    user_id_style: str  # 'saas' | 'loyalty'
    email_domains: tuple[str, ...]
    roles_trait: tuple[str, ...] = field(default_factory=tuple)
    countries: tuple[str, ...] = field(default_factory=tuple)
    events_per_sqrt_day: float = 4.3  # raw events per person ~ this * sqrt(days), for chunking


_SAAS_DIURNAL = (
    1,
    1,
    1,
    1,
    1,
    1,
    1.5,
    2,
    4,
    6,
    7,
    7,
    7,
    8,
    9,
    9,
    9,
    8,
    7,
    5,
    4,
    3,
    2,
    1.5,
)
_LOYALTY_DIURNAL = (
    6,
    5,
    3.5,
    2,
    1,
    0.5,
    0.5,
    0.5,
    0.5,
    1,
    1.5,
    3,
    4,
    5,
    5,
    5,
    5,
    5,
    5,
    5,
    6,
    6,
    7,
    7,
)

_SAAS_SITE = "https://www.growthlens-demo.io"
_SAAS_APP = "https://app.growthlens-demo.io"
_LOY_SITE = "https://www.cashback-demo.app"
_LOY_APP = "https://app.cashback-demo.app"

_GOOGLE = "https://www.google.com/"
_SAAS_CHANNELS = (
    Channel(
        "paid_search",
        0.20,
        38.0,
        1.25,
        1.0,
        1.0,
        1.1,
        (
            Touch("google", "cpc", "search_brand", _GOOGLE, 0.45, "ad_brand_a", "growthlens"),
            Touch(
                "google",
                "cpc",
                "search_generic",
                _GOOGLE,
                0.35,
                "ad_generic_b",
                "data integration tool",
            ),
            Touch(
                "bing",
                "cpc",
                "search_generic",
                "https://www.bing.com/",
                0.20,
                "ad_generic_b",
                "etl pipeline",
            ),
        ),
        cpm_usd=45.0,
        ctr=0.035,
    ),
    Channel(
        "paid_social",
        0.12,
        22.0,
        0.8,
        0.8,
        0.8,
        0.8,
        (
            Touch(
                "facebook",
                "paid_social",
                "retarget_q1",
                "https://m.facebook.com/",
                0.25,
                "carousel_1",
            ),
            Touch(
                "instagram",
                "paid_social",
                "awareness_q1",
                "https://l.instagram.com/",
                0.15,
                "story_1",
            ),
            Touch(
                "linkedin",
                "Paid_Social",
                "b2b_leads",
                "https://www.linkedin.com/",
                0.60,
                "lead_form",
            ),
        ),
        cpm_usd=18.0,
        ctr=0.009,
    ),
    Channel(
        "influencer",
        0.05,
        15.0,
        0.9,
        0.9,
        0.85,
        0.9,
        (
            Touch(
                "@datawithdana", "influencer", "creator_launch", "https://www.youtube.com/", 0.55
            ),
            Touch(
                "@pipelinepete", "influencer", "creator_launch", "https://www.youtube.com/", 0.45
            ),
        ),
        cpm_usd=12.0,
        ctr=0.012,
    ),
    Channel(
        "email",
        0.06,
        0.0,
        1.2,
        1.1,
        1.1,
        1.0,
        (
            Touch("newsletter", "email", "newsletter_jan", None, 0.7),
            Touch("partner_list", "e-mail", "partner_webinar", None, 0.3),
        ),
    ),
    Channel(
        "referral",
        0.07,
        0.0,
        1.2,
        1.2,
        1.2,
        1.2,
        (
            Touch(None, None, None, "https://news.ycombinator.com/item?id=4242", 0.3),
            Touch(None, None, None, "https://github.com/awesome-data/awesome-etl", 0.4),
            Touch(None, None, None, "https://blog.partner-analytics.com/best-etl-tools", 0.3),
        ),
    ),
    Channel(
        "organic_search",
        0.25,
        0.0,
        1.0,
        1.05,
        1.15,
        1.05,
        (
            Touch(None, None, None, "https://www.google.com/", 0.8),
            Touch(None, None, None, "https://duckduckgo.com/", 0.1),
            Touch(None, None, None, "https://www.bing.com/search?q=growthlens", 0.1),
        ),
    ),
    Channel(
        "organic_social",
        0.08,
        0.0,
        0.7,
        0.9,
        0.9,
        0.85,
        (
            Touch(None, None, None, "https://www.linkedin.com/feed/", 0.5),
            Touch(None, None, None, "https://t.co/x7Yq2", 0.3),
            Touch(None, None, None, "https://www.reddit.com/r/dataengineering/", 0.2),
        ),
    ),
    Channel("direct", 0.17, 0.0, 1.05, 1.0, 1.1, 1.1, (Touch(None, None, None, None, 1.0),)),
)

_LOY_CHANNELS = (
    Channel(
        "paid_search",
        0.10,
        4.5,
        1.1,
        1.0,
        1.0,
        1.05,
        (
            Touch("google", "cpc", "app_install_search", _GOOGLE, 0.8, "ad_cashback", "cashback"),
            Touch(
                "bing",
                "cpc",
                "app_install_search",
                "https://www.bing.com/",
                0.2,
                "ad_cashback",
                "cupom desconto",
            ),
        ),
        cpm_usd=9.0,
        ctr=0.03,
    ),
    Channel(
        "paid_social",
        0.24,
        3.2,
        1.0,
        1.0,
        1.0,
        1.0,
        (
            Touch(
                "facebook",
                "paid_social",
                "install_br",
                "https://m.facebook.com/",
                0.35,
                "video_15s",
            ),
            Touch(
                "instagram",
                "paid_social",
                "install_br",
                "https://l.instagram.com/",
                0.35,
                "reel_moedas",
            ),
            Touch(
                "tiktok", "paid_social", "install_mx", "https://www.tiktok.com/", 0.30, "ugc_video"
            ),
        ),
        cpm_usd=5.0,
        ctr=0.012,
    ),
    Channel(
        "influencer",
        0.22,
        1.4,
        1.15,
        0.95,
        0.40,
        0.55,
        (
            Touch(
                "@camila.cupons",
                "influencer",
                "creators_q1",
                "https://www.instagram.com/",
                0.4,
                "story_link",
            ),
            Touch(
                "@economizacomleo",
                "influencer",
                "creators_q1",
                "https://www.tiktok.com/",
                0.35,
                "bio_link",
            ),
            Touch(
                "@lafamiliaahorra",
                "Influencer",
                "creators_mx",
                "https://www.youtube.com/",
                0.25,
                "video_desc",
            ),
        ),
        cpm_usd=3.5,
        ctr=0.02,
    ),
    Channel(
        "email",
        0.04,
        0.0,
        1.1,
        1.1,
        1.1,
        1.05,
        (Touch("newsletter", "email", "boas_vindas", None, 1.0),),
    ),
    Channel(
        "referral",
        0.12,
        0.0,
        1.2,
        1.15,
        1.25,
        1.2,
        (
            Touch(None, None, None, "https://www.promobit.com.br/cupons/moedas", 0.5),
            Touch(None, None, None, "https://www.pelando.com.br/d/moedas-cashback", 0.5),
        ),
    ),
    Channel(
        "organic_search",
        0.10,
        0.0,
        1.0,
        1.0,
        1.1,
        1.05,
        (Touch(None, None, None, "https://www.google.com.br/", 1.0),),
    ),
    Channel(
        "organic_social",
        0.08,
        0.0,
        0.8,
        0.9,
        0.8,
        0.85,
        (
            Touch(None, None, None, "https://www.instagram.com/", 0.5),
            Touch(None, None, None, "https://www.facebook.com/", 0.5),
        ),
    ),
    Channel("direct", 0.10, 0.0, 1.05, 1.0, 1.1, 1.1, (Touch(None, None, None, None, 1.0),)),
)

SAAS = ScenarioSpec(
    name="saas",
    site_url=_SAAS_SITE,
    app_url=_SAAS_APP,
    site_domains=("growthlens-demo.io",),
    events=(
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
    ),
    passive_events=("notification_received",),
    signup_event="signed_up",
    activation_event="workflow_saved",
    steps=(
        Step("email_verified", 0.82, 0.75),
        Step("connection_added", 0.70, 0.55),
        Step("workflow_started", 0.80, 0.70),
        Step("workflow_saved", 0.75, 0.60),
    ),
    extra_milestones=(("teammate_invited", 0.45),),
    channels=_SAAS_CHANNELS,
    personas=(
        Persona("data_engineer", 0.35, 1.1, 1.35, 1.3, 1.2),
        Persona("analyst", 0.35, 1.0, 1.0, 1.0, 1.0),
        Persona("sales", 0.15, 0.9, 0.45, 0.7, 0.8),
        Persona("marketing", 0.15, 0.9, 0.6, 0.8, 0.9),
    ),
    campaigns=(
        Campaign(
            "cmp_saas_first_workflow",
            "Finish your first workflow",
            "email",
            "workflow_saved",
            72,
            "signup",
            26.0,
            True,
            0.10,
            0.85,
            0.12,
            0.15,
            "growthlens_lifecycle",
        ),
        Campaign(
            "cmp_saas_connect_guide",
            "Connect your first source (in-app guide)",
            "in_app",
            "connection_added",
            48,
            "signup",
            0.2,
            True,
            0.20,
            0.90,
            0.10,
            0.20,
            "in_app_guide",
        ),
        Campaign(
            "cmp_saas_upgrade_team",
            "Upgrade to Team: 20% off",
            "email",
            "subscription_paid",
            None,
            "activation",
            24.0 * 7,
            True,
            0.05,
            0.85,
            0.04,
            0.10,
            "growthlens_lifecycle",
        ),
    ),
    p_signup=0.36,
    p_activate=0.62,
    pre_session_extra=0.8,
    pre_events=2.2,
    post_events=5.0,
    session_rate=0.75,
    casual_rate=0.45,
    active_life_days=55.0,
    casual_life_days=6.0,
    weekend_keep=0.35,
    diurnal=_SAAS_DIURNAL,
    vocab_pre=(("page_viewed", 1.0),),
    vocab_casual=(("page_viewed", 0.7), ("guide_viewed", 0.3)),
    vocab_active=(
        ("workflow_run", 0.46),
        ("page_viewed", 0.25),
        ("workflow_started", 0.09),
        ("workflow_saved", 0.08),
        ("connection_added", 0.04),
        ("teammate_invited", 0.02),
        ("guide_viewed", 0.06),
    ),
    mobile_app=False,
    pages_pre=(
        _SAAS_SITE + "/",
        _SAAS_SITE + "/pricing",
        _SAAS_SITE + "/features",
        _SAAS_SITE + "/integrations/postgres",
        _SAAS_SITE + "/blog/etl-vs-elt",
        _SAAS_SITE + "/blog/data-contracts",
        _SAAS_SITE + "/docs/quickstart",
        _SAAS_SITE + "/customers",
        _SAAS_SITE + "/signup",
        _SAAS_SITE + "/de/preise",
        _SAAS_SITE + "/blog/caf%C3%A9-analytics",
    ),
    pages_post=(
        _SAAS_APP + "/home",
        _SAAS_APP + "/workflows",
        _SAAS_APP + "/workflows/new",
        _SAAS_APP + "/connections",
        _SAAS_APP + "/runs",
        _SAAS_APP + "/settings/team",
        _SAAS_APP + "/settings/billing",
    ),
    screens=(),
    currencies=(("USD", 0.80, 1.0), ("EUR", 0.12, 0.92), ("GBP", 0.08, 0.79)),
    revenue_event="subscription_paid",
    p_payer=0.42,
    user_id_style="saas",
    email_domains=(
        "acme-data.io",
        "northwind.com",
        "globex.example",
        "initech.co",
        "umbrella.dev",
        "hooli.xyz",
        "müller-logistik.de",
        "gmail.com",
        "outlook.com",
    ),
    roles_trait=("data_engineer", "analyst", "sales", "marketing"),
    countries=("US", "DE", "GB", "FR", "BR"),
)

LOYALTY = ScenarioSpec(
    name="loyalty",
    site_url=_LOY_SITE,
    app_url=_LOY_APP,
    site_domains=("cashback-demo.app",),
    events=(
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
    ),
    passive_events=("app_backgrounded", "push_received"),
    signup_event="registered",
    activation_event="card_linked",
    steps=(Step("card_linked", 0.55, 0.55),),
    extra_milestones=(("loyalty_enrolled", 0.35),),
    channels=_LOY_CHANNELS,
    personas=(
        Persona("shopper", 0.45, 1.0, 1.0, 1.0, 1.0),
        Persona("deal_hunter", 0.35, 1.1, 1.15, 1.35, 0.75),
        Persona("family", 0.20, 0.95, 1.05, 0.9, 1.6),
    ),
    campaigns=(
        Campaign(
            "cmp_loy_link_card",
            "Vincule seu cartão: 2x moedas 💳",
            "push",
            "card_linked",
            72,
            "registered",
            24.0,
            True,
            0.10,
            0.85,
            0.10,
            0.15,
            "braze",
        ),
        Campaign(
            "cmp_loy_enroll",
            "Entre no Moedas+ (programa de fidelidade)",
            "email",
            "loyalty_enrolled",
            None,
            "activation",
            72.0,
            True,
            0.10,
            0.85,
            0.08,
            0.12,
            "braze",
        ),
        Campaign(
            "cmp_loy_weekend_coins",
            "Fim de semana em dobro 🎉",
            "push",
            "purchase_completed",
            48,
            "activation",
            24.0,
            False,
            0.30,
            0.80,
            0.06,
            0.20,
            "braze",
        ),
    ),
    p_signup=0.62,
    p_activate=0.60,
    pre_session_extra=0.5,
    pre_events=2.0,
    post_events=3.0,
    session_rate=0.8,
    casual_rate=0.5,
    active_life_days=40.0,
    casual_life_days=5.0,
    weekend_keep=1.0,
    diurnal=_LOYALTY_DIURNAL,
    vocab_pre=(("offer_viewed", 0.75), ("home_screen_viewed", 0.25)),
    vocab_casual=(("offer_viewed", 0.7), ("receipt_scanned", 0.15), ("home_screen_viewed", 0.15)),
    vocab_active=(
        ("offer_viewed", 0.50),
        ("receipt_scanned", 0.12),
        ("reward_redeemed", 0.03),
        ("purchase_completed", 0.12),
        ("home_screen_viewed", 0.06),
    ),
    mobile_app=True,
    pages_pre=(
        _LOY_SITE + "/",
        _LOY_SITE + "/como-funciona",
        _LOY_SITE + "/ofertas",
        _LOY_SITE + "/mx/ofertas",
        _LOY_SITE + "/co/tiendas",
    ),
    pages_post=(
        _LOY_APP + "/carteira",
        _LOY_APP + "/ofertas",
        _LOY_APP + "/resgatar",
        _LOY_APP + "/perfil",
    ),
    screens=("Home", "Ofertas", "Carteira", "Escanear", "Resgatar", "Perfil", "Cartões"),
    currencies=(
        ("BRL", 0.55, 85.0),
        ("MXN", 0.25, 320.0),
        ("COP", 0.12, 68000.0),
        ("USD", 0.08, 18.0),
    ),
    revenue_event="purchase_completed",
    p_payer=0.55,
    user_id_style="loyalty",
    email_domains=(
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "yahoo.com.br",
        "uol.com.br",
        "bol.com.br",
        "yahoo.com.mx",
        "icloud.com",
    ),
    roles_trait=("shopper", "deal_hunter", "family"),
    countries=("BR", "MX", "CO", "US"),
    events_per_sqrt_day=10.0,
)

SCENARIOS: dict[str, ScenarioSpec] = {"saas": SAAS, "loyalty": LOYALTY}


def get_spec(name: str) -> ScenarioSpec:
    """Return the scenario called `name` (`saas` or `loyalty`).

    >>> get_spec("loyalty").activation_event
    'card_linked'
    """
    try:
        return SCENARIOS[name]
    except KeyError:
        raise GrowthlensError(
            f"unknown scenario {name!r}: choose one of {', '.join(sorted(SCENARIOS))}"
        ) from None
