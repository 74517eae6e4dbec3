"""One unit's Steckbrief: its change against the previous quarter, the gaps against comparable units (split by
who can act), and its history. The unit comes in as a units.Unit, looked up once per page (queries.regions.unit)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select, union_all
from sqlalchemy.orm import aliased

from data_access import counting, periods
from data_access.models import OnlineService, Region
from data_access.queries.regions import KFS, kreis_of, units
from data_access.queries.services import (  # the availability rule's SQL building blocks, shared with the map
    _counts,
    _dates,
    _per_area,
    _reach,
    _services,
    _vwg_areas,
    offers_meta,
    online,
)
from data_access.read import reading
from data_access.units import Level, Unit


def quarter_before(as_of: dt.date) -> dt.date:
    """The same day three months earlier (end of month if shorter): the "seit Vorquartal" reference."""
    return periods.add_months(as_of, -3)


def comparison(current: pd.DataFrame, previous: pd.DataFrame | None, ars: str, *, column: str = "n_services") -> dict:
    """A unit's KPIs against comparable units, from two `availability` frames of its level.

    Keys: value, n_focus, focus_total, share_own, change (vs `previous`, None without), rank and
    group_size (rank 1 = most services among units of the same comparison group), percentile (share of
    the group with a value at or below this one), group, kreis_mean (same level, same Kreis), land_mean.
    """
    row = current.loc[current["ars"] == ars]
    if row.empty:
        return {}
    row = row.iloc[0]
    if row["group"] in counting.UNINCORPORATED:  # not a municipality: no rank, no peers
        peers = pd.Series(dtype=float)
    else:
        peers = current.loc[current["group"] == row["group"], column].dropna()
    value = row[column]
    prev = previous.loc[previous["ars"] == ars, column] if previous is not None else pd.Series(dtype=float)
    same_kreis = current.loc[current["kreis_ars"] == row["kreis_ars"], column] if row["kreis_ars"] else None
    return dict(
        value=value,
        n_focus=row["n_focus"],
        n_focus_any=row.get("n_focus_mindestens_eine"),
        share_residents=row.get("share_residents"),
        connections=row.get("connections"),
        per_100k=row.get("per_100k"),
        focus_total=int(row["focus_total"]),
        share_own=row["share_own"],
        change=(value - prev.iloc[0]) if len(prev) and pd.notna(value) else None,
        rank=int((peers > value).sum() + 1) if pd.notna(value) and len(peers) else None,
        group_size=len(peers),
        group=row["group"],
        percentile=float((peers <= value).mean()) if len(peers) and pd.notna(value) else None,
        kreis_mean=float(same_kreis.mean()) if same_kreis is not None and len(same_kreis) > 1 else None,
        land_mean=float(current.loc[~current["group"].isin(counting.UNINCORPORATED), column].mean()),
    )


def _service_sets(engine, info: Unit, peers: tuple[str, ...], as_of: dt.date, status) -> tuple[pd.DataFrame, int]:
    """Per service: how many peer units have it (n_peers, in SQL) and the number of peers actually compared."""
    svc = _services(None, None, False)
    dates = _dates((as_of,))
    if info.level.municipal:
        # Every peer VWG, with residents or not (a gemeindefreies Gebiet is no peer of a municipality anyway).
        v = aliased(Region, name="pv")
        va = select(v.ars.label("vwg"), kreis_of(v).label("area")).where(v.level == Level.VWG, v.ars.in_(peers))
        va = va.subquery("va")
        kl, vonly = _reach(svc, dates, status, va)
        pairs = union_all(
            select(va.c.vwg, kl.c.service_id).join(kl, kl.c.area == va.c.area),
            select(vonly.c.vwg, vonly.c.service_id),
        ).subquery("pairs")  # disjoint: a service counts once per VWG
        q = select(pairs.c.service_id, func.count().label("n")).group_by(pairs.c.service_id)
    else:  # Kreis: a peer "has" a service when it reaches every VWG of that Kreis (flächendeckend)
        va = _vwg_areas(Level.KRS)
        kl, vonly = _reach(svc, dates, status, va)
        per = _per_area(kl, vonly, va, Level.KRS)
        q = (
            select(per.c.service_id, func.count().label("n"))
            .where(per.c.full, per.c.area.in_(peers))
            .group_by(per.c.service_id)
        )
    with reading(engine) as c:
        return pd.DataFrame(c.execute(q).mappings().all(), columns=["service_id", "n"]), len(peers)


def gaps(engine: Engine, *, unit: Unit, as_of: dt.date) -> dict:
    """What comparable units offer their residents (live) that this unit's residents cannot use yet.

    Peers are units of the same level and comparison group (for a Gemeinde: the VWGs of its VWG's
    group). Returns dict with "gaps" (not live here and not in preparation) and "planned" (geplant
    or in Umsetzung here), each a DataFrame with one row per service: service_key, name, themenfeld,
    model, is_focus, responsible_level, reusable ("EfA"/"WfU" solutions can be re-used), peers_with,
    peers, share_peers; sorted Fokusleistungen first, then by share_peers. Empty frames for the Land.
    """
    cols = [
        "service_key",
        "name",
        "themenfeld",
        "model",
        "is_focus",
        "responsible_level",
        "maturity_level",
        "reusable",
        "peers_with",
        "peers",
        "share_peers",
        "status",
        "who",
    ]
    empty = dict(gaps=pd.DataFrame(columns=cols), planned=pd.DataFrame(columns=cols))
    info = unit
    if info.level == Level.LAN or info.category in counting.UNINCORPORATED:
        return empty  # a gemeindefreies Gebiet has no administration that could close a gap
    base_level = Level.VWG if info.level.municipal else Level.KRS
    self_ars = info.vwg_ars if base_level == Level.VWG else info.ars
    everyone = units(engine, level=base_level)
    group = everyone.loc[everyone["ars"] == self_ars, "group"]
    if group.empty:
        return empty
    peers = tuple(everyone.loc[(everyone["group"] == group.iloc[0]) & (everyone["ars"] != self_ars), "ars"])
    peer_counts, n_peers = (
        _service_sets(engine, info, peers, as_of, "live") if peers else (pd.DataFrame(columns=["service_id", "n"]), 0)
    )
    own_live, _ = _service_sets(engine, info, (self_ars,), as_of, "live")
    own_planned, _ = _service_sets(engine, info, (self_ars,), as_of, "geplant")
    with reading(engine) as c:
        catalogue = pd.DataFrame(
            c.execute(
                select(
                    OnlineService.id.label("service_id"),
                    OnlineService.service_key,
                    OnlineService.name,
                    OnlineService.themenfeld,
                    OnlineService.model,
                    OnlineService.is_focus,
                    OnlineService.responsible_level,
                    OnlineService.maturity_level,
                ).where(online())
            )
            .mappings()
            .all()
        )
    if catalogue.empty or peer_counts.empty:
        return empty
    df = catalogue.merge(peer_counts.rename(columns={"n": "peers_with"}), on="service_id")
    df = df.loc[~df["service_id"].isin(own_live["service_id"])].copy()
    df["peers"] = n_peers
    df["share_peers"] = df["peers_with"] / n_peers
    df["reusable"] = df["model"].isin(("EfA", "WfU"))
    df["status"] = df["service_id"].map(
        lambda s: "geplant / in Umsetzung" if s in set(own_planned["service_id"]) else "fehlt"
    )
    df["who"] = df["responsible_level"].map(lambda lvl: who_acts(info, lvl))
    df = df.sort_values(["is_focus", "share_peers", "name"], ascending=[False, False, True])[cols]
    planned = df["status"] != "fehlt"
    return dict(gaps=df.loc[~planned].reset_index(drop=True), planned=df.loc[planned].reset_index(drop=True))


WHO = ("selbst", "Landkreis", "Land", "Gemeinden")


def who_acts(info: Unit, responsible_level: str) -> str:
    """Who can connect a missing service for the unit's residents: the unit itself, its Kreis, the Land, or (for
    a Kreis) its Gemeinden. A kreisfreie Stadt does Kreis and Gemeinde tasks; a city with NKomVG status may offer
    Kreis services for itself, but which tasks moved differs by city, so those stay with the Kreis (ask both)."""
    if responsible_level == "Land":
        return "Land"
    if info.level == Level.KRS:
        kfs = info.unit_type == KFS
        return "selbst" if responsible_level == "Kreis" or kfs else "Gemeinden"
    if responsible_level == "Kreis" and not (info.group or "").startswith(KFS):
        return "Landkreis"
    return "selbst"


def history(engine: Engine, *, unit: Unit, as_of: dt.date, status: str = "live") -> pd.DataFrame:
    """Quarter by quarter up to `as_of`: services available to the unit's residents at each quarter end.

    One row per date: date, n_services, n_focus. For a Kreis and the Land the flächendeckend figure (as in
    their headline). Empty when there are no offers yet at `as_of`.
    """
    info, meta = unit, offers_meta(engine)
    cols = ["date", "n_services", "n_focus"]
    if meta is None or meta["first"] > as_of:
        return pd.DataFrame(columns=cols)
    dates = periods.quarter_ends(meta["first"], as_of)
    level = info.level
    if level.municipal and not info.vwg_ars:
        return pd.DataFrame(columns=cols)
    # A Gemeinde counts with its VWG; a Kreis and the Land flächendeckend (as in their headline).
    where = dict(vwg_ars=(info.vwg_ars,)) if level.municipal else dict(kreis_ars=info.ars) if level == Level.KRS else {}
    counts, _ = _counts(
        engine,
        level=Level.VWG if level.municipal else level,
        dates=dates,
        themenfeld=None,
        model=None,
        focus_only=False,
        status="live" if status == "live" else "geplant",
        **where,
    )
    counts["d"] = pd.to_datetime(counts["d"]).dt.date
    out = pd.DataFrame({"date": list(dates)}).merge(counts.rename(columns={"d": "date"}), on="date", how="left")
    return out[cols].fillna(0).astype({"n_services": int, "n_focus": int})
