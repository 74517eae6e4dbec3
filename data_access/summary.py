"""The availability summary: who offers what to whom and when, precomputed from the offers (issue 16).

The expensive part of the availability rule (DOMAIN.md, Zuständigkeit) is the per-VWG union of what the Land, the
Kreis and the VWG offer, over Stichtage. It depends only on the offer rows and the region hierarchy, so it is
materialised here as validity periods, in the transaction of every write to them:

- reach_area (Kreis, service, status group, valid_from, valid_to): periods in which the Kreis or the Land offers the
  service, i.e. every VWG of the Kreis has it (45 Kreise × the catalogue at most, instead of 430 VWGs × it);
- reach_vwg (VWG, Kreis, service, status group, valid_from, valid_to): periods in which the VWG offers it itself
  and neither its Kreis nor the Land does.

A VWG's residents can use reach_area(its Kreis) + reach_vwg(the VWG) on a day: two disjoint sets, so counts add up
and "flächendeckend" per Kreis is "in reach_area, or in reach_vwg of every inhabited VWG". The status group is the
`status` of services.availability: "live" (live) or "geplant" (geplant or in Umsetzung). Periods are merged
(overlapping or touching periods of one key become one row), so at most one row per key is in force on any day.

Why periods and not counts per unit and Stichtag: the Stichtag is free (any day, quarter ends of the history), and
the filters (Themenfeld, Modell, Fokus, Reifegrad) and the counting rules that read the catalogue or the units
(online threshold from the environment, own-catalogue flags, uninhabited gemeindefreie Gebiete, kreisfreie Städte)
stay a cheap join at query time, exactly as before; nothing else is stored, so nothing else can go stale. Population,
service attributes and unit categories are therefore no input of the summary: imports that change only those need no
refresh. The summary needs a refresh when offers or the region hierarchy change: demo seed and removal, the offer
import, geo build (see `refresh`, called there).

The periods are computed in Python from one read of the offer table (SQLAlchemy Core, bound parameters, the same
code on SQLite and PostgreSQL) and written back with Core executemany in the caller's transaction: merging and
subtracting sorted periods is a few lines here, while the same sweep as window functions in SQL took 70 s instead of
a few seconds at scale 10 on SQLite. Reads go through services.availability and queries.steckbrief, which join these
tables with the filtered catalogue and the units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import Connection, case, delete, select
from sqlalchemy.orm import Session, aliased

from data_access.db import take_import_lock
from data_access.models import AreaReach, Offer, Region, VwgReach
from data_access.queries.regions import kreis_of
from data_access.units import Level

STATUS_GROUPS = {"live": ("live",), "geplant": ("geplant", "in Umsetzung")}
LOCK = "verfuegbarkeit"  # import_lock row: refreshes queue up, also those of different import kinds


def refresh(session: Session) -> None:
    """Rebuild the summary inside the caller's write transaction (after its writes, before it commits).

    Takes the summary's lock first, so two writers (say an offer import and a demo removal on PostgreSQL) rebuild one
    after the other, each from the data committed before it plus its own writes. Callers take their own locks
    before this one, never after, so the order is the same everywhere (no deadlock).
    """
    take_import_lock(session, LOCK)
    fill(session)


def fill(conn: Session | Connection) -> None:
    """Replace both summary tables by what the offers and regions say now (no lock: migrations and refresh)."""
    v = aliased(Region, name="v")
    vwgs = dict(conn.execute(select(v.ars, kreis_of(v)).where(v.level == Level.VWG)).all())
    kreise = set(vwgs.values())
    land = set(conn.scalars(select(Region.ars).where(Region.level == Level.LAN)))
    by_land: dict[tuple, list] = defaultdict(list)  # (service, group) -> periods
    by_kreis: dict[tuple, list] = defaultdict(list)  # (kreis, service, group) -> periods
    by_vwg: dict[tuple, list] = defaultdict(list)  # (vwg, service, group) -> periods
    group = case((Offer.status.in_(STATUS_GROUPS["live"]), "live"), else_="geplant")
    rows = conn.execute(select(Offer.region_ars, Offer.service_id, group, Offer.valid_from, Offer.valid_to))
    for ars, service, grp, start, end in rows:
        period = (start, end or _OPEN)
        if ars in vwgs:
            by_vwg[(ars, service, grp)].append(period)
        elif ars in kreise:
            by_kreis[(ars, service, grp)].append(period)
        elif ars in land:
            by_land[(service, grp)].append(period)
        # Offers of a Gemeinde reach nobody by the rule (services.key_issues lists them).
    area: dict[tuple, list] = {}
    for (service, grp), periods in by_land.items():
        for kreis in kreise:
            area[(kreis, service, grp)] = periods
    for key, periods in by_kreis.items():
        area[key] = area.get(key, []) + periods
    area = {key: _merged(periods) for key, periods in area.items()}
    conn.execute(delete(VwgReach))
    conn.execute(delete(AreaReach))
    _insert(
        conn,
        AreaReach,
        (
            dict(area_ars=k, service_id=s, status_group=g, valid_from=a, valid_to=_end(b))
            for (k, s, g), periods in area.items()
            for a, b in periods
        ),
    )
    _insert(
        conn,
        VwgReach,
        (
            dict(vwg_ars=w, area_ars=vwgs[w], service_id=s, status_group=g, valid_from=a, valid_to=_end(b))
            for (w, s, g), periods in by_vwg.items()
            for a, b in _minus(_merged(periods), area.get((vwgs[w], s, g), ()))
        ),
    )


_OPEN = dt.date.max  # an open period (valid_to NULL) while computing
BATCH = 20_000


def _end(day: dt.date) -> dt.date | None:
    return None if day == _OPEN else day


def _merged(periods: list[tuple]) -> list[tuple]:
    """Overlapping or touching periods [start, end) merged, sorted by start; empty ones dropped."""
    out: list[list] = []
    for start, end in sorted(p for p in periods if p[0] < p[1]):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [tuple(p) for p in out]


def _minus(periods: list[tuple], cut: list[tuple]) -> list[tuple]:
    """The parts of merged `periods` not covered by merged `cut` (both sorted, half-open)."""
    out = []
    for start, end in periods:
        for c_start, c_end in cut:
            if c_end <= start or c_start >= end:
                continue
            if c_start > start:
                out.append((start, c_start))
            start = max(start, c_end)
            if start >= end:
                break
        if start < end:
            out.append((start, end))
    return out


def _insert(conn, model, rows) -> None:
    """Core executemany in batches (bound parameters; fast on SQLite and PostgreSQL)."""
    buf = []
    for r in rows:
        buf.append(r)
        if len(buf) >= BATCH:
            conn.execute(model.__table__.insert(), buf)
            buf = []
    if buf:
        conn.execute(model.__table__.insert(), buf)
