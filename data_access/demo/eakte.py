"""Demo eAkte rollout: monthly snapshots per authority whose totals hit the published user figures exactly."""

from __future__ import annotations

import datetime as dt
import math
import random
from itertools import pairwise

from data_access.demo.catalogue import AUTHORITIES
from data_access.periods import month_end, months

FIRST_MONTH = (2021, 3)
LAST_MONTH = (2025, 3)  # Stand: 41 of 53 authorities, IT.N news March 2025

# Programme totals of active users at month ends; the starred ones are published figures and hit exactly.
USER_ANCHORS = {
    (2021, 3): 140,
    (2021, 12): 3100,
    (2022, 5): 5713,  # * 25.05.2022
    (2023, 6): 12600,
    (2024, 11): 20000,  # * Nov 2024
    (2025, 1): 21000,  # * Jan 2025
    (2025, 3): 21240,
}


def _total_users(ym: tuple[int, int]) -> int:
    """Programme total by linear interpolation between the anchors (monotone by construction)."""
    keys = sorted(USER_ANCHORS)
    idx = [k[0] * 12 + k[1] for k in keys]
    x = ym[0] * 12 + ym[1]
    for (k0, i0), (k1, i1) in pairwise(zip(keys, idx, strict=True)):
        if i0 <= x <= i1:
            v0, v1 = USER_ANCHORS[k0], USER_ANCHORS[k1]
            return round(v0 + (v1 - v0) * (x - i0) / (i1 - i0))
    raise ValueError(ym)


def _status(a: tuple, day: dt.date) -> str:
    _code, _name, _min, _planned, rollout, go_live, _plan = a
    if go_live and go_live <= day:
        return "produktiv"
    if rollout and rollout <= day:
        return "in Einführung"
    return "geplant"


def _wanted(a: tuple, day: dt.date, saturation: float, tau: float) -> float:
    """Users an authority would have on its own: pilot users while introducing, then a saturating ramp."""
    planned = a[3] or 0
    status = _status(a, day)
    if status == "geplant":
        return 0.0
    if status == "in Einführung":
        months_in = (day - a[4]).days / 30.4
        return planned * min(0.02 + 0.025 * months_in, 0.25)
    months_live = (day - a[5]).days / 30.4
    return planned * (0.15 + (saturation - 0.15) * (1 - math.exp(-months_live / tau)))


def _allocate(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """Split `total` into integers proportional to weights, each at most its cap (largest remainder)."""
    out = [0] * len(weights)
    remaining = total
    active = [i for i, w in enumerate(weights) if w > 0 and caps[i] > 0]
    while remaining > 0 and active:
        wsum = sum(weights[i] for i in active)
        shares = {i: remaining * weights[i] / wsum for i in active}
        floors = {i: min(int(shares[i]), caps[i] - out[i]) for i in active}
        for i, f in floors.items():
            out[i] += f
        given = sum(floors.values())
        left = remaining - given
        # Hand the rest out one by one, largest fractional part first.
        order = sorted(active, key=lambda i: (-(shares[i] - int(shares[i])), i))
        for i in order:
            if left == 0:
                break
            if out[i] < caps[i]:
                out[i] += 1
                left -= 1
        remaining = left
        active = [i for i in active if out[i] < caps[i]]
    if remaining:
        raise ValueError("eAkte-Beispieldaten: Nutzerzahl übersteigt die geplanten Arbeitsplätze")
    return out


def build(rng: random.Random, source: str) -> tuple[list[dict], list[dict]]:
    """Authority rows (without ids) and snapshot rows keyed by authority code (`_code`)."""
    authorities = [
        dict(
            code=a[0],
            name=a[1],
            ministry_code=a[2],
            in_eakte_scope=True,
            source=source,
            as_of=month_end(*LAST_MONTH),
            is_demo=True,
        )
        for a in AUTHORITIES
    ]
    params = [(rng.uniform(0.9, 0.98), rng.uniform(4.0, 10.0)) for _ in AUTHORITIES]
    prev = [0] * len(AUTHORITIES)
    snapshots = []
    for ym in months(FIRST_MONTH, LAST_MONTH):
        day = month_end(*ym)
        total = _total_users(ym)
        wanted = [_wanted(a, day, s, t) for a, (s, t) in zip(AUTHORITIES, params, strict=True)]
        scale = total / sum(wanted)
        # Only growth: each authority gets a share of the month's increase by its gap to its scaled target.
        gaps = [max(w * scale - p, 0.0) for w, p in zip(wanted, prev, strict=True)]
        if sum(gaps) == 0:
            gaps = wanted
        caps = [(a[3] or 0) - p if w > 0 else 0 for a, w, p in zip(AUTHORITIES, wanted, prev, strict=True)]
        add = _allocate(total - sum(prev), gaps, caps)
        prev = [p + d for p, d in zip(prev, add, strict=True)]
        for a, users in zip(AUTHORITIES, prev, strict=True):
            status = _status(a, day)
            snapshots.append(
                dict(
                    _code=a[0],
                    snapshot_date=day,
                    status=status,
                    planned_go_live=a[6],
                    go_live_date=a[5] if status == "produktiv" else None,
                    planned_workplaces=a[3],
                    active_users=users,
                    source=source,
                    as_of=day,
                    is_demo=True,
                )
            )
    return authorities, snapshots
