"""Writing simulated rows into DuckDB: the `raw` contract tables and the `truth` schema.

Numeric columns go in as numpy arrays. Text from small vocabularies goes in as pandas
Categoricals (DuckDB ENUMs, cast to VARCHAR). Ids (anonymous ids, user ids, account ids,
event ids) are formatted by DuckDB from integers with the temporary macros below, so no
Python string is built per event and every table spells an id the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from growthlens.simulate._campaigns import MESSAGE_TYPES, TRUTH_FIELDS, VARIANTS
from growthlens.simulate._const import DAY, N_EMAIL, N_SLOT, N_VER
from growthlens.simulate._dirt import DIRT, TS_NULL
from growthlens.simulate._engine import STORY_BITS, Chunk
from growthlens.simulate._spec import ScenarioSpec
from growthlens.simulate._vocab import BLOCKED_IDS, BLOCKED_USER_IDS, Vocab, mix64

__all__ = ["DDL", "FX_USD_PER_UNIT", "TABLES", "Writer"]

# must agree with seeds/fx_rates.csv (value of one unit in US dollars)
FX_USD_PER_UNIT = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "BRL": 0.18, "MXN": 0.055, "COP": 0.00025}

TABLES = (
    "raw.events",
    "raw.identifies",
    "raw.aliases",
    "raw.campaigns",
    "raw.campaign_messages",
    "raw.ad_spend",
    "truth.events",
    "truth.persons",
    "truth.anonymous_ids",
    "truth.user_ids",
    "truth.campaign_lift",
    "truth.channel_effect",
    "truth.simulation",
)

DDL = """
create schema raw;
create schema truth;
create table raw.events (
    event_id varchar, event_name varchar, event_ts timestamp, received_at timestamp,
    anonymous_id varchar, user_id varchar, account_id varchar, platform varchar,
    utm_source varchar, utm_medium varchar, utm_campaign varchar, utm_content varchar,
    utm_term varchar, referrer varchar, page_url varchar, revenue double, currency varchar,
    properties varchar
);
create table raw.identifies (
    identify_id varchar, ts timestamp, anonymous_id varchar, user_id varchar, email varchar,
    traits varchar
);
create table raw.aliases (previous_id varchar, user_id varchar, ts timestamp);
create table raw.campaigns (
    campaign_id varchar, campaign_name varchar, channel varchar, goal_event varchar,
    conversion_window_hours integer, started_at timestamp, ended_at timestamp
);
create table raw.campaign_messages (
    message_event_id varchar, campaign_id varchar, user_id varchar, email varchar,
    event_type varchar, is_control boolean, variant varchar, ts timestamp
);
create table raw.ad_spend (
    spend_date date, channel varchar, utm_source varchar, utm_medium varchar,
    utm_campaign varchar, spend double, currency varchar, impressions bigint, clicks bigint
);
create table truth.events (
    raw_row bigint, event_id varchar, true_person_id bigint, true_session_id bigint,
    true_event_name varchar, true_event_ts timestamp, dirt varchar
);
create table truth.anonymous_ids (
    anonymous_id varchar, true_person_id bigint, platform varchar, is_shared boolean
);
create table truth.user_ids (user_id varchar, true_person_id bigint, is_current boolean);
"""


def _sql_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


_UUID = (
    "printf('%08x-%04x-4%03x-%x%03x-%012x', ({h} >> 32) & 4294967295, "
    "({h} >> 16) & 65535, ({h} >> 4) & 4095, 8 | (({h2} >> 62) & 3), "
    "(({h} & 15) << 8) | (({h2} >> 52) & 255), {h2} & 281474976710655)"
)


def _macros(spec: ScenarioSpec) -> str:
    """Temporary macros that spell ids; they live in the connection, not in the file."""
    if spec.name == "saas":
        user = (
            "case v when 0 then printf('u_%06d', g + 1) "
            "when 1 then printf('legacy-%06d', g + 1) else 'tmp_' || (g + 1) end"
        )
        event = "'evt_' || printf('%016x', h)"
    else:
        num = "((g * 7919 + 1234567) % 90000000 + 10000000)"
        user = (
            f"case v when 0 then printf('%016x%08x', h, {num}) "
            f"when 1 then {num}::varchar else 'old_' || {num} end"
        )
        event = _UUID.format(h="h", h2="h2")
    # a version-4 uuid whose first 64 bits are the (unique) hash, the rest a second hash
    ios = "upper(" + _UUID.format(h="h", h2="h2") + ")"
    return f"""
