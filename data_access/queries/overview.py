"""Headline figures for the Übersicht page: one function per KPI, each with its Stand and source."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data_access.models import Offer, OnlineService
from data_access.queries import eakte
from data_access.queries.pi import DONE, programme_predictability


def eakte_headline(engine: Engine) -> dict | None:
    """Latest eAkte snapshot: productive authorities of those in scope, active users and the target.

    Keys: as_of, productive, scope, users, target, is_demo, source. None when there is no snapshot.
    The figures come from data_access.queries.eakte.kpis (the one source of truth for the eAkte page).
    """
    k = eakte.kpis(engine)
    if k is None:
        return None
    return {key: k[key] for key in ("as_of", "productive", "scope", "users", "target", "is_demo", "source")}


def services_headline(engine: Engine) -> dict | None:
    """Online services live at the newest offer date: distinct services with at least one live offer.

    Keys: as_of, services_live, focus_live, is_demo, source. None when there are no offers.
    """
    with engine.connect() as c:
        as_of = c.scalar(select(func.max(Offer.valid_from)))
        if as_of is None:
            return None
        in_force = (Offer.valid_from <= as_of) & ((Offer.valid_to.is_(None)) | (Offer.valid_to > as_of))
        row = c.execute(
            select(
                func.count(func.distinct(Offer.service_id)),
                func.count(func.distinct(case((OnlineService.is_focus, Offer.service_id)))),
                func.max(case((Offer.is_demo, 1), else_=0)),
                func.min(Offer.source),
            )
            .join(OnlineService, OnlineService.id == Offer.service_id)
            .where(in_force, Offer.status == "live")
        ).one()
    return dict(as_of=as_of, services_live=int(row[0]), focus_live=int(row[1]), is_demo=bool(row[2]), source=row[3])


def latest_pi_predictability(engine: Engine, *, today: dt.date | None = None) -> dict | None:
    """Programme predictability of the latest finished PI that has objectives.

    Predictability = Σ actual BV of all objectives ÷ Σ planned BV of committed objectives, computed by
    data_access.queries.pi (the one source of truth; a running PI never counts here).
    Keys: pi_number, quarter, end_date, predictability (None if no committed BV), is_demo, source.
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
        source=row["source"],
    )
