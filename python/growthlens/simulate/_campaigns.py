"""Lifecycle campaigns with a holdout, and their true causal effect.

For each campaign, eligible people are assigned when they become eligible (or at launch);
a share is held out as control and never messaged. Every assigned person has two potential
outcomes: `y0`, the goal event happening anyway within the conversion window (read from the
person's natural timeline), and `y1`, which adds the message's effect: with probability
`uplift` a delivered message makes the person convert inside the window (through a click
session tagged with the campaign, or later on their own). Only treated people get the
effect in the data; the truth table keeps both outcomes for everybody, so the true lift is
known exactly, not estimated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from growthlens.simulate._const import SERVER, WEB
from growthlens.simulate._spec import Campaign

if TYPE_CHECKING:
    from growthlens.simulate._engine import _Builder

__all__ = ["MESSAGE_TYPES", "TRUTH_FIELDS", "run_campaigns"]

MESSAGE_TYPES = ("assigned", "sent", "delivered", "opened", "clicked", "bounced", "unsubscribed")
VARIANTS = ("A", "B", "holdout")
TRUTH_FIELDS = (
    "n_assigned",
    "n_treatment",
    "n_control",
    "n_contaminated",
    "sum_y0",
    "sum_y1",
    "sum_y0_treatment",
    "sum_y1_treatment",
    "sum_y0_control",
    "sum_y1_control",
    "n_clicked",
)
_OPEN = {"email": 0.40, "push": 0.25, "in_app": 0.60}


def _goal_times(b: _Builder, goal: int) -> tuple[np.ndarray, float]:
    """Sorted keys person * scale + t of every natural goal event of the chunk."""
    scale = 2.0 * b.HS + 1e7
    keys = [
        q["person"][m].astype(np.float64) * scale + q["t"][m]
        for q in b.ev.parts
        for m in [q["name"] == goal]
        if m.any()
    ]
    k = np.sort(np.concatenate(keys)) if keys else np.zeros(0)
    return k, scale


def _count_between(
    keys: np.ndarray, scale: float, person: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Number of goal events of each person with lo < t <= hi."""
    base = person.astype(np.float64) * scale
    return np.searchsorted(keys, base + hi, side="right") - np.searchsorted(
        keys, base + lo, side="right"
    )


