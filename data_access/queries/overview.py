"""Headline figures for the Übersicht page: one function per KPI, each with its Stand and source."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data_access import counting
from data_access.models import Offer, OnlineService, Region
from data_access.queries import eakte, services
from data_access.queries.pi import DONE, programme_predictability
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


def focus_connections(engine: Engine, *, as_of: dt.date | None = None) -> dict | None:
    """Fokusleistungs-Anbindungen at the Kommunen on `as_of` (default: the data's Stand, offers_meta).

    A connection is one (unit, Fokusleistung) pair with a live offer at a Kreis (KRS) or an Einheits-/Samtgemeinde
    (VWG) and an online Reifegrad (services.online): the count the published "574 Anbindungen" uses. Gemeindefreie
    Gebiete are not administrations and are
    left out of the units. Keys: as_of, connections, units (KRS + VWG administrations), connected (units with at
    least one), share (connected ÷ units), is_demo, is_mixed (real offers beside demo ones), source. None
    without offers.
    """
    meta = services.offers_meta(engine)
    if meta is None:
        return None
    as_of = as_of or meta["as_of"]  # the data's Stand, like the headline beside it
    with reading(engine) as c:
        municipal = Region.level.in_((Level.KRS, Level.VWG)) & Region.category.not_in(counting.UNINCORPORATED)
        units = c.scalar(select(func.count()).select_from(Region).where(municipal))
        in_force = (Offer.valid_from <= as_of) & ((Offer.valid_to.is_(None)) | (Offer.valid_to > as_of))
        row = c.execute(
            select(
                func.count(),
                func.count(func.distinct(Offer.region_ars)),
                func.max(case((Offer.is_demo, 1), else_=0)),
                func.min(Offer.source),
                func.max(case((Offer.is_demo, 0), else_=1)),
            )
            .join(OnlineService, OnlineService.id == Offer.service_id)
            .join(Region, Region.ars == Offer.region_ars)
            .where(in_force, Offer.status == "live", OnlineService.is_focus.is_(True), services.online(), municipal)
        ).one()
    return dict(
        as_of=as_of,
        connections=int(row[0]),
        units=int(units or 0),
        connected=int(row[1]),
        share=row[1] / units if units else None,
        is_demo=bool(row[2]),
        is_mixed=bool(row[2]) and bool(row[4]),
        source=row[3],
    )
