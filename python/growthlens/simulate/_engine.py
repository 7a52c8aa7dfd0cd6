"""Behaviour of one chunk of simulated people, fully vectorised with numpy.

A chunk is a few tens of thousands of true people. For each the engine draws an acquisition
channel, a persona, devices, a lifetime, sessions (bursts of events minutes apart, separated by
hours or days), an onboarding funnel with drop-off, repeat usage, revenue and passive events.
Identity noise comes from behaviour only: anonymous browsing before signup, logins on new
devices, reinstalls, logouts, shared devices and emails, id migrations.

Times are float seconds since the start of the simulated period. Text columns are integer
codes into the scenario vocabulary (`_vocab.Vocab`) or into the chunk's own lists of ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from growthlens.simulate._campaigns import run_campaigns
from growthlens.simulate._const import ANDROID, DAY, INF, IOS, N_EMAIL, N_SLOT, N_VER, SERVER, WEB
from growthlens.simulate._dirt import finalise_events
from growthlens.simulate._people import COMPANIES, FIRST_NAMES, LAST_NAMES, SEGMENTS, slug
from growthlens.simulate._spec import ScenarioSpec
from growthlens.simulate._vocab import BLOCKED_IDS, BLOCKED_USER_IDS, JUNK_EMAILS, Vocab, mix64

__all__ = ["Chunk", "EventParts", "build_chunk"]

MIN_GAP_DAYS = 0.125  # sessions of a person start at least 3 h apart before the diurnal warp
EVENT_COLUMNS: dict[str, type] = {
    "person": np.int32,
    "t": np.float64,
    "name": np.int16,
    "slot": np.int32,
    "uid": np.bool_,
    "session": np.int64,
    "platform": np.int8,
    "touch": np.int16,
    "ref": np.int16,
    "page": np.int16,
    "prop": np.int32,
    "revenue": np.float64,
    "currency": np.int8,
}
_DEFAULTS = {
    "slot": -1,
    "uid": False,
    "session": -1,
    "touch": -1,
    "ref": -1,
    "page": -1,
    "prop": -1,
    "revenue": np.nan,
    "currency": -1,
}


class EventParts:
    """Collects event rows as column arrays; `concat` fills missing columns with defaults."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, **cols: np.ndarray | int | float | bool) -> None:
        n = len(np.asarray(cols["t"]))
        if n == 0:
            return
        part: dict[str, np.ndarray] = {}
        for key, dtype in EVENT_COLUMNS.items():
            value = cols.get(key, _DEFAULTS.get(key))
            arr = np.asarray(value)
            part[key] = np.full(n, arr, dtype=dtype) if arr.ndim == 0 else arr.astype(dtype)
        self.parts.append(part)

    def concat(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate([p[k] for p in self.parts]) for k in EVENT_COLUMNS}


@dataclass
class Chunk:
    """Everything one chunk writes: event columns, id lists, identify/alias/message rows."""

    events: dict[str, np.ndarray]
    gid0: int
    n: int
    slot_platform: np.ndarray  # platform of every anonymous id code (n * N_SLOT)
    n_fake: int
    emails: list[str]
    traits: list[str]
    identifies: dict[str, np.ndarray]
    aliases: dict[str, np.ndarray]
    messages: dict[str, np.ndarray]
    persons: dict[str, np.ndarray]
    campaign_truth: np.ndarray  # per campaign: sums for truth.campaign_lift


# ----------------------------------------------------------------------------- helpers


def group_pos(counts: np.ndarray) -> np.ndarray:
    """Position of each element within its group, for groups laid out back to back.

    >>> group_pos(np.array([2, 0, 3])).tolist()
    [0, 1, 0, 1, 2]
    """
    counts = np.asarray(counts, dtype=np.int64)
    starts = np.cumsum(counts) - counts
    return np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(starts, counts)


