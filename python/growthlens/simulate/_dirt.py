"""From clean behaviour to what a tracking pipeline really delivers.

Adds ids, spelling of event names per SDK, arrival delays, and the everyday dirt: retried
duplicates (some with slightly different content), late and clock-skewed rows, ancient
timestamps, blocked placeholder ids, rows without identifiers, missing fields, malformed
JSON, unknown currencies. Each raw row keeps its true person and a `dirt` label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from growthlens.simulate._const import ANDROID, IOS, SERVER, WEB
from growthlens.simulate._vocab import BLOCKED_IDS, BLOCKED_USER_IDS, N_STYLES, mix64

if TYPE_CHECKING:
    from growthlens.simulate._engine import _Builder

__all__ = ["DIRT", "TS_NULL", "finalise_events"]

DIRT = (
    "clean",
    "duplicate",
    "duplicate_changed",
    "event_ts_in_future",
    "event_ts_too_old",
    "blocked_anonymous_id",
    "blocked_user_id",
    "no_identifier",
    "missing_event_id",
    "blank_event_id",
    "missing_event_name",
    "missing_event_ts",
    "malformed_json",
    "unknown_currency",
)
D = {name: i for i, name in enumerate(DIRT)}
TS_NULL = np.iinfo(np.int64).min

# spelling of event names by SDK: (snake, Title, UPPER-DASH, spaced) probabilities
_STYLE_P = {
    WEB: (0.93, 0.05, 0.005, 0.015),
    IOS: (0.15, 0.85, 0.0, 0.0),
    ANDROID: (0.90, 0.0, 0.10, 0.0),
    SERVER: (0.0, 1.0, 0.0, 0.0),
}


def _pick(rng: np.random.Generator, n: int, share: float, minimum: int = 2) -> np.ndarray:
    """Indices of about `share` of n rows (at least `minimum` when n allows), sorted."""
    k = min(n, max(minimum, int(round(n * share))))
    if k == 0:
        return np.zeros(0, np.int64)
    if 20 * k > n:
        return np.sort(rng.choice(n, size=k, replace=False))
    # few out of many: draw with replacement, keep first occurrences (no O(n) permutation)
    draw = rng.integers(0, n, size=k + k // 4 + 8)
    _, first = np.unique(draw, return_index=True)
    kept = draw[np.sort(first)]
    while len(kept) < k:  # practically never: too many repeats
        extra = rng.integers(0, n, size=k)
        kept = np.concatenate([kept, extra[~np.isin(extra, kept)]])
        _, first = np.unique(kept, return_index=True)
        kept = kept[np.sort(first)]
    return np.sort(kept[:k])


def finalise_events(b: _Builder, ev: dict[str, np.ndarray], start_us: int) -> dict[str, np.ndarray]:
    """Turn clean event columns into raw rows (codes), sorted by arrival."""
    rng = b.rng
    n = len(ev["t"])
    person = ev["person"].astype(np.int64)
    t = ev["t"]
    plat = ev["platform"].astype(np.int64)

    # event name spelling by platform
    style = np.zeros(n, dtype=np.int64)
    r = rng.random(n)
    for pl, probs in _STYLE_P.items():
        m = plat == pl
        style[m] = np.searchsorted(np.cumsum(probs), r[m], side="right")
    style = np.minimum(style, N_STYLES - 1)
    name = (ev["name"].astype(np.int64) * N_STYLES + style).astype(np.int32)

    user = np.where(ev["uid"], b.user_code(person, t), -1).astype(np.int32)
    account = np.where(ev["uid"] & (b.account[person] >= 0), b.account[person], -1).astype(np.int32)
    anon = ev["slot"].astype(np.int32)

    # arrival: seconds normally, hours or days for phones that were offline
    delay = 0.5 + rng.exponential(3.0, n)
    mobile = (plat == IOS) | (plat == ANDROID)
    late = rng.random(n)
    delay = np.where(mobile & (late < 0.06), delay + rng.exponential(3 * 3600.0, n), delay)
    delay = np.where(mobile & (late < 0.01), delay + rng.exponential(2 * 86400.0, n), delay)
    # backend events partly come from a nightly batch; browsers rarely retry beacons late
    delay = np.where((plat == SERVER) & (late < 0.2), delay + rng.exponential(6 * 3600.0, n), delay)
    delay = np.where((plat == WEB) & (late < 0.005), delay + rng.exponential(2 * 3600.0, n), delay)
    ts_us = start_us + np.round(t * 1e6).astype(np.int64)
    recv_us = ts_us + np.round(delay * 1e6).astype(np.int64)
    true_ts = ts_us.copy()
    dirt = np.zeros(n, dtype=np.int8)
    prop = ev["prop"].astype(np.int32)
    currency = ev["currency"].astype(np.int8)
    eid_kind = np.zeros(n, dtype=np.int8)  # 0 id, 1 null, 2 blank

    # placeholder ids from buggy trackers
    has_anon = np.flatnonzero(anon >= 0)
    i = has_anon[_pick(rng, len(has_anon), 0.003)]
    anon[i] = b.blocked_anon_start + rng.integers(0, len(BLOCKED_IDS), len(i))
    dirt[i] = np.where(user[i] >= 0, D["blocked_anonymous_id"], D["no_identifier"])
    has_user = np.flatnonzero((user >= 0) & (dirt == 0))
    i = has_user[_pick(rng, len(has_user), 0.0005)]
    user[i] = b.blocked_user_start + rng.integers(0, len(BLOCKED_USER_IDS), len(i))
    dirt[i] = np.where(anon[i] >= 0, D["blocked_user_id"], D["no_identifier"])
    clean = np.flatnonzero(dirt == 0)
    i = clean[_pick(rng, len(clean), 0.0005)]
    anon[i], user[i], account[i] = -1, -1, -1
    dirt[i] = D["no_identifier"]
    # missing fields
    clean = np.flatnonzero(dirt == 0)
    sizes = [max(2, int(n * s)) for s in (0.0002, 0.0001, 0.0002, 0.0002, 0.0003, 0.0001, 0.002)]
    pick = clean[_pick(rng, len(clean), 0.0, minimum=sum(sizes))]
    pick = pick[rng.permutation(len(pick))]
    cuts = np.cumsum(sizes)
    parts = np.split(pick[: cuts[-1]], cuts[:-1])
    i = parts[0]
    eid_kind[i], dirt[i] = 1, D["missing_event_id"]
    i = parts[1]
    eid_kind[i], dirt[i] = 2, D["blank_event_id"]
    i = parts[2]
    name[i], dirt[i] = -1, D["missing_event_name"]
    i = parts[3]
    ts_us[i], dirt[i] = TS_NULL, D["missing_event_ts"]
    i = parts[4]  # clocks set days or weeks ahead of the time the row arrived
    ts_us[i] = recv_us[i] + np.round((2.5 + rng.exponential(10.0, len(i))) * 86400e6).astype(
        np.int64
    )
    dirt[i] = D["event_ts_in_future"]
    i = parts[5]  # dead clock batteries / defaulted dates
    old = np.array([5_000_000, 946684799_000000, -2208988800_000000], dtype=np.int64)
    ts_us[i] = old[rng.integers(0, 3, len(i))] - rng.integers(0, 5_000_000, len(i))
    dirt[i] = D["event_ts_too_old"]
    i = parts[6]
    prop[i] = b.vocab.malformed_start + rng.integers(
        0, len(b.vocab.props) - b.vocab.malformed_start, len(i)
    )
    dirt[i] = D["malformed_json"]
    paid = np.flatnonzero((currency >= 0) & (dirt == 0))
    i = paid[_pick(rng, len(paid), 0.01)]
    currency[i] = len(b.spec.currencies) + np.arange(len(i)) % 2  # XXX, BTC
    dirt[i] = D["unknown_currency"]

    # event ids: a bijective hash of (chunk, row) never collides
    key = (np.uint64(b.chunk_index) << np.uint64(40)) + np.arange(n, dtype=np.uint64)
    eid = mix64(key, b.salt ^ 0xE7E7).view(np.int64)

    cols: dict[str, np.ndarray] = {
        "eid": eid,
        "eid_kind": eid_kind,
        "name": name,
        "ts": ts_us,
        "recv": recv_us,
        "anon": anon,
        "user": user,
        "account": account,
        "platform": plat.astype(np.int8),
        "touch": ev["touch"],
        "ref": ev["ref"],
        "page": ev["page"],
        "revenue": ev["revenue"],
        "currency": currency,
        "prop": prop,
        "t_person": b.gid[person],
        "t_session": ev["session"],
        "t_name": ev["name"],
        "t_ts": true_ts,
        "dirt": dirt,
    }
    # retries: the same row again, later; a tenth of them with slightly different content
    dup = _pick(rng, n, 0.01)
    dup = dup[eid_kind[dup] == 0]
    src = np.concatenate([np.arange(n), dup])
    recv = np.concatenate(
        [
            recv_us,
            recv_us[dup]
            + np.round((1.0 + rng.exponential(600.0, len(dup))) * 1e6).astype(np.int64),
        ]
    )
    changed = rng.random(len(dup)) < 0.1
    tn = ev["name"][dup].astype(np.int64)
    start, count = b.vocab.prop_start[tn], b.vocab.prop_count[tn]
    p_dup = prop[dup]
    p_dup = np.where(
        changed & (p_dup >= 0), start + (p_dup - start + 1) % np.maximum(count, 1), p_dup
    ).astype(np.int32)
    d_dup = np.where(changed, D["duplicate_changed"], D["duplicate"]).astype(np.int8)
    order = np.argsort(recv, kind="stable")  # arrival order; ties keep row order
    take = src[order]
    out = {k: v[take] for k, v in cols.items() if k not in ("recv", "prop", "dirt")}
    out["recv"] = recv[order]
    out["prop"] = np.concatenate([prop, p_dup])[order]
    out["dirt"] = np.concatenate([dirt, d_dup])[order]
    return out