create or replace temp macro gl_anon(k, h, h2, p) as case
    when k = 1 then (case p when 0 then 'anon-' || printf('%016x', h)
                            when 1 then {ios} else printf('%016x', h) end)
    when k >= 2 then {_sql_list(BLOCKED_IDS)}[k - 1]
end;
create or replace temp macro gl_user(k, g, v, h) as case
    when k = 1 then ({user})
    when k = 2 then 'deleted_' || g
    when k >= 3 then {_sql_list(BLOCKED_USER_IDS)}[k - 2]
end;
create or replace temp macro gl_account(a) as case when a >= 0 then
    'acc_' || printf('%010x', a) end;
create or replace temp macro gl_event_id(h, h2) as {event};
"""


def cat(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    """A Categorical from integer codes (-1 = null) over a list of distinct strings."""
    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int32), categories=pd.Index(categories, dtype=object)
    )


def take(codes: np.ndarray, values: np.ndarray) -> pd.Series:
    """Strings by code for small tables (-1 = null)."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.full(len(codes), None, dtype=object)
    ok = codes >= 0
    out[ok] = values[codes[ok]]
    return pd.Series(out, dtype=object)


def _ts(col: str) -> str:
    return f"make_timestamp(nullif({col}, {TS_NULL}))"


def _account_number(gid: np.ndarray) -> np.ndarray:
    """Account number of a founder: an odd multiplier mod 2^40 is a bijection (no clashes)."""
    g = np.asarray(gid, dtype=np.int64)
    with np.errstate(over="ignore"):
        x = (g.astype(np.uint64) * np.uint64(25214903917) + np.uint64(11)) & np.uint64(
            (1 << 40) - 1
        )
    return np.where(g >= 0, x.astype(np.int64), -1)


def _us(start_us: int, t: np.ndarray) -> np.ndarray:
    t = np.asarray(t, dtype=np.float64)
    ok = np.isfinite(t)
    return np.where(ok, start_us + np.round(np.where(ok, t, 0.0) * 1e6), TS_NULL).astype(np.int64)