def group_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting at each group."""
    cs = np.cumsum(values)
    counts = np.asarray(counts, dtype=np.int64)
    ends = np.cumsum(counts)
    starts = ends - counts
    base = np.where(starts > 0, cs[np.maximum(starts - 1, 0)], 0.0)
    base = np.where(counts > 0, base, 0.0)
    return cs - np.repeat(base, counts)


def _choice(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    cum = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cum, rng.random(size), side="right"), len(cum) - 1)


def _some(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """About `share` of n indices, at least one when n > 0 (rare stories always occur)."""
    k = min(n, max(1, int(round(n * share))))
    return np.sort(rng.choice(n, size=k, replace=False)) if n else np.zeros(0, np.int64)


def diurnal_warp(days: np.ndarray, weights: tuple[float, ...]) -> np.ndarray:
    """Move times within their UTC day so hours follow `weights`; monotone, day preserved."""
    w = np.asarray(weights, dtype=np.float64)
    cdf = np.concatenate([[0.0], np.cumsum(w) / w.sum()])
    grid = np.arange(25, dtype=np.float64) / 24.0
    day = np.floor(days)
    return day + np.interp(days - day, cdf, grid)


# ----------------------------------------------------------------------------- the chunk


def build_chunk(
    spec: ScenarioSpec,
    vocab: Vocab,
    rng: np.random.Generator,
    n: int,
    gid0: int,
    horizon_days: int,
    start_weekday: int,
    salt: int,
    chunk_index: int,
    start_us: int,
) -> Chunk:
    """Simulate `n` people with global ids `gid0 .. gid0 + n - 1` over `horizon_days` days."""
    b = _Builder(
        spec, vocab, rng, n, gid0, horizon_days, start_weekday, salt, chunk_index, start_us
    )
    return b.run()


class _Builder:
    def __init__(
        self,
        spec: ScenarioSpec,
        vocab: Vocab,
        rng: np.random.Generator,
        n: int,
        gid0: int,
        horizon_days: int,
        start_weekday: int,
        salt: int,
        chunk_index: int,
        start_us: int,
    ) -> None:
        self.spec, self.vocab, self.rng, self.n, self.gid0 = spec, vocab, rng, n, gid0
        self.start_us = start_us
        self._s_touch: np.ndarray | None = None
        self._ptab: np.ndarray | None = None
        self.H = float(horizon_days)
        self.HS = self.H * DAY
        self.start_weekday = start_weekday
        self.salt = salt
        self.chunk_index = chunk_index
        self.gid = np.arange(gid0, gid0 + n, dtype=np.int64)
        self.ev = EventParts()
        self.saas = spec.name == "saas"
        self.ec = vocab.event_code

    # ------------------------------------------------------------------ orchestration
    def run(self) -> Chunk:
        self._persons()
        self._stories_before_sessions()
        self._sessions()
        self._session_devices()
        self._signup_and_auth()
        self._funnel()
        self._session_events()
        self._revenue()
        self._passive()
        self._stories_after_sessions()
        self._identifies()
        self._id_lists()
        tr, who = self.identifies["traits"], self.identifies["person"]
        self.identifies["traits"] = np.where(
            tr == -2, self.trait_code[who], np.where(tr >= 0, self.static_trait_start + tr, -1)
        ).astype(np.int32)
        messages, campaign_truth = run_campaigns(self)
        events = finalise_events(self, self.ev.concat(), self.start_us)
        return Chunk(
            events=events,
            gid0=self.gid0,
            n=self.n,
            slot_platform=np.repeat(self.dev_plat, 2, axis=1).ravel(),
            n_fake=self.n_fake,
            emails=self.emails,
            traits=self.traits,
            identifies=self.identifies,
            aliases=self.aliases,
            messages=messages,
            persons=self._truth_persons(),
            campaign_truth=campaign_truth,
        )

    # ------------------------------------------------------------------ people
    def _persons(self) -> None:
        spec, rng, n = self.spec, self.rng, self.n
        channels, personas = spec.channels, spec.personas
        self.channel = _choice(rng, np.array([c.share for c in channels]), n).astype(np.int16)
        self.persona = _choice(rng, np.array([p.share for p in personas]), n).astype(np.int16)
        ch = self.channel
        touch0 = np.zeros(n, dtype=np.int16)
        for i, c in enumerate(channels):
            m = np.flatnonzero(ch == i)
            j = _choice(rng, np.array([t.weight for t in c.touches]), len(m))
            touch0[m] = self.vocab.touch_code[f"channel:{i}:0"] + j
        self.touch0 = touch0

        # arrivals grow over the period (e^0.7 from first to last day)
        g = 0.7 / self.H
        u = rng.random(n)
        self.t0_day = np.log1p(u * np.expm1(g * self.H)) / g

        sm = (
            np.array([c.signup_mult for c in channels])[ch]
            * np.array([p.signup_mult for p in personas])[self.persona]
        )
        am = (
            np.array([c.activation_mult for c in channels])[ch]
            * np.array([p.activation_mult for p in personas])[self.persona]
        )
        self.ret_mult = np.array([c.retention_mult for c in channels])[ch]
        self.rev_mult = (
            np.array([c.revenue_mult for c in channels])[ch]
            * np.array([p.revenue_mult for p in personas])[self.persona]
        )
        self.engagement = np.array([p.engagement_mult for p in personas])[self.persona]
        self.signer = rng.random(n) < np.minimum(spec.p_signup * sm, 0.95)
        self.intends = self.signer & (rng.random(n) < np.minimum(spec.p_activate * am, 0.97))

        # invited teammates (B2B): they arrive through the invite email and sign up at once
        self.invited = np.zeros(n, dtype=bool)
        if self.saas:
            self.invited = self.signer & (rng.random(n) < 0.2)
            email_ch = [c.name for c in channels].index("email")
            self.channel[self.invited] = email_ch
            self.touch0[self.invited] = self.vocab.touch_code["session:invite"]
            self.ret_mult[self.invited] = channels[email_ch].retention_mult

        self.frailty = rng.gamma(2.0, 0.5, n)
        life_mean = np.where(self.intends, spec.active_life_days, spec.casual_life_days)
        self.life_days = rng.exponential(1.0, n) * life_mean * self.ret_mult / self.frailty
        self.churn_prone = (self.frailty / self.ret_mult) > 1.5

        r = rng.random(n)
        self.n_dev = np.where(self.signer, 1 + (r > 0.55) + (r > 0.88), 1 + (r > 0.85))
        self.n_dev = self.n_dev.astype(np.int8)
        plat = np.zeros((n, 3), dtype=np.int8)
        if spec.mobile_app:
            plat[:, 0] = np.where(rng.random(n) < 0.4, IOS, ANDROID)
            plat[:, 1] = np.where(rng.random(n) < 0.5, WEB, plat[:, 0])
            plat[:, 2] = np.where(rng.random(n) < 0.5, IOS, ANDROID)
        self.dev_plat = plat
        p_re = np.where(plat == WEB, 0.08, 0.12)
        re = rng.random((n, 3)) < p_re
        re_t = self.t0_day[:, None] + rng.random((n, 3)) * (self.H - self.t0_day[:, None])
        self.reinstall_day = np.where(re, re_t, INF)
        self.shared_dev = np.zeros((n, 3), dtype=bool)
        self.slot_map = (
            np.arange(n, dtype=np.int64)[:, None] * N_SLOT + np.arange(N_SLOT)[None, :]
        ).astype(np.int32)
        cur = np.array([c[1] for c in spec.currencies])
        self.currency = _choice(rng, cur, n).astype(np.int8)
        if self.saas:  # US, DE, GB, FR, BR: billed in USD, EUR, GBP
            self.country = _choice(rng, np.array([0.55, 0.15, 0.12, 0.1, 0.08]), n)
            self.currency = np.array([0, 1, 2, 1, 0], dtype=np.int8)[self.country]
        else:  # BRL, MXN, COP, USD line up with BR, MX, CO, US
            self.country = self.currency.astype(np.int64)
        self.story = np.zeros(n, dtype=np.int16)  # bit flags, see STORY_BITS

    def _stories_before_sessions(self) -> None:
        """Shared (family) devices need both people to own the device before sessions."""
        rng, n = self.rng, self.n
        cand = np.flatnonzero(self.signer & ~self.invited)
        k = max(1, round(n * 0.002)) if len(cand) >= 8 else 0
        pick = rng.permutation(cand)[: 2 * k]
        self.shared_pairs = pick.reshape(-1, 2) if len(pick) == 2 * k else pick[:0].reshape(-1, 2)
        for a, b_ in self.shared_pairs:  # a handful of pairs per chunk
            self.n_dev[a] = max(self.n_dev[a], 2)
            self.n_dev[b_] = max(self.n_dev[b_], 2)
            if not self.saas:
                self.dev_plat[a, 1] = IOS
            self.dev_plat[b_, 1] = self.dev_plat[a, 1]
            self.reinstall_day[a, 1] = self.reinstall_day[b_, 1] = INF
            self.slot_map[b_, 2] = self.slot_map[b_, 3] = self.slot_map[a, 2]
            self.shared_dev[a, 1] = self.shared_dev[b_, 1] = True
            self.story[[a, b_]] |= STORY_BITS["shared_device"]
        # the person with two emails and three devices
        cand = np.flatnonzero(self.intends & ~self.invited & (self.story == 0))
        self.three_dev_person = int(cand[np.argmin(self.t0_day[cand])]) if len(cand) else -1
        if self.three_dev_person >= 0:
            self.n_dev[self.three_dev_person] = 3
            self.story[self.three_dev_person] |= STORY_BITS["three_devices"]

    # ------------------------------------------------------------------ sessions
    def _sessions(self) -> None:
        spec, rng, n = self.spec, self.rng, self.n
        extra_signer = np.minimum(rng.geometric(0.55, n) - 1, 4)
        extra_visitor = np.minimum(rng.poisson(spec.pre_session_extra, n), 5)
        extra = np.where(self.signer, extra_signer, extra_visitor)
        extra[self.invited] = 0
        n_early = (extra + 1).astype(np.int64)
        person_e = np.repeat(np.arange(n, dtype=np.int32), n_early)
        gaps = rng.exponential(1.5, len(person_e)) + 0.15
        gaps[np.cumsum(n_early) - n_early] = 0.0
        early_day = self.t0_day[person_e] + group_cumsum(gaps, n_early)
        sig_pre = early_day[np.cumsum(n_early) - 1]  # last early session = signup session

        lam = np.where(self.intends, spec.session_rate, spec.casual_rate) * self.engagement
        lam = lam * rng.gamma(2.0, 0.5, n)
        end_day = np.minimum(sig_pre + self.life_days, self.H)
        span = np.where(self.signer, end_day - sig_pre - MIN_GAP_DAYS, 0.0)
        span = np.maximum(span, 0.0)
        n_post = np.minimum(rng.poisson(lam * span), np.floor(span / MIN_GAP_DAYS)).astype(np.int64)
        person_p = np.repeat(np.arange(n, dtype=np.int32), n_post)
        keys = person_p + rng.random(len(person_p)) ** 1.3
        keys.sort()
        v = keys - person_p
        i = group_pos(n_post)
        post_day = (
            sig_pre[person_p]
            + MIN_GAP_DAYS
            + i * MIN_GAP_DAYS
            + v * (span - n_post * MIN_GAP_DAYS)[person_p]
        )

        kind_e = np.zeros(len(person_e), dtype=np.int8)
        kind_e[np.cumsum(n_early) - 1] = np.where(self.signer, 1, 0)
        person = np.concatenate([person_e, person_p])
        day = np.concatenate([early_day, post_day])
        kind = np.concatenate([kind_e, np.full(len(person_p), 2, dtype=np.int8)])
        order = np.argsort(person, kind="stable")
        person, day, kind = person[order], day[order], kind[order]
        day = diurnal_warp(day, spec.diurnal)

        keep = day < self.H
        if spec.weekend_keep < 1.0:
            weekday = (self.start_weekday + np.floor(day).astype(np.int64)) % 7
            weekend = (weekday >= 5) & (kind == 2)
            keep &= ~weekend | (rng.random(len(day)) < spec.weekend_keep)
        person, day, kind = person[keep], day[keep], kind[keep]

        counts = np.bincount(person, minlength=n)
        self.s_first = (np.cumsum(counts) - counts).astype(np.int64)
        self.s_count = counts
        self.s_person = person
        self.s_day = day
        self.s_t = day * DAY
        self.s_kind = kind
        self.s_pos = group_pos(counts)
        self.t0_day = day[self.s_first]  # arrival = first session (every person has one)
        sig_idx = np.full(n, -1, dtype=np.int64)
        m = kind == 1
        sig_idx[person[m]] = np.flatnonzero(m)
        self.sig_idx = sig_idx
        self.signer &= sig_idx >= 0
        self.intends &= self.signer
        self.invited &= self.signer
        # sessions after the signup session
        self.n_after = np.where(self.signer, self.s_first + counts - 1 - sig_idx, 0)
        self.s_gid_session = (self.gid[person] << 16) | self.s_pos

    def _session_devices(self) -> None:
        rng = self.rng
        p, kind = self.s_person, self.s_kind
        nd = self.n_dev[p].astype(np.int64)
        p0 = np.where(kind == 2, 0.6, 0.85)
        other = 1 + np.floor(rng.random(len(p)) * np.maximum(nd - 1, 1)).astype(np.int64)
        dev = np.where((rng.random(len(p)) < p0) | (nd == 1) | (kind == 1), 0, other)
        dev = np.minimum(dev, nd - 1)
        # the person with three devices really uses all three after signing up
        if self.three_dev_person >= 0:
            mine = np.flatnonzero((p == self.three_dev_person) & (kind == 2))
            dev[mine] = np.arange(1, len(mine) + 1) % 3
        epoch = (self.s_day >= self.reinstall_day[p, dev]).astype(np.int64)
        self.s_dev = dev.astype(np.int8)
        self.s_slot_local = (dev * 2 + epoch).astype(np.int8)
        self.s_slot = self.slot_map[p, self.s_slot_local]
        self.s_platform = self.dev_plat[p, dev]
        self.s_mobile = self.s_platform != WEB

    # ------------------------------------------------------------------ signup and logins
    def _signup_and_auth(self) -> None:
        rng, n = self.rng, self.n
        sig = self.signer
        self.signup_t = np.full(n, INF)
        si = self.sig_idx[sig]
        self.signup_t[sig] = self.s_t[si] + 30.0 + rng.exponential(150.0, len(si))
        self.signup_slot_local = np.full(n, -1, dtype=np.int8)
        self.signup_slot_local[sig] = self.s_slot_local[si]

        p, kind = self.s_person, self.s_kind
        ns = len(p)
        # first post-signup session on each (person, slot) needs a login
        key = p.astype(np.int64) * N_SLOT + self.s_slot_local
        post = np.flatnonzero(kind == 2)
        _, first = np.unique(key[post], return_index=True)
        first_on_slot = np.zeros(ns, dtype=bool)
        first_on_slot[post[first]] = True
        shared = self.shared_dev[p, self.s_dev]
        needs_login = (kind == 2) & (
            (first_on_slot & (self.s_slot_local != self.signup_slot_local[p])) | shared
        )
        # a few devices get logged out for good at some point
        logout = np.where(
            rng.random((n, N_SLOT)) < 0.05,
            self.signup_t[:, None] + rng.random((n, N_SLOT)) * DAY * 40,
            INF,
        )
        logout[self.shared_dev.repeat(2, axis=1)] = INF
        logged_out = (kind == 2) & (self.s_t >= logout[p, self.s_slot_local])
        login_at = self.s_t + 8.0 + rng.exponential(40.0, ns)
        auth = np.where(needs_login, login_at, -INF)
        auth = np.where(kind == 0, INF, auth)
        auth = np.where(kind == 1, self.signup_t[p], auth)
        auth = np.where(logged_out, INF, auth)
        self.s_auth = auth
        self.s_login = needs_login & ~logged_out
        li = np.flatnonzero(self.s_login)
        self.login_sessions = li
        if self.saas and len(li):
            self.ev.add(
                person=p[li],
                t=auth[li],
                name=self.ec["logged_in"],
                slot=self.s_slot[li],
                uid=True,
                session=self.s_gid_session[li],
                platform=self.s_platform[li],
                page=self.vocab.page_code[self.spec.app_url + "/home"],
                prop=self._rand_prop("logged_in", len(li)),
            )

    def _logged_in_at(self, sess: np.ndarray) -> np.ndarray:
        """When events of a session start carrying the user id (session start if never)."""
        auth = self.s_auth[sess]
        return np.where(np.isfinite(auth), np.maximum(self.s_t[sess], auth), self.s_t[sess])

    # ------------------------------------------------------------------ onboarding funnel
    def _funnel(self) -> None:
        spec, rng, n = self.spec, self.rng, self.n
        ec = self.ec
        sig = np.flatnonzero(self.signer)
        si = self.sig_idx[sig]
        # the signup event itself
        invited_prop = self.invited[sig].astype(np.int32)
        self.ev.add(
            person=sig,
            t=self.signup_t[sig],
            name=ec[spec.signup_event],
            slot=self.s_slot[si],
            uid=True,
            session=self.s_gid_session[si],
            platform=self.s_platform[si],
            page=self._page_for(spec.signup_event, self.s_mobile[si]),
            prop=self.vocab.prop_start[ec[spec.signup_event]]
            + (invited_prop if self.saas else rng.integers(0, 3, len(sig))),
        )
        steps = spec.steps
        k = len(steps)
        act_j = [s.event for s in steps].index(spec.activation_event)
        cont = rng.random((len(sig), k)) < np.array([s.p_continue for s in steps])[None, :]
        intends = self.intends[sig]
        cont[intends, : act_j + 1] = True
        cont[~intends, act_j:] = False
        moves = rng.random((len(sig), k)) >= np.array([s.p_same for s in steps])[None, :]
        offs = np.cumsum(moves, axis=1)
        reached = np.logical_and.accumulate(cont & (offs <= self.n_after[sig][:, None]), axis=1)
        prev_t = self.signup_t[sig].copy()
        self.step_t = np.full((n, k), INF)
        self.step_sess = np.full((n, k), -1, dtype=np.int64)
        for j, step in enumerate(steps):  # a handful of steps, each vectorised
            r = reached[:, j]
            sess = si + offs[:, j]
            sess_c = np.where(r, sess, si)
            same = ~moves[:, j]
            t_new = self._logged_in_at(sess_c) + 20 + rng.exponential(90.0, len(sig))
            t = np.where(same, prev_t + 30.0 + rng.exponential(200.0, len(sig)), t_new)
            self.step_t[sig, j] = np.where(r, t, INF)
            self.step_sess[sig, j] = np.where(r, sess, -1)
            prev_t = np.where(r, t, prev_t)
            rr = np.flatnonzero(r)
            ss = sess[rr]
            self.ev.add(
                person=sig[rr],
                t=t[rr],
                name=ec[step.event],
                slot=self.s_slot[ss],
                uid=True,
                session=self.s_gid_session[ss],
                platform=self.s_platform[ss],
                page=self._page_for(step.event, self.s_mobile[ss]),
                prop=self._rand_prop(step.event, len(rr)),
            )
        self.act_t = self.step_t[:, act_j].copy()
        self.act_sess = self.step_sess[:, act_j].copy()
        self.activated = np.isfinite(self.act_t)
        # later milestones (teammate invited / loyalty programme)
        self.milestone_t: dict[str, np.ndarray] = {}
        for event, prob in spec.extra_milestones:
            a = np.flatnonzero(self.activated & (rng.random(n) < prob))
            after = self.s_first[a] + self.s_count[a] - 1 - self.act_sess[a]
            off = np.minimum(rng.geometric(0.45, len(a)) - 1, 6)
            ok = off <= after
            a, off = a[ok], off[ok]
            sess = self.act_sess[a] + off
            t = np.where(
                off == 0,
                self.act_t[a] + 60 + rng.exponential(300.0, len(a)),
                self._logged_in_at(sess) + 25 + rng.exponential(120.0, len(a)),
            )
            mt = np.full(n, INF)
            mt[a] = t
            self.milestone_t[event] = mt
            self.ev.add(
                person=a,
                t=t,
                name=ec[event],
                slot=self.s_slot[sess],
                uid=True,
                session=self.s_gid_session[sess],
                platform=self.s_platform[sess],
                page=self._page_for(event, self.s_mobile[sess]),
                prop=self._rand_prop(event, len(a)),
            )

    # ------------------------------------------------------------------ everyday usage
    def _session_events(self) -> None:
        spec, rng = self.spec, self.rng
        ec, vocab = self.ec, self.vocab
        p, kind, s_t = self.s_person, self.s_kind, self.s_t
        ns = len(p)
        active_then = s_t >= self.act_t[p]
        mean = np.where(
            kind == 0,
            spec.pre_events,
            np.where(
                kind == 1,
                spec.pre_events + 1.5,
                spec.post_events * self.engagement[p] * np.where(active_then, 1.0, 0.6),
            ),
        )
        nf = (1 + rng.poisson(mean)).astype(np.int64)
        loyalty_app = self.s_mobile & (not self.saas)  # sessions in the cashback phone app
        # structural app events of the cashback app: install, open, home screen, background
        if not self.saas:
            key = p.astype(np.int64) * N_SLOT + self.s_slot_local
            _, first = np.unique(key, return_index=True)
            first_on_slot = np.zeros(ns, dtype=bool)
            first_on_slot[first] = True
            installs = np.flatnonzero(first_on_slot & loyalty_app)
            self._add_struct(installs, s_t[installs], "app_installed", touch_first=True)
            opens = np.flatnonzero(loyalty_app)
            open_t = s_t[opens] + np.where(first_on_slot[opens], 3.0, 0.0)
            self._add_struct(opens, open_t, "app_opened", touch_first=~first_on_slot[opens])
            self._add_struct(
                opens,
                open_t + 3.0 + rng.exponential(3.0, len(opens)),
                "home_screen_viewed",
                touch_first=False,
            )
        # filler events
        e_sess = np.repeat(np.arange(ns, dtype=np.int64), nf)
        e_pos = group_pos(nf)
        gaps = np.minimum(rng.exponential(75.0, len(e_sess)), 1500.0)
        gaps[e_pos == 0] = 0.0
        lead = np.where(loyalty_app, 12.0, 0.0)
        e_t = s_t[e_sess] + lead[e_sess] + group_cumsum(gaps, nf)
        e_p = p[e_sess]
        pre = e_t < self.signup_t[e_p]
        active = e_t >= self.act_t[e_p]
        names = np.where(
            pre,
            self._vocab_pick(spec.vocab_pre, len(e_t)),
            np.where(
                active,
                self._vocab_pick(spec.vocab_active, len(e_t)),
                self._vocab_pick(spec.vocab_casual, len(e_t)),
            ),
        )
        if self.saas:
            names[e_pos == 0] = ec["page_viewed"]
        else:
            names[(e_pos == 0) & ~loyalty_app[e_sess]] = ec["home_screen_viewed"]
        # revenue in the cashback app: purchases only by payers, scaled by channel/persona
        rev = np.full(len(e_t), np.nan)
        cur = np.full(len(e_t), -1, dtype=np.int8)
        self.payer = np.zeros(self.n, dtype=bool)
        if not self.saas:
            self.payer = self.rng.random(self.n) < np.minimum(spec.p_payer * self.rev_mult, 0.95)
            buy = names == ec["purchase_completed"]
            keep = self.payer[e_p] & (rng.random(len(e_t)) < 0.55)
            names[buy & ~keep] = ec["offer_viewed"]
            buy = np.flatnonzero(buy & keep)
            rev[buy], cur[buy] = self._basket(e_p[buy])
        uid = e_t >= self.s_auth[e_sess]
        first_ev = (e_pos == 0) & ~loyalty_app[e_sess]
        touch = np.where(first_ev, self._session_touch()[e_sess], -1)
        ref = np.where(first_ev, vocab.touch_referrer[np.maximum(touch, 0)], -1)
        ref = np.where(~first_ev & ~self.s_mobile[e_sess], 0, ref)  # own-site navigation
        page = self._pages(names, self.s_mobile[e_sess], pre)
        prop = self._props(names)
        self.ev.add(
            person=e_p,
            t=e_t,
            name=names,
            slot=self.s_slot[e_sess],
            uid=uid,
            session=self.s_gid_session[e_sess],
            platform=self.s_platform[e_sess],
            touch=touch,
            ref=ref,
            page=page,
            prop=prop,
            revenue=rev,
            currency=cur,
        )
        # coins follow scanned receipts and purchases in the cashback app
        if not self.saas:
            src = np.flatnonzero(
                ((names == ec["receipt_scanned"]) | (names == ec["purchase_completed"]))
                & (rng.random(len(names)) < 0.92)
            )
            self.ev.add(
                person=e_p[src],
                t=e_t[src] + 2.0 + rng.exponential(3.0, len(src)),
                name=ec["coins_earned"],
                slot=self.s_slot[e_sess[src]],
                uid=uid[src],
                session=self.s_gid_session[e_sess[src]],
                platform=self.s_platform[e_sess[src]],
                page=self._page_for("coins_earned", self.s_mobile[e_sess[src]]),
                prop=self._rand_prop("coins_earned", len(src)),
            )
            last = np.cumsum(nf) - 1
            bg = np.flatnonzero(loyalty_app)
            self._add_struct(
                bg,
                e_t[last[bg]] + 20.0 + rng.exponential(60.0, len(bg)),
                "app_backgrounded",
                touch_first=False,
            )
        self.n_filler = len(e_t)

    def _add_struct(
        self, sess: np.ndarray, t: np.ndarray, event: str, touch_first: np.ndarray | bool
    ) -> None:
        touch = np.where(touch_first, self._session_touch()[sess], -1)
        self.ev.add(
            person=self.s_person[sess],
            t=t,
            name=self.ec[event],
            slot=self.s_slot[sess],
            uid=t >= self.s_auth[sess],
            session=self.s_gid_session[sess],
            platform=self.s_platform[sess],
            touch=touch,
            ref=np.where(touch >= 0, self.vocab.touch_referrer[np.maximum(touch, 0)], -1),
            page=self._page_for(event, self.s_mobile[sess]),
            prop=self._rand_prop(event, len(sess)),
        )

    def _session_touch(self) -> np.ndarray:
        """utm/referrer touch of every session: acquisition first, mostly direct later."""
        if self._s_touch is not None:
            return self._s_touch
        rng, vocab = self.rng, self.vocab
        p, kind, pos = self.s_person, self.s_kind, self.s_pos
        ns = len(p)
        tc = vocab.touch_code
        opts = np.array(
            [
                tc["session:direct"],
                tc["session:own_site"],
                tc["session:newsletter"],
                tc["session:organic_search"],
                tc["session:push"] if not self.saas else tc["session:newsletter"],
                -2,
            ],
            dtype=np.int16,
        )
        w_post = np.array([0.70, 0.08, 0.07, 0.07, 0.03 if self.saas else 0.05, 0.05])
        w_pre = np.array([0.40, 0.05, 0.05, 0.20, 0.0, 0.30])
        pick_post = opts[_choice(rng, w_post, ns)]
        pick_pre = opts[_choice(rng, w_pre, ns)]
        touch = np.where(kind == 2, pick_post, pick_pre)
        touch = np.where(touch == -2, self.touch0[p], touch)  # back through the same channel
        # an app opened from the home screen has no referrer
        web_only = (touch == tc["session:own_site"]) | (touch == tc["session:organic_search"])
        touch = np.where(web_only & self.s_mobile, tc["session:direct"], touch)
        touch = np.where(pos == 0, self.touch0[p], touch)
        self._s_touch = touch.astype(np.int16)
        return self._s_touch

    # ------------------------------------------------------------------ revenue
    def _basket(self, persons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        typical = np.array([c[2] for c in self.spec.currencies])
        cur = self.currency[persons]
        amount = (
            typical[cur] * self.rev_mult[persons] * self.rng.lognormal(-0.18, 0.6, len(persons))
        )
        step = np.where(typical[cur] > 10_000, 100.0, 0.01)
        return np.round(amount / step) * step, cur.astype(np.int8)

    def _revenue(self) -> None:
        spec, rng, n, ec = self.spec, self.rng, self.n, self.ec
        self.plan = np.full(n, -1, dtype=np.int8)
        self.first_paid_t = np.full(n, INF)
        if self.saas:
            cand = self.activated & ~self.invited
            self.payer = cand & (rng.random(n) < np.minimum(spec.p_payer * self.rev_mult, 0.95))
            a = np.flatnonzero(self.payer)
            rm = self.rev_mult[a]
            w = np.stack([0.55 / rm, np.full(len(a), 0.35), 0.10 * rm], axis=1)
            w /= w.sum(axis=1, keepdims=True)
            plan = (rng.random(len(a))[:, None] > np.cumsum(w, axis=1)).sum(axis=1)
            plan = np.minimum(plan, 2)
            self.plan[a] = plan
            first = self.act_t[a] + (0.5 + rng.exponential(8.0, len(a))) * DAY
            churn = (self.s_day[self.sig_idx[a]] + self.life_days[a] + 10.0) * DAY
            end = np.minimum(churn, self.HS)
            cnt = np.where(first < end, np.floor((end - first) / (30 * DAY)) + 1, 0).astype(
                np.int64
            )
            self.first_paid_t[a] = np.where(cnt > 0, first, INF)
            pp = np.repeat(a, cnt)
            t = np.repeat(first, cnt) + group_pos(cnt) * 30 * DAY + rng.normal(0, 600, len(pp))
            price = np.array([[49.0, 199.0, 799.0], [45.0, 183.0, 735.0], [39.0, 157.0, 629.0]])
            cur = self.currency[pp]
            pl = self.plan[pp]
            rev = price[cur, pl]
            start = self.vocab.prop_start[ec["subscription_paid"]]
            self.ev.add(
                person=pp,
                t=t,
                name=ec["subscription_paid"],
                uid=True,
                platform=SERVER,
                revenue=rev,
                currency=cur,
                prop=start + pl,
            )
            # a few refunds (negative revenue) some days later
            self._refunds(pp, t, rev, cur, ec["subscription_paid"], 0.015, (2, 10), start + 3)
        else:
            # refunds of purchases in the cashback app arrive from the backend
            parts = self.ev.parts
            buys = [
                (q["person"][m], q["t"][m], q["revenue"][m], q["currency"][m])
                for q in parts
                for m in [np.flatnonzero(q["name"] == ec["purchase_completed"])]
                if len(m)
            ]
            if buys:
                bp = np.concatenate([x[0] for x in buys])
                bt = np.concatenate([x[1] for x in buys])
                br = np.concatenate([x[2] for x in buys])
                bc = np.concatenate([x[3] for x in buys])
                name = ec["purchase_completed"]
                prop = self.vocab.prop_start[name] + 4
                self._refunds(bp, bt, br, bc, name, 0.005, (1, 7), prop)

    # ------------------------------------------------------------------ passive events
    def _refunds(
        self,
        person: np.ndarray,
        t: np.ndarray,
        revenue: np.ndarray,
        currency: np.ndarray,
        name: int,
        share: float,
        delay_days: tuple[float, float],
        prop: int,
    ) -> None:
        """Refund about `share` of the payments (same amount, negative) from the server a few
        days later, when that still falls inside the simulated period."""
        rf = _some(self.rng, len(person), share)
        rt = t[rf] + self.rng.uniform(delay_days[0], delay_days[1], len(rf)) * DAY
        ok = rt < self.HS
        rf, rt = rf[ok], rt[ok]
        self.ev.add(
            person=person[rf],
            t=rt,
            name=name,
            uid=True,
            platform=SERVER,
            revenue=-revenue[rf],
            currency=currency[rf],
            prop=prop,
        )

    def _passive(self) -> None:
        rng, n, ec = self.rng, self.n, self.ec
        if self.saas:
            s = np.flatnonzero(self.signer)
            span = np.maximum(self.HS - self.signup_t[s], 0.0)
            cnt = rng.poisson(0.12 * span / DAY)
            pp = np.repeat(s, cnt)
            t = np.repeat(self.signup_t[s], cnt) + rng.random(len(pp)) * np.repeat(span, cnt)
            self.ev.add(
                person=pp,
                t=t,
                name=ec["notification_received"],
                uid=True,
                platform=SERVER,
                prop=self._rand_prop("notification_received", len(pp)),
            )
            return
        # push notifications reach the phone until some weeks after the person stops
        alive_end = np.where(
            self.signer,
            self.s_day[np.maximum(self.sig_idx, 0)] + self.life_days,
            self.s_day[self.s_first + self.s_count - 1],
        )
        end = np.minimum(alive_end + 40.0, self.H)
        span = np.maximum(end - self.t0_day, 0.0)
        cnt = rng.poisson(0.2 * span)
        pp = np.repeat(np.arange(n), cnt)
        day = np.repeat(self.t0_day, cnt) + rng.random(len(pp)) * np.repeat(span, cnt)
        day = diurnal_warp(day, self.spec.diurnal)
        t = day * DAY
        epoch = (day >= self.reinstall_day[pp, 0]).astype(np.int64)
        self.ev.add(
            person=pp,
            t=t,
            name=ec["push_received"],
            slot=self.slot_map[pp, epoch],
            uid=t >= self.signup_t[pp],
            platform=self.dev_plat[pp, 0],
            prop=self._rand_prop("push_received", len(pp)),
        )

    # ------------------------------------------------------------------ identity stories
    def _stories_after_sessions(self) -> None:
        rng, n = self.rng, self.n
        sig = np.flatnonzero(self.signer)
        # user id migrations (legacy id -> new id), a fifth of them twice
        mig = sig[rng.random(len(sig)) < 0.03]
        t1 = self.signup_t[mig] + rng.random(len(mig)) * (self.HS - self.signup_t[mig])
        t2 = t1 + rng.random(len(mig)) * (self.HS - t1)
        two = rng.random(len(mig)) < 0.2
        self.mig_a = np.full(n, -INF)
        self.mig_b = np.full(n, -INF)
        self.mig_a[mig] = np.where(two, t1, -INF)
        self.mig_b[mig] = np.where(two, t2, t1)
        self.story[mig] |= STORY_BITS["id_changed"]
        # email changes; the three-device person is one of them
        ch = sig[rng.random(len(sig)) < 0.04]
        if self.three_dev_person >= 0 and self.signer[self.three_dev_person]:
            ch = np.union1d(ch, [self.three_dev_person])
        self.email_change_t = np.full(n, INF)
        self.email_change_t[ch] = self.signup_t[ch] + rng.random(len(ch)) * (
            self.HS - self.signup_t[ch]
        )
        self.story[ch] |= STORY_BITS["two_emails"]
        # email codes: default own email; couples share one; junk typed by many
        self.email_code = (
            np.arange(n, dtype=np.int32)[:, None] * N_EMAIL + np.arange(N_EMAIL)[None, :]
        ).astype(np.int32)
        free = sig[(self.story[sig] == 0)]
        free = rng.permutation(free)
        k_couple = max(1, round(n * 0.0015)) if len(free) > 40 else 0
        couples = free[: 2 * k_couple].reshape(-1, 2)
        for a, b_ in couples:
            self.email_code[b_, 0] = self.email_code[a, 0]
            self.email_code[b_, 1] = self.email_code[a, 1]
            self.story[[a, b_]] |= STORY_BITS["shared_email"]
        self.couples = couples
        k_junk = max(15, round(n * 0.004)) if len(free) > 60 else 0
        junk = free[2 * k_couple : 2 * k_couple + k_junk]
        junk_base = n * N_EMAIL
        self.email_code[junk, 0] = junk_base + np.arange(len(junk)) % len(JUNK_EMAILS)
        self.email_code[junk, 1] = self.email_code[junk, 0]
        self.story[junk] |= STORY_BITS["junk_email"]
        # accounts (B2B workspaces): founders own one, invited teammates join an inviter's
        self.account = np.full(n, -1, dtype=np.int32)
        self.inviter = np.full(n, -1, dtype=np.int64)
        if self.saas:
            founders = np.flatnonzero(self.signer & ~self.invited)
            self.account[founders] = founders
            inv = np.flatnonzero(self.invited)
            order = founders[np.argsort(self.signup_t[founders], kind="stable")]
            ft = self.signup_t[order]
            kk = np.searchsorted(ft, self.t0_day[inv] * DAY - 3600.0)
            has = kk > 0
            pick = np.floor(rng.random(len(inv)) * np.maximum(kk, 1)).astype(np.int64)
            inviter = (
                np.where(has, order[np.minimum(pick, len(order) - 1)], -1)
                if len(order)
                else np.full(len(inv), -1)
            )
            self.inviter[inv] = inviter
            self.account[inv] = np.where(inviter >= 0, inviter, inv)
            w = np.flatnonzero(inviter >= 0)
            a, who = inv[w], inviter[w]
            t = np.maximum(
                self.t0_day[a] * DAY - 60 - rng.exponential(3 * 3600, len(a)),
                self.signup_t[who] + 60,
            )
            epoch = (t / DAY >= self.reinstall_day[who, 0]).astype(np.int64)
            self.ev.add(
                person=who,
                t=t,
                name=self.ec["teammate_invited"],
                slot=self.slot_map[who, epoch],
                uid=True,
                platform=WEB,
                page=self._page_for("teammate_invited", np.zeros(len(a), bool)),
                prop=self._rand_prop("teammate_invited", len(a)),
            )

    # ------------------------------------------------------------------ identify calls
    def _identifies(self) -> None:
        rng = self.rng
        rows: list[dict[str, np.ndarray]] = []

        def add(
            t: np.ndarray,
            person: np.ndarray,
            slot: np.ndarray,
            uid: np.ndarray,
            email: np.ndarray,
            traits: np.ndarray,
        ) -> None:
            rows.append(
                {
                    "t": np.asarray(t, np.float64),
                    "person": np.asarray(person, np.int64),
                    "slot": np.asarray(slot, np.int32),
                    "uid": np.asarray(uid, bool),
                    "email": np.asarray(email, np.int8),
                    "traits": np.asarray(traits, np.int32),
                }
            )

        sig = np.flatnonzero(self.signer)
        si = self.sig_idx[sig]
        full = 0  # traits code 0 = the person's full traits (resolved per person later)
        add(
            self.signup_t[sig] + 1.0,
            sig,
            self.s_slot[si],
            np.ones(len(sig), bool),
            np.ones(len(sig)),
            np.full(len(sig), full),
        )
        li = self.login_sessions
        lp = self.s_person[li]
        add(
            self.s_auth[li] + 0.5,
            lp,
            self.s_slot[li],
            np.ones(len(li), bool),
            np.where(rng.random(len(li)) < 0.6, 1, 0),
            np.where(rng.random(len(li)) < 0.4, full, -1),
        )
        # newsletter forms on the marketing site: email without a user id
        early = np.flatnonzero(self.s_kind == 0)
        nl = early[rng.random(len(early)) < np.where(self.signer[self.s_person[early]], 0.03, 0.06)]
        add(
            self.s_t[nl] + 45.0,
            self.s_person[nl],
            self.s_slot[nl],
            np.zeros(len(nl), bool),
            np.ones(len(nl)),
            np.full(len(nl), 1),
        )  # static trait 0: newsletter
        # email changes (from a session-less settings page or the backend)
        ce = np.flatnonzero(np.isfinite(self.email_change_t))
        add(
            self.email_change_t[ce],
            ce,
            np.full(len(ce), -1),
            np.ones(len(ce), bool),
            np.ones(len(ce)),
            np.full(len(ce), full),
        )
        if self.saas:
            pay = np.flatnonzero(np.isfinite(self.first_paid_t))
            add(
                self.first_paid_t[pay] + 2.0,
                pay,
                np.full(len(pay), -1),
                np.ones(len(pay), bool),
                np.ones(len(pay)),
                2 + self.plan[pay],
            )
        else:
            a = np.flatnonzero(self.activated)
            sess = self.act_sess[a]
            add(
                self.act_t[a] + 2.0,
                a,
                self.s_slot[sess],
                np.ones(len(a), bool),
                np.zeros(len(a)),
                np.where(rng.random(len(a)) < 0.5, 5, 6),
            )
        cols = {k: np.concatenate([r[k] for r in rows]) for k in rows[0]}
        # email_flag: 1 = with email; choose email 1/2 by time, and typing noise
        person, t = cols["person"], cols["t"]
        which = np.where(t >= self.email_change_t[person], 2, 0) + (rng.random(len(t)) < 0.08)
        email = np.where(cols["email"] == 1, self.email_code[person, which], -1)
        traits = np.where(
            cols["traits"] == 0, -2, np.where(cols["traits"] > 0, cols["traits"] - 1, -1)
        )
        # a tracker that was not ready yet sends a placeholder device id now and then
        slot = cols["slot"].copy()
        has = np.flatnonzero(slot >= 0)
        bad = has[_some(rng, len(has), 0.003)]
        slot[bad] = self.n * N_SLOT + rng.integers(0, len(BLOCKED_IDS), len(bad))
        self.identifies = {
            "person": person,
            "t": t,
            "slot": slot,
            "user": np.where(cols["uid"], self.user_code(person, t), -1),
            "email": email.astype(np.int32),
            "traits": traits.astype(np.int32),
        }
        # aliases: Segment-style alias at signup, and id migrations (old -> new)
        self.alias_rows: list[tuple[int, int, int, float]] = []  # (kind, a, b, t)

    def user_code(self, person: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Code of the user id a person had at time t (ids change at migrations)."""
        back = (t < self.mig_a[person]).astype(np.int32) + (t < self.mig_b[person])
        return (person.astype(np.int64) * N_VER + back).astype(np.int32)

    def current_slot(self, person: np.ndarray, t: np.ndarray) -> np.ndarray:
        """The primary device's anonymous id code at time t."""
        epoch = (t / DAY >= self.reinstall_day[person, 0]).astype(np.int64)
        return self.slot_map[person, epoch]

    # ------------------------------------------------------------------ id lists
    def _id_lists(self) -> None:
        """Code spaces of ids (formatted by DuckDB) and the per-person strings of emails."""
        spec, rng, n, gid = self.spec, self.rng, self.n, self.gid
        self.blocked_user_start = n * N_VER
        self.fake_user_start = n * N_VER + len(BLOCKED_USER_IDS)
        self.n_fake = n  # deleted users the engagement tool still messages (one per person)
        self.blocked_anon_start = n * N_SLOT

        first, last = FIRST_NAMES[spec.name], LAST_NAMES[spec.name]
        first_slug = [slug(x) for x in first]
        last_slug = [slug(x).replace(" ", "") for x in last]
        u = gid.astype(np.uint64)
        fi = (mix64(u, self.salt ^ 0xF1) % np.uint64(len(first))).astype(np.int64).tolist()
        la = (mix64(u, self.salt ^ 0x1A) % np.uint64(len(last))).astype(np.int64).tolist()
        dom = (
            (mix64(u, self.salt ^ 0xD0) % np.uint64(len(spec.email_domains)))
            .astype(np.int64)
            .tolist()
        )
        personal = "gmail.com" if self.saas else "hotmail.com"
        roles = spec.roles_trait
        emails: list[str] = []
        traits: list[str] = []
        for i, g in enumerate(gid.tolist()):  # a few strings per person
            f, ls, d = first_slug[fi[i]], last_slug[la[i]], spec.email_domains[dom[i]]
            e1 = f"{f}.{ls}{g}@{d}" if g % 3 else f"{f[0]}{ls}{g}@{d}"
            e2 = f"{f}{g}@{personal}"
            local, _, host = e1.partition("@")
            emails += [e1, f" {local.capitalize()}@{host.capitalize()} ", e2, e2.upper()]
            role = roles[self.persona[i]]
            name = f"{first[fi[i]]} {last[la[i]]}"
            if self.saas:
                traits.append(
                    f'{{"role": "{role}", "plan": "free", "name": "{name}", '
                    f'"company": "{COMPANIES.get(d, "")}"}}'
                )
            else:
                traits.append(
                    f'{{"role": "{role}", "segment": "{SEGMENTS[role]}", '
                    f'"country": "{spec.countries[self.country[i]]}", '
                    f'"name": "{name}"}}'
                )
        emails += list(JUNK_EMAILS)
        self.fake_email_start = len(emails)
        emails += [f"unknown{g}@bounce.example" for g in gid.tolist()]
        self.emails = emails
        # identical traits of two people are one category; static traits follow
        distinct: dict[str, int] = {}
        self.trait_code = np.array(
            [distinct.setdefault(x, len(distinct)) for x in traits], dtype=np.int32
        )
        self.traits = list(distinct) + list(self.vocab.traits_static)
        self.static_trait_start = len(distinct)
        # aliases (previous id, new user id, time); previous ids are anon (kind 0) or user (1)
        sig = np.flatnonzero(self.signer)
        seg = sig[rng.random(len(sig)) < 0.3]
        rows = [
            np.stack(
                [
                    np.zeros(len(seg)),
                    self.s_slot[self.sig_idx[seg]],
                    self.user_code(seg, self.signup_t[seg]),
                    self.signup_t[seg],
                ]
            )
        ]
        mig = np.flatnonzero(np.isfinite(self.mig_b))
        two = mig[np.isfinite(self.mig_a[mig])]
        rows.append(np.stack([np.ones(len(mig)), mig * N_VER + 1, mig * N_VER, self.mig_b[mig]]))
        rows.append(
            np.stack([np.ones(len(two)), two * N_VER + 2, two * N_VER + 1, self.mig_a[two]])
        )
        al = np.concatenate(rows, axis=1)
        order = np.lexsort((al[1], al[0], al[3]))
        self.aliases = {
            "kind": al[0, order].astype(np.int8),
            "prev": al[1, order].astype(np.int32),
            "user": al[2, order].astype(np.int32),
            "t": al[3, order],
        }

    # ------------------------------------------------------------------ vocab helpers
    def _vocab_pick(self, table: tuple[tuple[str, float], ...], size: int) -> np.ndarray:
        codes = np.array([self.ec[e] for e, _ in table], dtype=np.int16)
        return codes[_choice(self.rng, np.array([w for _, w in table]), size)]

    def _rand_prop(self, event: str, size: int) -> np.ndarray:
        code = self.ec[event]
        start, count = self.vocab.prop_start[code], self.vocab.prop_count[code]
        return start + self.rng.integers(0, count, size)

    def _props(self, names: np.ndarray) -> np.ndarray:
        start = self.vocab.prop_start[names]
        count = self.vocab.prop_count[names].copy()
        # refund variants are never drawn at random
        for e in (self.spec.revenue_event,):
            count[names == self.ec[e]] -= 1
        return start + np.floor(self.rng.random(len(names)) * count).astype(np.int32)

    def _page_table(self) -> np.ndarray:
        """page code per (event, mobile): -2 = random marketing/app page by phase."""
        if self._ptab is not None:
            return self._ptab
        spec, pc = self.spec, self.vocab.page_code
        tab = np.full((len(self.vocab.events), 2), -1, dtype=np.int16)
        if self.saas:
            app = spec.app_url
            saas_web = {
                "page_viewed": -2,
                "signed_up": pc[spec.site_url + "/signup"],
                "email_verified": pc[app + "/home"],
                "connection_added": pc[app + "/connections"],
                "teammate_invited": pc[app + "/settings/team"],
                "workflow_started": pc[app + "/workflows/new"],
                "workflow_saved": pc[app + "/workflows/new"],
                "workflow_run": pc[app + "/runs"],
                "guide_viewed": pc[app + "/home"],
                "logged_in": pc[app + "/home"],
            }
            for e, c in saas_web.items():
                tab[self.ec[e], 0] = c
        else:
            mobile = {
                "app_opened": "Home",
                "home_screen_viewed": "Home",
                "offer_viewed": "Ofertas",
                "receipt_scanned": "Escanear",
                "coins_earned": "Escanear",
                "reward_redeemed": "Resgatar",
                "card_linked": "Cartões",
                "registered": "Perfil",
                "loyalty_enrolled": "Carteira",
                "purchase_completed": "Carteira",
            }
            site, app = spec.site_url, spec.app_url
            web = {
                "app_opened": site + "/",
                "home_screen_viewed": site + "/",
                "offer_viewed": app + "/ofertas",
                "receipt_scanned": app + "/carteira",
                "coins_earned": app + "/carteira",
                "reward_redeemed": app + "/resgatar",
                "card_linked": app + "/perfil",
                "registered": app + "/perfil",
                "loyalty_enrolled": app + "/carteira",
                "purchase_completed": app + "/carteira",
            }
            for e, screen in mobile.items():
                tab[self.ec[e], 1] = pc[screen]
                tab[self.ec[e], 0] = pc[web[e]]
        self._ptab = tab
        return tab

    def _page_for(self, event: str, mobile: np.ndarray) -> np.ndarray:
        tab = self._page_table()
        code = tab[self.ec[event], np.asarray(mobile).astype(np.int64)]
        post = len(self.spec.pages_pre) + self.rng.integers(0, len(self.spec.pages_post), len(code))
        return np.where(code == -2, post, code)

    def _pages(self, names: np.ndarray, mobile: np.ndarray, pre: np.ndarray) -> np.ndarray:
        tab = self._page_table()
        code = tab[names, mobile.astype(np.int64)]
        npre, npost = len(self.spec.pages_pre), len(self.spec.pages_post)
        r = self.rng.random(len(names))
        rand = np.where(pre, np.floor(r * npre), npre + np.floor(r * npost)).astype(np.int16)
        return np.where(code == -2, rand, code)

    # ------------------------------------------------------------------ truth
    def _truth_persons(self) -> dict[str, np.ndarray]:
        persons: dict[str, np.ndarray] = {
            "gid": self.gid,
            "channel": self.channel.astype(np.int16),
            "touch": self.touch0,
            "persona": self.persona,
            "arrived_t": self.t0_day * DAY,
            "signup_t": self.signup_t,
            "activated_t": self.act_t,
            "first_paid_t": self.first_paid_t,
            "churn_t": np.where(
                self.signer,
                self.s_day[np.maximum(self.sig_idx, 0)] + self.life_days,
                self.s_day[self.s_first + self.s_count - 1],
            )
            * DAY,
            "account": self.account,
            "inviter": np.where(self.inviter >= 0, self.inviter + self.gid0, -1),
            "is_signed_up": self.signer,
            "is_activated": self.activated,
            "intends_to_activate": self.intends,
            "is_invited": self.invited,
            "is_payer": self.payer & (np.isfinite(self.first_paid_t) | (not self.saas)),
            "is_churn_prone": self.churn_prone,
            "frailty": self.frailty,
            "n_devices": self.n_dev.astype(np.int16),
            "n_sessions": self.s_count,
            "currency": self.currency,
            "country": self.country.astype(np.int16),
            "story": self.story,
            "email_change_t": self.email_change_t,
            "n_user_ids": 1 + np.isfinite(self.mig_b) + np.isfinite(self.mig_a),
        }
        persons["plan"] = self.plan
        return persons


STORY_BITS = {
    "shared_device": 1,
    "shared_email": 2,
    "junk_email": 4,
    "two_emails": 8,
    "id_changed": 16,
    "three_devices": 32,
}
