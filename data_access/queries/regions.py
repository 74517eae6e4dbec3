"""Who is who: the administrative units, their comparison groups, Kreis and serving Verwaltungseinheit, and the
search list of the Steckbrief. The availability figures of these units are in queries.services."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select
from sqlalchemy.orm import aliased

from data_access import counting
from data_access.models import Region
from data_access.read import reading
from data_access.units import Level, Unit

KFS = "Kreisfreie Stadt"


def kreis_of(r):
    """The Kreis key of a VWG/GEM: kreis_ars, else the first five ARS digits (true for every official ARS)."""
    return func.coalesce(r.kreis_ars, func.substr(r.ars, 1, 5))


def units(engine: Engine, *, level: Level | str | None = None, ars: str | None = None) -> pd.DataFrame:
    """One row per region (optionally of one level) with its comparison group and Kreis.

    Columns: ars, level, name, unit_type (BKG's BEZ; "Region" for Region Hannover), category (counting.category),
    group (Vergleichsgruppe: Landkreis, Kreisfreie Stadt, Einheitsgemeinde, Samtgemeinde, Mitgliedsgemeinde,
    gemeindefrei, gemeindefrei bewohnt), parent_ars, kreis_ars,
    kreis_name, vwg_ars (the VWG that serves a Gemeinde), population, population_as_of, size_class
    (counting.size_class; with a population the group is "type, size class").
    """
    r, k, p = aliased(Region, name="r"), aliased(Region, name="k"), aliased(Region, name="p")
    kreis = case((r.level == Level.KRS, r.ars), (r.level == Level.LAN, None), else_=kreis_of(r))
    group = case(
        (r.level == Level.LAN, r.unit_type),
        # Region Hannover (a Kommunalverband of its own kind) is compared with the Landkreise; its type says Region.
        (r.level == Level.KRS, case((r.category == "Region", "Landkreis"), else_=r.unit_type)),
        (r.category.in_(counting.UNINCORPORATED), r.category),
        (k.unit_type == KFS, KFS),
        (and_(r.level == Level.GEM, p.unit_type == "Samtgemeinde"), "Mitgliedsgemeinde"),
        (r.level == Level.GEM, "Einheitsgemeinde"),
        else_=r.unit_type,
    )
    q = (
        select(
            r.ars,
            r.level,
            r.name,
            case((r.category == "Region", "Region"), else_=r.unit_type).label("unit_type"),
            r.category,
            group.label("group"),
            r.parent_ars,
            kreis.label("kreis_ars"),
            k.name.label("kreis_name"),
            case((r.level == Level.GEM, r.parent_ars), (r.level == Level.VWG, r.ars)).label("vwg_ars"),
            r.population,
            r.population_as_of,
        )
        .outerjoin(k, k.ars == kreis)
        .outerjoin(p, p.ars == r.parent_ars)
        .order_by(r.ars)
    )
    if level:
        q = q.where(r.level == level)
    if ars:
        q = q.where(r.ars == ars)
    with reading(engine) as c:
        rows = c.execute(q).mappings().all()
    df = pd.DataFrame(
        rows,
        columns=[
            "ars",
            "level",
            "name",
            "unit_type",
            "category",
            "group",
            "parent_ars",
            "kreis_ars",
            "kreis_name",
            "vwg_ars",
            "population",
            "population_as_of",
        ],
    )
    # Fair comparison by size: peers share type and size class, when the unit's population is known.
    size = [counting.size_class(lvl, p) for lvl, p in zip(df["level"], df["population"], strict=True)]
    df["size_class"] = size
    has_size = df["size_class"].notna() & ~df["group"].isin(counting.UNINCORPORATED)
    df.loc[has_size, "group"] = df.loc[has_size, "group"] + ", " + df.loc[has_size, "size_class"]
    return df


def unit(engine: Engine, *, ars: str) -> Unit | None:
    """One region with its comparison group, Kreis and serving VWG (see `units`), or None if unknown.

    Beyond `units`: vwg_name (the Einheits-/Samtgemeinde serving a Gemeinde), population_source, kommunal_status.
    """
    df = units(engine, ars=ars)
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    v = aliased(Region, name="v")
    with reading(engine) as c:
        extra = c.execute(
            select(Region.population_source, Region.kommunal_status, v.name.label("vwg_name"))
            .outerjoin(v, v.ars == row["vwg_ars"])
            .where(Region.ars == ars)
        ).one()
    return Unit.of({**row, **extra._mapping})


def search_options(engine: Engine) -> pd.DataFrame:
    """Every region for a search box: ars, label ("Gifhorn – Samtgemeinde, Gifhorn · 031515401"), level."""
    df = units(engine)
    df = df.loc[df["category"] != counting.NOT_A_MUNICIPALITY]  # forests and islands are no Kommune to look up
    kreis = df["kreis_name"].where(df["level"].isin((Level.VWG, Level.GEM)))
    kind = df["unit_type"].where(df["category"] != "gemeindefrei bewohnt", "gemeindefreier Bezirk")
    df = df.assign(
        label=df["name"]
        + " – "
        + kind
        + kreis.map(lambda k: f", {k}" if isinstance(k, str) else "")
        + " · "
        + df["ars"]
    )
    return df[["ars", "label", "level"]].reset_index(drop=True)
