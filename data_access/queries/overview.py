"""Headline figures for the Übersicht page: one function per KPI, each with its Stand and source."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data_access import counting, periods
from data_access.models import Offer, OnlineService, Region
from data_access.queries import eakte, regions, services, steckbrief
from data_access.queries.pi import DONE, programme_predictability
from data_access.queries.steckbrief import quarter_before
from data_access.read import reading
from data_access.units import Level


def eakte_headline(engine: Engine) -> dict | None:
    """Latest eAkte snapshot: productive authorities of those in scope, active users and the target.

    Keys: as_of, productive, scope, users, target, is_demo, is_mixed, source. None when there is no snapshot.
    The figures come from data_access.queries.eakte.kpis (the one source of truth for the eAkte page).
    """
    k = eakte.kpis(engine)
    if k is None:
        return None
    return {key: k[key] for key in ("as_of", "productive", "scope", "users", "target", "is_demo", "is_mixed", "source")}


def services_headline(engine: Engine) -> dict | None:
    """The Land's online services at the newest offer date, counted like the federal dashboard.

    One meaning per number (docs/ZAEHLREGELN.md): "flächendeckend" = usable in every Verwaltungseinheit with
    residents (via Gemeinde, Kreis or Land), "weitere" = usable in at least one Kommune but not everywhere; only
    services with an online Reifegrad count. The same figures appear on the Übersicht, the slides and the Land's
    Steckbrief. Keys: as_of, services_full, services_more, focus_full, focus_more, focus_total, is_demo, is_mixed,
    source.
    None when there are no offers.
    """
    meta = services.offers_meta(engine)
    if meta is None:
        return None
    as_of = meta["as_of"]  # the data's Stand, the same default Stichtag as the map and the Steckbrief
    land = services.availability(engine, level=Level.LAN, as_of=as_of).iloc[0]
    full, anywhere = int(land["n_flaechendeckend"]), int(land["n_mindestens_eine"])
    focus_full, focus_any = int(land["n_focus_flaechendeckend"]), int(land["n_focus_mindestens_eine"])
    return dict(
        as_of=as_of,
        services_full=full,
        services_more=anywhere - full,
        focus_full=focus_full,
        focus_more=focus_any - focus_full,
        focus_total=int(land["focus_total"]),
        is_demo=meta["is_demo"],
        is_mixed=meta["is_mixed"],
        source=meta["source"],
    )


def latest_pi_predictability(engine: Engine, *, today: dt.date | None = None) -> dict | None:
    """Programme predictability of the latest finished PI that has objectives.

    Predictability = Σ actual BV of all objectives ÷ Σ planned BV of committed objectives, computed by
    data_access.queries.pi (the one source of truth; a running PI never counts here).
    Keys: pi_number, quarter, end_date, predictability (None if no committed BV), is_demo, is_mixed, source.
    """
    pis = programme_predictability(engine, today=today)
    done = pis[(pis["status"] == DONE) & (pis["objectives"] > 0)]
    if done.empty:
        return None
    row = done.iloc[-1]
    return dict(
        pi_number=int(row["pi_number"]),
        quarter=row["quarter"],
        end_date=row["end_date"],
        predictability=None if pd.isna(row["predictability"]) else float(row["predictability"]),
        is_demo=bool(row["is_demo"]),
        is_mixed=bool(row["is_mixed"]),
        source=row["source"],
    )


def _connections(engine: Engine, dates: tuple[dt.date, ...]) -> pd.DataFrame:
    """Per date: Fokusleistungs-Anbindungen (connections), units connected, and the provenance flags."""
    municipal = Region.level.in_((Level.KRS, Level.VWG)) & Region.category.not_in(counting.UNINCORPORATED)
    days = services._dates(dates)
    in_force = (Offer.valid_from <= days.c.d) & ((Offer.valid_to.is_(None)) | (Offer.valid_to > days.c.d))
    stmt = (
        select(
            days.c.d,
            func.count(Offer.id).label("connections"),
            func.count(func.distinct(Offer.region_ars)).label("connected"),
            func.max(case((Offer.is_demo, 1), else_=0)).label("demo"),
            func.min(Offer.source).label("source"),
            func.max(case((Offer.is_demo, 0), else_=1)).label("real"),
        )
        .select_from(days)
        .join(Offer, in_force)
        .join(OnlineService, OnlineService.id == Offer.service_id)
        .join(Region, Region.ars == Offer.region_ars)
        .where(Offer.status == "live", OnlineService.is_focus.is_(True), services.online(), municipal)
        .group_by(days.c.d)
    )
    with reading(engine) as c:
        units = c.scalar(select(func.count()).select_from(Region).where(municipal))
        rows = {r.d if isinstance(r.d, dt.date) else dt.date.fromisoformat(str(r.d)): r for r in c.execute(stmt)}
    out = []
    for d in dates:
        r = rows.get(d)
        out.append(
            dict(
                d=d,
                connections=int(r.connections) if r else 0,
                connected=int(r.connected) if r else 0,
                units=int(units or 0),
                demo=bool(r and r.demo),
                real=bool(r and r.real),
                source=r.source if r else None,
            )
        )
    return pd.DataFrame(out)


def focus_connections(engine: Engine, *, as_of: dt.date | None = None) -> dict | None:
    """Fokusleistungs-Anbindungen at the Kommunen on `as_of` (default: the data's Stand, offers_meta).

    A connection is one (unit, Fokusleistung) pair with a live offer at a Kreis (KRS) or an Einheits-/Samtgemeinde
    (VWG) and an online Reifegrad (services.online): the count the published "574 Anbindungen" uses. Gemeindefreie
    Gebiete are not administrations and are left out of the units. Keys: as_of, connections, units (KRS + VWG
    administrations), connected (units with at least one), share (connected ÷ units), is_demo, is_mixed (real
    offers beside demo ones), source. None without offers.
    """
    meta = services.offers_meta(engine)
    if meta is None:
        return None
    as_of = as_of or meta["as_of"]  # the data's Stand, like the headline beside it
    row = _connections(engine, (as_of,)).iloc[0]
    units = int(row["units"])
    return dict(
        as_of=as_of,
        connections=int(row["connections"]),
        units=units,
        connected=int(row["connected"]),
        share=row["connected"] / units if units else None,
        is_demo=bool(row["demo"]),
        is_mixed=bool(row["demo"]) and bool(row["real"]),
        source=row["source"],
    )


# --- change since the previous quarter and a short trend, per KPI (the Übersicht's deltas and sparklines) -------

TREND_POINTS = 8  # quarters (or Stichtage, PIs) in a KPI's sparkline


def eakte_trend(engine: Engine) -> dict | None:
    """Productive authorities and active users: change since the latest Stichtag at least three months before the
    Stand (the eAkte page's "seit" rule, eakte.users_added) and the last TREND_POINTS Stichtage.

    Keys: since (None when the series is shorter), productive_change, users_change, dates, productive, users.
    """
    series = eakte.users_series(engine)
    if series.empty:
        return None
    last = series.iloc[-1]
    base = series[series["snapshot_date"] <= periods.add_months(last["snapshot_date"], -3)]
    prev = base.iloc[-1] if not base.empty else None
    tail = series.tail(TREND_POINTS)
    return dict(
        since=prev["snapshot_date"] if prev is not None else None,
        productive_change=int(last["productive"] - prev["productive"]) if prev is not None else None,
        users_change=int(last["active_users"] - prev["active_users"]) if prev is not None else None,
        dates=list(tail["snapshot_date"]),
        productive=[int(v) for v in tail["productive"]],
        users=[int(v) for v in tail["active_users"]],
    )


def services_trend(engine: Engine) -> dict | None:
    """Online services flächendeckend and Anbindungen: change since the previous quarter (steckbrief.quarter_before,
    the Steckbrief's "seit Vorquartal") and the last TREND_POINTS quarter ends up to the Stand.

    Keys: since, services_change, focus_change (Fokusleistungs-Anbindungen), dates, services, connections.
    None without offers.
    """
    meta = services.offers_meta(engine)
    if meta is None:
        return None
    as_of = meta["as_of"]
    since = quarter_before(as_of)
    dates = periods.quarter_ends(min(meta["first"], since), as_of)[-TREND_POINTS:]
    land = services.availability(engine, level=Level.LAN, as_of=since).iloc[0]
    history = steckbrief.history(engine, unit=regions.unit(engine, ars=services.LAND_ARS), as_of=as_of)
    history = history[history["date"].isin(dates)]
    conn = _connections(engine, tuple(sorted({since, *dates}))).set_index("d")["connections"]
    now = services.availability(engine, level=Level.LAN, as_of=as_of).iloc[0]
    return dict(
        since=since,
        services_change=int(now["n_flaechendeckend"]) - int(land["n_flaechendeckend"]),
        focus_change=int(conn[as_of]) - int(conn[since]),
        dates=list(history["date"]),
        services=[int(v) for v in history["n_services"]],
        connections=[int(conn[d]) for d in history["date"]],
    )


def pi_trend(engine: Engine, *, today: dt.date | None = None) -> dict | None:
    """Predictability of the finished PIs: change against the PI before the latest and the last TREND_POINTS PIs.

    Keys: previous (PI number or None), change (share points, None without a previous PI), pis, values.
    """
    pis = programme_predictability(engine, today=today)
    done = pis[(pis["status"] == DONE) & (pis["objectives"] > 0)]  # the PIs latest_pi_predictability picks from
    if done.empty:
        return None
    last, prev = done.iloc[-1], (done.iloc[-2] if len(done) > 1 else None)
    both = prev is not None and pd.notna(last["predictability"]) and pd.notna(prev["predictability"])
    tail = done.tail(TREND_POINTS).dropna(subset=["predictability"])
    return dict(
        previous=int(prev["pi_number"]) if prev is not None else None,
        change=float(last["predictability"] - prev["predictability"]) if both else None,
        pis=[int(v) for v in tail["pi_number"]],
        values=[float(v) for v in tail["predictability"]],
    )