class Writer:
    """Appends chunks to the tables of one DuckDB connection, then writes the summaries."""

    def __init__(
        self, con: Any, spec: ScenarioSpec, vocab: Vocab, start_us: int, days: int, salt: int
    ) -> None:
        self.con, self.spec, self.vocab = con, spec, vocab
        self.start_us, self.days, self.salt = start_us, days, salt
        self.rows = 0
        self.acq_touch = np.zeros((len(vocab.touches), days), dtype=np.int64)
        self.campaign_truth = np.zeros((len(spec.campaigns), len(TRUTH_FIELDS)))
        self.persons_created = False
        con.execute(DDL)
        con.execute(_macros(spec))

        def lst(values: list[str | None]) -> tuple[list[str], np.ndarray]:
            cats: list[str] = []
            for value in values:
                if value is not None and value not in cats:
                    cats.append(value)
            return cats, np.array(
                [cats.index(x) if x is not None else -1 for x in values], dtype=np.int32
            )

        t = vocab.touches
        self.utm = {
            "utm_source": lst([x.source for x in t]),
            "utm_medium": lst([x.medium for x in t]),
            "utm_campaign": lst([x.campaign for x in t]),
            "utm_content": lst([x.content for x in t]),
            "utm_term": lst([x.term for x in t]),
        }

    # -------------------------------------------------------------- id columns
    def _anon(self, c: Chunk, codes: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
        codes = np.asarray(codes, dtype=np.int64)
        real = (codes >= 0) & (codes < c.n * N_SLOT)
        rc = np.where(real, codes, 0)
        key = ((c.gid0 + rc // N_SLOT) * N_SLOT + rc % N_SLOT).astype(np.uint64)
        kind = np.where(real, 1, np.where(codes >= c.n * N_SLOT, codes - c.n * N_SLOT + 2, 0))
        h = mix64(key, self.salt ^ 0xA11CE)
        return {
            f"{prefix}_k": kind.astype(np.int8),
            f"{prefix}_h": h.view(np.int64),
            f"{prefix}_h2": mix64(h, 0x2).view(np.int64),
            f"{prefix}_p": c.slot_platform[rc].astype(np.int8),
        }

    def _user(self, c: Chunk, codes: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
        codes = np.asarray(codes, dtype=np.int64)
        nreal = c.n * N_VER
        nblock = len(BLOCKED_USER_IDS)
        real = (codes >= 0) & (codes < nreal)
        blocked = (codes >= nreal) & (codes < nreal + nblock)
        fake = codes >= nreal + nblock
        local = np.where(real, codes // N_VER, np.where(fake, codes - nreal - nblock, 0))
        gid = c.gid0 + local
        kind = np.select([real, fake, blocked], [1, 2, codes - nreal + 3], 0)
        return {
            f"{prefix}_k": kind.astype(np.int8),
            f"{prefix}_g": gid.astype(np.int64),
            f"{prefix}_v": np.where(real, codes % N_VER, 0).astype(np.int8),
            f"{prefix}_h": mix64(gid.astype(np.uint64), self.salt ^ 0x51A7).view(np.int64),
        }

    @staticmethod
    def _anon_sql(prefix: str) -> str:
        return f"gl_anon({prefix}_k, {prefix}_h, {prefix}_h2, {prefix}_p)"

    @staticmethod
    def _user_sql(prefix: str) -> str:
        return f"gl_user({prefix}_k, {prefix}_g, {prefix}_v, {prefix}_h)"

    def _insert(self, table: str, frame: pd.DataFrame, select_sql: str) -> None:
        if len(frame) == 0:
            return
        self.con.register("frame", frame)
        try:
            self.con.execute(f"insert into {table} {select_sql}")
        finally:
            self.con.unregister("frame")

    def _create(self, table: str, frame: pd.DataFrame, select_sql: str) -> None:
        self.con.register("frame", frame)
        try:
            self.con.execute(f"create table {table} as {select_sql}")
        finally:
            self.con.unregister("frame")

    # -------------------------------------------------------------- per chunk
    def write_chunk(self, c: Chunk, chunk_index: int) -> None:
        """Append everything of one chunk."""
        ev, v = c.events, self.vocab
        m = len(ev["eid"])
        touch = ev["touch"].astype(np.int64)
        account = ev["account"].astype(np.int64)
        eid2 = mix64(ev["eid"].view(np.uint64), 0xE1D2).view(np.int64)
        frame = pd.DataFrame(
            {
                "eid": ev["eid"],
                "eid2": eid2,
                "eid_kind": ev["eid_kind"],
                "event_name": cat(ev["name"], v.name_variants),
                "ts": ev["ts"],
                "recv": ev["recv"],
                **self._anon(c, ev["anon"], "a"),
                **self._user(c, ev["user"], "u"),
                "acc": _account_number(np.where(account >= 0, c.gid0 + account, -1)),
                "platform": cat(ev["platform"], v.platforms),
                **{
                    k: cat(np.where(touch >= 0, codes[np.maximum(touch, 0)], -1), cats)
                    for k, (cats, codes) in self.utm.items()
                },
                "referrer": cat(ev["ref"], v.referrers),
                "page_url": cat(ev["page"], v.pages),
                "revenue": ev["revenue"],
                "currency": cat(ev["currency"], v.currencies),
                "properties": cat(ev["prop"], v.props),
            }
        )
        eid = "case eid_kind when 0 then gl_event_id(eid, eid2) when 2 then '' end"
        self._insert(
            "raw.events",
            frame,
            f"""
            select {eid}, event_name::varchar, {_ts("ts")}, make_timestamp(recv),
                {self._anon_sql("a")}, {self._user_sql("u")}, gl_account(acc),
                platform::varchar, utm_source::varchar, utm_medium::varchar,
                utm_campaign::varchar, utm_content::varchar, utm_term::varchar,
                referrer::varchar, page_url::varchar, revenue, currency::varchar,
                properties::varchar
            from frame""",
        )
        del frame
        frame = pd.DataFrame(
            {
                "raw_row": np.arange(self.rows, self.rows + m, dtype=np.int64),
                "eid": ev["eid"],
                "eid2": eid2,
                "eid_kind": ev["eid_kind"],
                "t_person": ev["t_person"],
                "t_session": ev["t_session"],
                "t_name": cat(ev["t_name"], list(v.events)),
                "t_ts": ev["t_ts"],
                "dirt": cat(ev["dirt"], list(DIRT)),
            }
        )
        self._insert(
            "truth.events",
            frame,
            f"""
            select raw_row, {eid}, t_person, nullif(t_session, -1), t_name::varchar,
                make_timestamp(t_ts), dirt::varchar
            from frame""",
        )
        self.rows += m
        del frame
        emails = np.array(c.emails, dtype=object)
        self._identifies(c, chunk_index, emails)
        self._aliases(c)
        self._messages(c, chunk_index, emails)
        self._persons(c, emails)
        self._id_truth(c)
        touch0 = np.asarray(c.persons["touch"], dtype=np.int64)
        day = np.minimum(
            np.floor(np.asarray(c.persons["arrived_t"]) / DAY).astype(np.int64), self.days - 1
        )
        np.add.at(self.acq_touch, (touch0, day), 1)
        self.campaign_truth += c.campaign_truth

    def _identifies(self, c: Chunk, chunk_index: int, emails: np.ndarray) -> None:
        idf = c.identifies
        order = np.lexsort((idf["person"], idf["t"]))
        key = (np.uint64(chunk_index) << np.uint64(40)) + np.arange(len(order), dtype=np.uint64)
        frame = pd.DataFrame(
            {
                "hid": mix64(key, self.salt ^ 0x1D1D).view(np.int64),
                "ts": _us(self.start_us, idf["t"][order]),
                **self._anon(c, idf["slot"][order], "a"),
                **self._user(c, idf["user"][order], "u"),
                "email": take(idf["email"][order], emails),
                "traits": take(idf["traits"][order], np.array(c.traits, dtype=object)),
            }
        )
        self._insert(
            "raw.identifies",
            frame,
            f"""
            select 'idf_' || printf('%016x', hid), make_timestamp(ts), {self._anon_sql("a")},
                {self._user_sql("u")}, email::varchar, traits::varchar
            from frame""",
        )

    def _aliases(self, c: Chunk) -> None:
        al = c.aliases
        prev = al["prev"]
        is_user = al["kind"] == 1
        frame = pd.DataFrame(
            {
                "is_user": is_user,
                **self._anon(c, np.where(is_user, -1, prev), "a"),
                **self._user(c, np.where(is_user, prev, -1), "p"),
                **self._user(c, al["user"], "u"),
                "ts": _us(self.start_us, al["t"]),
            }
        )
        self._insert(
            "raw.aliases",
            frame,
            f"""
            select case when is_user then {self._user_sql("p")} else {self._anon_sql("a")} end,
                {self._user_sql("u")}, make_timestamp(ts)
            from frame""",
        )

    def _messages(self, c: Chunk, chunk_index: int, emails: np.ndarray) -> None:
        msg = c.messages
        order = np.lexsort((msg["type"], msg["person"], msg["t"]))
        key = (np.uint64(chunk_index) << np.uint64(40)) + np.arange(len(order), dtype=np.uint64)
        frame = pd.DataFrame(
            {
                "hid": mix64(key, self.salt ^ 0x3E55).view(np.int64),
                "campaign_id": cat(
                    msg["campaign"][order], [x.campaign_id for x in self.spec.campaigns]
                ),
                **self._user(c, msg["user"][order], "u"),
                "email": take(msg["email"][order], emails),
                "event_type": cat(msg["type"][order], list(MESSAGE_TYPES)),
                "is_control": msg["is_control"][order],
                "variant": cat(msg["variant"][order], list(VARIANTS)),
                "ts": _us(self.start_us, msg["t"][order]),
            }
        )
        self._insert(
            "raw.campaign_messages",
            frame,
            f"""
            select 'msg_' || printf('%016x', hid), campaign_id::varchar,
                {self._user_sql("u")}, email::varchar, event_type::varchar, is_control,
                variant::varchar, make_timestamp(ts)
            from frame""",
        )

    def _persons(self, c: Chunk, emails: np.ndarray) -> None:
        p, spec, v = c.persons, self.spec, self.vocab
        n = c.n
        local = np.arange(n)
        story = np.asarray(p["story"])
        names = list(STORY_BITS)
        story_txt = [
            ",".join(x for x in names if s & STORY_BITS[x]) or None for s in story.tolist()
        ]
        touch = np.asarray(p["touch"], dtype=np.int64)
        signed = np.asarray(p["is_signed_up"])
        two = (story & STORY_BITS["two_emails"]) > 0
        account = np.asarray(p["account"], dtype=np.int64)
        frame = pd.DataFrame(
            {
                "true_person_id": np.asarray(p["gid"]),
                "acquisition_channel": cat(p["channel"], [ch.name for ch in spec.channels]),
                **{
                    f"acquisition_{k[4:]}": cat(
                        np.where(touch >= 0, codes[np.maximum(touch, 0)], -1), cats
                    )
                    for k, (cats, codes) in self.utm.items()
                    if k != "utm_term"
                },
                "acquisition_referrer": cat(v.touch_referrer[touch], v.referrers),
                "persona": cat(p["persona"], [x.name for x in spec.personas]),
                "country": cat(p["country"], list(spec.countries)),
                "currency": cat(p["currency"], [x[0] for x in spec.currencies]),
                "acc": _account_number(np.where(account >= 0, c.gid0 + account, -1)),
                **self._user(c, np.where(signed, local * N_VER, -1), "u"),
                "n_user_ids": np.where(signed, np.asarray(p["n_user_ids"]), 0),
                "email": take(local * N_EMAIL, emails),
                "email_2": take(np.where(two, local * N_EMAIL + 2, -1), emails),
                "story": pd.Series(story_txt, dtype=object),
                **{
                    k: _us(self.start_us, np.asarray(p[src]))
                    for k, src in (
                        ("arrived_at", "arrived_t"),
                        ("signup_at", "signup_t"),
                        ("activated_at", "activated_t"),
                        ("first_paid_at", "first_paid_t"),
                        ("churn_at", "churn_t"),
                        ("email_changed_at", "email_change_t"),
                    )
                },
                **{
                    k: np.asarray(p[k])
                    for k in (
                        "inviter",
                        "is_signed_up",
                        "is_activated",
                        "intends_to_activate",
                        "is_invited",
                        "is_payer",
                        "is_churn_prone",
                        "frailty",
                        "n_devices",
                        "n_sessions",
                    )
                },
            }
        )
        sel = f"""
            select true_person_id,
                acquisition_channel::varchar as acquisition_channel,
                acquisition_source::varchar as acquisition_source,
                acquisition_medium::varchar as acquisition_medium,
                acquisition_campaign::varchar as acquisition_campaign,
                acquisition_content::varchar as acquisition_content,
                acquisition_referrer::varchar as acquisition_referrer,
                persona::varchar as persona, country::varchar as country,
                currency::varchar as currency, gl_account(acc) as account_id,
                {self._user_sql("u")} as user_id, n_user_ids::integer as n_user_ids,
                email::varchar as email, email_2::varchar as email_2,
                story::varchar as story,
                {_ts("arrived_at")} as arrived_at, {_ts("signup_at")} as signup_at,
                {_ts("activated_at")} as activated_at,
                {_ts("first_paid_at")} as first_paid_at, {_ts("churn_at")} as churn_at,
                {_ts("email_changed_at")} as email_changed_at,
                nullif(inviter, -1) as inviter_person_id, is_signed_up, is_activated,
                intends_to_activate, is_invited, is_payer, is_churn_prone,
                frailty::double as frailty, n_devices::integer as n_devices,
                n_sessions::integer as n_sessions
            from frame"""
        if self.persons_created:
            self._insert("truth.persons", frame, sel)
        else:
            self._create("truth.persons", frame, sel)
            self.persons_created = True

    def _id_truth(self, c: Chunk) -> None:
        ev, n = c.events, c.n
        a = ev["anon"].astype(np.int64)
        real = (a >= 0) & (a < n * N_SLOT)
        key = np.unique(a[real] * n + (ev["t_person"][real] - c.gid0))
        slot, person = key // n, key % n
        owners = np.bincount(slot, minlength=n * N_SLOT)
        frame = pd.DataFrame(
            {
                **self._anon(c, slot, "a"),
                "true_person_id": person + c.gid0,
                "platform": cat(c.slot_platform[slot], self.vocab.platforms),
                "is_shared": owners[slot] > 1,
            }
        )
        self._insert(
            "truth.anonymous_ids",
            frame,
            f"""
            select {self._anon_sql("a")}, true_person_id, platform::varchar, is_shared
            from frame""",
        )
        signed = np.asarray(c.persons["is_signed_up"])
        cnt = np.where(signed, np.asarray(c.persons["n_user_ids"]), 0).astype(np.int64)
        who = np.repeat(np.arange(n), cnt)
        back = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        frame = pd.DataFrame(
            {
                **self._user(c, who * N_VER + back, "u"),
                "true_person_id": who + c.gid0,
                "is_current": back == 0,
            }
        )
        self._insert(
            "truth.user_ids",
            frame,
            f"""
            select {self._user_sql("u")}, true_person_id, is_current from frame""",
        )

    # -------------------------------------------------------------- at the end
    def finish(self, rng: np.random.Generator, seed: int, persons: int, start: str) -> None:
        """Campaign definitions, ad spend and the summary truth tables."""
        self._campaigns()
        self._campaign_truth()
        spend_usd = self._ad_spend(rng)
        self._channel_truth(spend_usd)
        spec = self.spec
        meta = pd.DataFrame(
            {
                "scenario": [spec.name],
                "seed": [seed],
                "persons": [persons],
                "days": [self.days],
                "start_date": [start],
                "site_domains": [",".join(spec.site_domains)],
                "signup_event": [spec.signup_event],
                "activation_event": [spec.activation_event],
                "passive_events": [",".join(spec.passive_events)],
                "revenue_event": [spec.revenue_event],
            }
        )
        self._create(
            "truth.simulation",
            meta,
            """
            select scenario::varchar as scenario, seed::bigint as seed,
                persons::bigint as persons, days::integer as days,
                start_date::date as start_date, site_domains::varchar as site_domains,
                signup_event::varchar as signup_event,
                activation_event::varchar as activation_event,
                passive_events::varchar as passive_events,
                revenue_event::varchar as revenue_event
            from frame""",
        )

    def _campaigns(self) -> None:
        day_us = 86_400_000_000
        rows = []
        last = len(self.spec.campaigns) - 1
        for i, c in enumerate(self.spec.campaigns):
            started = self.start_us + int(c.start_frac * self.days * day_us)
            ended = self.start_us + int(c.end_frac * self.days * day_us)
            rows.append(
                (
                    c.campaign_id,
                    c.name,
                    c.channel,
                    c.goal_event,
                    c.window_hours if c.window_hours is not None else -1,
                    started,
                    ended if i != last else TS_NULL,
                )
            )  # the last one is still running
        frame = pd.DataFrame(
            rows, columns=["campaign_id", "campaign_name", "channel", "goal_event", "w", "s", "e"]
        )
        self._insert(
            "raw.campaigns",
            frame,
            f"""
            select campaign_id, campaign_name, channel, goal_event,
                nullif(w, -1)::integer, make_timestamp(s), {_ts("e")}
            from frame""",
        )

    def _campaign_truth(self) -> None:
        t = self.campaign_truth
        f = {k: t[:, i] for i, k in enumerate(TRUTH_FIELDS)}
        cs = self.spec.campaigns
        frame = pd.DataFrame(
            {
                "campaign_id": [c.campaign_id for c in cs],
                "channel": [c.channel for c in cs],
                "goal_event": [c.goal_event for c in cs],
                "window_hours": [c.window_hours or 72 for c in cs],
                "uplift_probability": [c.uplift for c in cs],
                "holdout_share": [c.holdout for c in cs],
                **{
                    k: f[k].astype(np.int64)
                    for k in (
                        "n_assigned",
                        "n_treatment",
                        "n_control",
                        "n_contaminated",
                        "n_clicked",
                    )
                },
                **{
                    k: f[k]
                    for k in (
                        "sum_y0",
                        "sum_y1",
                        "sum_y0_treatment",
                        "sum_y1_treatment",
                        "sum_y0_control",
                        "sum_y1_control",
                    )
                },
            }
        )
        self._create(
            "truth.campaign_lift",
            frame,
            """
            select campaign_id::varchar as campaign_id, channel::varchar as channel,
                goal_event::varchar as goal_event, window_hours::integer as window_hours,
                uplift_probability, holdout_share, n_assigned, n_treatment, n_control,
                n_contaminated, n_clicked,
                sum_y0 / nullif(n_assigned, 0) as base_rate,
                sum_y1 / nullif(n_assigned, 0) as rate_if_all_treated,
                (sum_y1 - sum_y0) / nullif(n_assigned, 0) as true_absolute_lift,
                (sum_y1 - sum_y0) / nullif(sum_y0, 0) as true_relative_lift,
                (sum_y1_treatment - sum_y0_treatment) / nullif(n_treatment, 0) as att,
                sum_y1_treatment / nullif(n_treatment, 0) as true_rate_treatment,
                sum_y0_control / nullif(n_control, 0) as true_rate_control
            from frame""",
        )

    def _ad_spend(self, rng: np.random.Generator) -> np.ndarray:
        """Daily spend per paid touch (influencers paid weekly), driven by the true CPA."""
        spec, v = self.spec, self.vocab
        rows: list[tuple[Any, ...]] = []
        spend_usd = np.zeros(len(spec.channels))
        for i, ch in enumerate(spec.channels):
            if ch.cpa_usd <= 0:
                continue
            for j, tch in enumerate(ch.touches):
                acq = self.acq_touch[v.touch_code[f"channel:{i}:{j}"]].astype(np.float64)
                usd = acq * ch.cpa_usd * rng.lognormal(0.0, 0.12, self.days)
                weekly = ch.name == "influencer"  # creators are paid per week
                if weekly:
                    usd = np.bincount(np.arange(self.days) // 7, weights=usd)
                    days = np.arange(len(usd)) * 7
                else:
                    days = np.arange(self.days)
                spend_usd[i] += usd.sum()
                src = (tch.source or "").lower()
                # some rows name only source/medium: the channel comes from the rules
                label = "utm" if src in ("bing", "tiktok") else ("both" if j == 0 else "channel")
                cur = (
                    "BRL"
                    if spec.name == "loyalty" and src in ("facebook", "instagram")
                    else (None if src == "linkedin" else "USD")
                )
                rate = FX_USD_PER_UNIT[cur or "USD"]
                for d, amount in zip(days.tolist(), usd.tolist(), strict=True):
                    if amount <= 0:
                        continue
                    imp = (
                        None
                        if weekly
                        else int(amount / ch.cpm_usd * 1000 * float(rng.lognormal(0, 0.1)))
                    )
                    clicks = (
                        None if imp is None else int(imp * ch.ctr * float(rng.lognormal(0, 0.15)))
                    )
                    rows.append(
                        (
                            int(d),
                            ch.name if label != "utm" else None,
                            tch.source if label != "channel" else None,
                            tch.medium if label != "channel" else None,
                            tch.campaign,
                            round(amount / rate, 2),
                            cur,
                            imp,
                            clicks,
                        )
                    )
        frame = pd.DataFrame(
            rows,
            columns=[
                "d",
                "channel",
                "utm_source",
                "utm_medium",
                "utm_campaign",
                "spend",
                "currency",
                "impressions",
                "clicks",
            ],
        )
        if len(frame):
            frame["impressions"] = frame["impressions"].astype("Int64")
            frame["clicks"] = frame["clicks"].astype("Int64")
            start = dt.date(1970, 1, 1) + dt.timedelta(microseconds=self.start_us)
            self._insert(
                "raw.ad_spend",
                frame,
                f"""
                select (date '{start.isoformat()}' + d::integer)::date, channel::varchar,
                    utm_source::varchar, utm_medium::varchar, utm_campaign::varchar,
                    spend::double, currency::varchar, impressions::bigint, clicks::bigint
                from frame
                order by d, channel nulls last, utm_source nulls last, utm_campaign""",
            )
        return spend_usd

    def _channel_truth(self, spend_usd: np.ndarray) -> None:
        chs = self.spec.channels
        frame = pd.DataFrame(
            {
                "channel": [c.name for c in chs],
                "share": [c.share for c in chs],
                "cost_per_acquisition": [c.cpa_usd for c in chs],
                "signup_multiplier": [c.signup_mult for c in chs],
                "activation_multiplier": [c.activation_mult for c in chs],
                "retention_multiplier": [c.retention_mult for c in chs],
                "revenue_multiplier": [c.revenue_mult for c in chs],
                "spend_usd": spend_usd,
            }
        )
        self._create(
            "truth.channel_effect",
            frame,
            """
            with people as (
                select acquisition_channel as channel, count(*) as persons,
                    avg(is_signed_up::int) as signup_rate,
                    avg(case when is_signed_up then is_activated::int end) as activation_rate,
                    avg(case when is_signed_up
                        then date_diff('second', signup_at, churn_at) / 86400.0 end)
                        as mean_life_days_after_signup
                from truth.persons
                group by 1
            )
            select f.channel::varchar as channel, f.share, f.cost_per_acquisition,
                f.signup_multiplier, f.activation_multiplier, f.retention_multiplier,
                f.revenue_multiplier, coalesce(p.persons, 0) as persons, f.spend_usd,
                case when coalesce(p.persons, 0) > 0 and f.spend_usd > 0
                    then f.spend_usd / p.persons end as realized_cpa,
                p.signup_rate, p.activation_rate, p.mean_life_days_after_signup
            from frame as f
            left join people as p on p.channel = f.channel
            order by f.channel""",
        )