def run_campaigns(b: _Builder) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Assign, message and (for the treated) convert; return message rows and truth sums."""
    rng, spec, ec = b.rng, b.spec, b.ec
    rows: list[dict[str, np.ndarray]] = []
    truth = np.zeros((len(spec.campaigns), len(TRUTH_FIELDS)), dtype=np.float64)
    natural = {c.goal_event: _goal_times(b, ec[c.goal_event]) for c in spec.campaigns}

    for ci, c in enumerate(spec.campaigns):
        keys, scale = natural[c.goal_event]
        w = float(c.window_hours or 72) * 3600.0
        base = {"signup": b.signup_t, "registered": b.signup_t, "activation": b.act_t}[
            c.eligible_from
        ]
        e = base + c.eligible_delay_hours * 3600.0
        cs = c.start_frac * b.HS
        ce = min(c.end_frac * b.HS, b.HS - w - 3600.0)
        a = np.maximum(e, cs) + rng.random(b.n) * 7200.0
        ok = np.isfinite(e) & (a <= ce)
        person = np.flatnonzero(ok)
        a = a[person]
        if c.first_time_goal:
            done = _count_between(keys, scale, person, np.full(len(person), -1e6), a) > 0
            person, a = person[~done], a[~done]
        m = len(person)
        if m == 0:
            continue
        control = rng.random(m) < c.holdout
        sent = a + 60.0 + rng.exponential(240.0, m)
        x = np.where(control, a, sent)  # exposure
        y0 = _count_between(keys, scale, person, x, x + w) > 0
        # potential delivery and response exist for everybody; only treatment sees them
        would_bounce = rng.random(m) < 0.03
        deliverable = ~would_bounce & (rng.random(m) < 0.98)
        bounced = ~control & would_bounce
        delivered = ~control & deliverable
        lucky = rng.random(m) < c.uplift  # would convert because of a delivered message
        y1 = y0 | (lucky & deliverable)  # outcome if assigned to treatment
        effect = delivered & lucky
        # conversion time: truncated exponential inside the window
        mean = w / 5.0
        r = rng.random(m)
        d = -mean * np.log1p(-r * (1.0 - np.exp(-0.9 * w / mean)))
        conv_t = x + np.maximum(d, 180.0)
        click_conv = effect & (rng.random(m) < 0.85)
        opened = delivered & (click_conv | (rng.random(m) < _OPEN[c.channel]))
        clicked = click_conv | (opened & ~effect & (rng.random(m) < 0.25))
        click_t = np.where(
            click_conv,
            conv_t - 30.0 - rng.exponential(120.0, m),
            sent + 600.0 + rng.exponential(6 * 3600.0, m),
        )
        click_t = np.maximum(click_t, sent + 40.0)
        conv_t = np.where(click_conv, np.maximum(conv_t, click_t + 25.0), conv_t)
        open_t = np.where(
            clicked,
            click_t - 5.0 - rng.exponential(30.0, m),
            sent + 300.0 + rng.exponential(4 * 3600.0, m),
        )
        open_t = np.maximum(open_t, sent + 10.0)
        unsub = delivered & (c.channel == "email") & (rng.random(m) < 0.01)
        variant = np.where(control, 2, rng.integers(0, 2, m))
        # contamination: the tool also knows a duplicate profile (by email) in the other arm
        contaminated = rng.random(m) < 0.004

        # --- truth (contaminated people are dropped, as the metric does)
        keep = ~contaminated
        t_ = truth[ci]
        t_[0] += keep.sum()
        t_[1] += (keep & ~control).sum()
        t_[2] += (keep & control).sum()
        t_[3] += contaminated.sum()
        t_[4] += y0[keep].sum()
        t_[5] += y1[keep].sum()
        t_[6] += y0[keep & ~control].sum()
        t_[7] += y1[keep & ~control].sum()
        t_[8] += y0[keep & control].sum()
        t_[9] += y1[keep & control].sum()
        t_[10] += clicked.sum()

        # --- message rows
        ident = rng.random(m)
        mode = np.where(ident < 0.85, 0, np.where(ident < 0.97, 1, 2))

        arm = _Arm(ci, person, mode, variant)
        no = np.zeros(m, dtype=bool)
        rows.append(_rows(b, arm, np.ones(m, dtype=bool), 0, a, control))
        rows.append(_rows(b, arm, ~control, 1, sent, no))
        rows.append(_rows(b, arm, delivered, 2, sent + 2.0 + rng.exponential(5.0, m), no))
        rows.append(_rows(b, arm, bounced, 5, sent + 10.0, no))
        rows.append(_rows(b, arm, opened, 3, open_t, no))
        rows.append(_rows(b, arm, clicked, 4, click_t, no))
        rows.append(_rows(b, arm, unsub, 6, open_t + 20.0, no))
        dup = _Arm(ci, person, np.where(mode == 1, 0, 1), variant)
        rows.append(_rows(b, dup, contaminated, 0, a + 30.0, ~control))
        rows.append(_rows(b, dup, contaminated & control, 1, a + 90.0, no))

        # --- the behaviour behind clicks and conversions (treated only)
        _click_sessions(b, c, ci, person, clicked & ~control, click_t, variant)
        _conversions(b, c, ci, person, effect & ~contaminated, conv_t, click_conv)

    if rows:
        msgs = {k: np.concatenate([r[k] for r in rows]) for k in rows[0]}
    else:
        msgs = {
            "campaign": np.zeros(0, np.int16),
            "user": np.zeros(0, np.int32),
            "email": np.zeros(0, np.int32),
            "type": np.zeros(0, np.int8),
            "is_control": np.zeros(0, bool),
            "variant": np.zeros(0, np.int8),
            "t": np.zeros(0),
            "person": np.zeros(0, np.int64),
        }
    return msgs, truth


@dataclass(frozen=True)
class _Arm:
    """Who is messaged in one campaign, and how the engagement tool identifies them."""

    campaign: int
    person: np.ndarray
    mode: np.ndarray  # 0 by user id, 1 by email, 2 by an id that resolves to nobody
    variant: np.ndarray


def _rows(
    b: _Builder, arm: _Arm, sel: np.ndarray, kind: int, t: np.ndarray, is_control: np.ndarray
) -> dict[str, np.ndarray]:
    """Message rows of one event type for the selected people."""
    rng = b.rng
    idx = np.flatnonzero(sel)
    p, tt, md = arm.person[idx], t[idx], arm.mode[idx]
    user = np.where(md == 0, b.user_code(p, tt), -1)
    which = np.where(tt >= b.email_change_t[p], 2, 0) + (rng.random(len(idx)) < 0.3)
    email = np.where(md == 1, b.email_code[p, which], -1)
    bad = md == 2
    half = rng.random(len(idx)) < 0.5
    user = np.where(bad & half, b.fake_user_start + p, user)
    email = np.where(bad & ~half, b.fake_email_start + p, email)
    return {
        "campaign": np.full(len(idx), arm.campaign, dtype=np.int16),
        "user": user.astype(np.int32),
        "email": email.astype(np.int32),
        "type": np.full(len(idx), kind, dtype=np.int8),
        "is_control": is_control[idx].astype(bool),
        "variant": arm.variant[idx].astype(np.int8),
        "t": tt,
        "person": p.astype(np.int64),
    }


def _session_id(b: _Builder, person: np.ndarray, ci: int) -> np.ndarray:
    return (b.gid[person] << 16) | (0xF000 + ci)


def _click_sessions(
    b: _Builder,
    c: Campaign,
    ci: int,
    person: np.ndarray,
    sel: np.ndarray,
    click_t: np.ndarray,
    variant: np.ndarray,
) -> None:
    """A click opens a session whose landing hit carries the campaign's utm tags."""
    idx = np.flatnonzero(sel & (click_t < b.HS))
    if len(idx) == 0:
        return
    p, t = person[idx], click_t[idx] + 1.0
    ec, vocab = b.ec, b.vocab
    mobile = b.dev_plat[p, 0] != WEB
    tc = np.array([vocab.touch_code[f"campaign:{c.campaign_id}:{v}"] for v in ("A", "B")])
    touch = tc[np.minimum(variant[idx], 1)]
    slot = b.current_slot(p, t)
    sess = _session_id(b, p, ci)
    if c.channel == "in_app":  # an in-app message opens a guide, not a tagged link
        opener = ec["guide_viewed"] if b.saas else ec["offer_viewed"]
        touch = np.full(len(p), -1)
    else:
        opener = ec["page_viewed"] if b.saas else ec["app_opened"]
    name = np.full(len(p), opener, dtype=np.int16)
    if not b.saas and c.channel != "in_app":
        name[~mobile] = ec["home_screen_viewed"]
    ref = np.where(touch >= 0, vocab.touch_referrer[np.maximum(touch, 0)], -1)
    b.ev.add(
        person=p,
        t=t,
        name=name,
        slot=slot,
        uid=True,
        session=sess,
        platform=b.dev_plat[p, 0],
        touch=touch,
        ref=ref,
        page=_page(b, name, mobile),
        prop=_prop(b, name),
    )
    t2 = t + 5.0 + b.rng.exponential(20.0, len(p))
    name2 = np.full(
        len(p), ec["page_viewed"] if b.saas else ec["home_screen_viewed"], dtype=np.int16
    )
    b.ev.add(
        person=p,
        t=t2,
        name=name2,
        slot=slot,
        uid=True,
        session=sess,
        platform=b.dev_plat[p, 0],
        ref=np.where(mobile, -1, 0),
        page=_page(b, name2, mobile),
        prop=_prop(b, name2),
    )


