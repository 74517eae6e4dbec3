""" "Wo gibt es …?": find an online service in the catalogue and see where residents can use it.

The search runs over the catalogue in Python (a few thousand services at most): case and umlauts compare the same on
SQLite and PostgreSQL, and a LeiKa key, a Dienst-Schlüssel, a word of the name or the Themenfeld all find a service.

Where a service is available follows the availability rule of queries.services (DOMAIN.md, Zuständigkeit): the
residents of a Verwaltungseinheit (VWG) can use what their VWG, their Kreis and the Land offer; gemeindefreie Gebiete
without residents are no Verwaltungseinheit and are not listed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, and_, or_, select

from data_access import counting
from data_access.models import Offer, OnlineService, ServiceLeika
from data_access.queries.regions import units
from data_access.queries.services import LAND_ARS, LIVE, PLANNED, online
from data_access.read import frame
from data_access.units import Level

# What the page shows per unit, best first; "nicht angeboten" = no offer in force for its residents.
STATUSES = ("live", "geplant", "nicht angeboten")
OFFERED_BY = {"LAN": "Land", "KRS": "Kreis", "VWG": "eigene Verwaltung"}


def catalogue(engine: Engine) -> pd.DataFrame:
    """Every service: service_id, service_key, name, themenfeld, model, responsible_level, maturity_level,
    maturity_model, is_focus, url, leika (comma-separated keys), online (the Reifegrad allows applying online)."""
    svc = OnlineService
    q = select(
        svc.id.label("service_id"),
        svc.service_key,
        svc.name,
        svc.themenfeld,
        svc.model,
        svc.responsible_level,
        svc.maturity_level,
        svc.maturity_model,
        svc.is_focus,
        svc.url,
        svc.source,
        svc.as_of,
        svc.is_demo,
        online().label("online"),
    ).order_by(svc.name, svc.service_key)
    df = frame(engine, q)
    keys = frame(engine, select(ServiceLeika.service_id, ServiceLeika.leika_key).order_by(ServiceLeika.leika_key))
    joined = keys.groupby("service_id")["leika_key"].agg(", ".join) if not keys.empty else pd.Series(dtype=str)
    df["leika"] = [k if isinstance(k, str) else "" for k in df["service_id"].map(joined)]
    df["url"] = pd.Series([u if isinstance(u, str) and u else None for u in df["url"]], index=df.index, dtype=object)
    df["online"] = df["online"].fillna(False).astype(bool)
    df["is_focus"] = df["is_focus"].fillna(False).astype(bool)
    return df


def search_services(cat: pd.DataFrame, query: str = "", *, themenfeld: str | None = None) -> pd.DataFrame:
    """The services of `cat` (catalogue()) matching every word of `query` in name, Dienst-Schlüssel, LeiKa keys or
    Themenfeld (case-insensitive), optionally of one Themenfeld; names that start with the query come first."""
    hits = cat if not themenfeld else cat[cat["themenfeld"] == themenfeld]
    words = query.casefold().split()
    if words:
        haystack = (
            hits["name"].str.casefold()
            + " "
            + hits["service_key"].str.casefold()
            + " "
            + hits["leika"].str.replace(",", " ")
            + " "
            + hits["themenfeld"].str.casefold()
        )
        mask = pd.Series(True, index=hits.index)
        for word in words:
            mask &= haystack.str.contains(word, regex=False)
        hits = hits[mask]
        first = ~hits["name"].str.casefold().str.startswith(query.casefold().strip())
        hits = hits.assign(_first=first).sort_values(["_first", "name", "service_key"]).drop(columns="_first")
    return hits.reset_index(drop=True)


def where_available(engine: Engine, *, service_id: int, as_of: dt.date) -> pd.DataFrame:
    """One row per Verwaltungseinheit: can its residents use the service on `as_of`, and who offers it?

    Columns: ars, name, unit_type, kreis_ars, kreis_name, population, status (live, geplant, nicht angeboten: the best
    status any of VWG, Kreis and Land has), offered_by (who offers it with that status: "Land", "Kreis",
    "eigene Verwaltung", several joined by ", "; "" when not offered).
    """
    in_force = and_(Offer.valid_from <= as_of, or_(Offer.valid_to.is_(None), Offer.valid_to > as_of))
    offers = frame(
        engine,
        select(Offer.region_ars, Offer.status).where(Offer.service_id == service_id, in_force),
    )
    vwg = units(engine, level=Level.VWG)
    vwg = vwg[vwg["category"] != counting.NOT_A_MUNICIPALITY]
    out = vwg[["ars", "name", "unit_type", "kreis_ars", "kreis_name", "population"]].reset_index(drop=True)
    live = {a for a, s in zip(offers["region_ars"], offers["status"], strict=True) if s in LIVE}
    planned = {a for a, s in zip(offers["region_ars"], offers["status"], strict=True) if s in PLANNED}

    def who(row, held: set[str]) -> str:
        parts = [
            label
            for key, label in ((LAND_ARS, "Land"), (row.kreis_ars, "Kreis"), (row.ars, "eigene Verwaltung"))
            if key in held
        ]
        return ", ".join(parts)

    by_live = [who(r, live) for r in out.itertuples()]
    by_planned = [who(r, planned) for r in out.itertuples()]
    out["status"] = [
        "live" if lv else "geplant" if pl else "nicht angeboten" for lv, pl in zip(by_live, by_planned, strict=True)
    ]
    out["offered_by"] = [lv or pl for lv, pl in zip(by_live, by_planned, strict=True)]
    order = {s: i for i, s in enumerate(STATUSES)}
    return out.sort_values(["status", "name"], key=lambda c: c.map(order) if c.name == "status" else c).reset_index(
        drop=True
    )


def summary(where: pd.DataFrame) -> dict:
    """Headline figures of where_available(): units with the service live and planned, Kreise where every unit has it
    live (flächendeckend), the residents' share (None without population figures for every unit)."""
    pop = where["population"].astype("Float64")
    live = where["status"] == "live"
    known = pop.notna().all() and pop.sum() > 0
    per_kreis = live.groupby(where["kreis_ars"]).all()
    return dict(
        kreise=len(per_kreis),
        kreise_full=int(per_kreis.sum()),
        units=len(where),
        live=int(live.sum()),
        planned=int((where["status"] == "geplant").sum()),
        residents_share=float(pop[live].sum() / pop.sum()) if known else None,
        everywhere=bool(len(where) and live.all()),
    )