def _conversions(
    b: _Builder,
    c: Campaign,
    ci: int,
    person: np.ndarray,
    sel: np.ndarray,
    conv_t: np.ndarray,
    via_click: np.ndarray,
) -> None:
    """The goal event a message caused (with the steps that naturally lead to it)."""
    idx = np.flatnonzero(sel & (conv_t < b.HS))
    if len(idx) == 0:
        return
    ec = b.ec
    p, t = person[idx], conv_t[idx]
    mobile = b.dev_plat[p, 0] != WEB
    slot = b.current_slot(p, t)
    sess = _session_id(b, p, ci)
    # converting on their own later: open the app / site directly first
    own = ~via_click[idx]
    if own.any():
        o = np.flatnonzero(own)
        opener = ec["page_viewed"] if b.saas else ec["app_opened"]
        nm = np.full(len(o), opener, dtype=np.int16)
        b.ev.add(
            person=p[o],
            t=t[o] - 40.0,
            name=nm,
            slot=slot[o],
            uid=True,
            session=sess[o],
            platform=b.dev_plat[p[o], 0],
            touch=b.vocab.touch_code["session:direct"],
            page=_page(b, nm, mobile[o]),
            prop=_prop(b, nm),
        )
    goal = ec[c.goal_event]
    lead = {
        "workflow_saved": "workflow_started",
        "card_linked": "home_screen_viewed",
        "purchase_completed": "offer_viewed",
        "subscription_paid": "page_viewed",
    }
    if c.goal_event in lead:
        nm = np.full(len(p), ec[lead[c.goal_event]], dtype=np.int16)
        b.ev.add(
            person=p,
            t=t - 15.0,
            name=nm,
            slot=slot,
            uid=True,
            session=sess,
            platform=b.dev_plat[p, 0],
            page=_page(b, nm, mobile),
            prop=_prop(b, nm),
        )
    rev = np.full(len(p), np.nan)
    cur = np.full(len(p), -1, dtype=np.int8)
    prop = _prop(b, np.full(len(p), goal, np.int16))
    platform = b.dev_plat[p, 0]
    gslot = slot
    if c.goal_event == "purchase_completed":
        rev, cur = b._basket(p)
    elif c.goal_event == "subscription_paid":
        price = np.array([49.0, 45.0, 39.0])
        cur = b.currency[p].astype(np.int8)
        rev = price[cur]
        prop = b.vocab.prop_start[goal] + np.zeros(len(p), np.int32)
        platform = np.full(len(p), SERVER, dtype=np.int8)
        gslot = np.full(len(p), -1, dtype=np.int32)
    b.ev.add(
        person=p,
        t=t,
        name=goal,
        slot=gslot,
        uid=True,
        session=np.where(gslot >= 0, sess, -1),
        platform=platform,
        page=_page(b, np.full(len(p), goal, np.int16), mobile),
        prop=prop,
        revenue=rev,
        currency=cur,
    )


def _page(b: _Builder, names: np.ndarray, mobile: np.ndarray) -> np.ndarray:
    return b._pages(
        np.asarray(names, dtype=np.int64), np.asarray(mobile), np.zeros(len(names), dtype=bool)
    )


def _prop(b: _Builder, names: np.ndarray) -> np.ndarray:
    return b._props(np.asarray(names, dtype=np.int64))
