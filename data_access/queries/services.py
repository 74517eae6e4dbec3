"""Online services per unit: what residents can use (Zuständigkeit), per level and Stichtag, and the catalogue.

The units themselves are in queries.regions, one unit's Steckbrief (gaps, history) in queries.steckbrief.

Availability rule (DOMAIN.md, Zuständigkeit): a resident of a Gemeinde can use the union of what its
Verwaltungseinheit (VWG: Einheits- or Samtgemeinde), its Kreis and the Land offer. Offers are held by
LAN/KRS/VWG regions only, so everything is computed once per VWG in SQL and combined upwards; the union of what
the three offer is precomputed as validity periods in the summary tables (data_access.summary: reach_area for the
Kreis and Land part, reach_vwg for the VWG's own extra part), refreshed in the transaction of every write to offers
or regions, so a Stichtag and the catalogue filters are a cheap join at query time:
GEM takes its VWG's value; a Kreis (or the Land) counts a service "flächendeckend" when every VWG in it
has the service and "in mindestens einer Kommune" when at least one has it.

Counting rules for real data (data_access/counting.py, DOMAIN.md): only services with a Reifegrad that allows
applying online count (unknown Reifegrad is reported apart); gemeindefreie Gebiete without residents are no
Verwaltungseinheit (no counts, no rank, no peers, not in the search, not needed for "flächendeckend"); the two
inhabited gemeindefreie Bezirke count with what their Kreis and the Land offer.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Date, Engine, and_, case, func, literal, literal_column, or_, select, true, union_all
from sqlalchemy.orm import aliased

from data_access import counting
from data_access.models import AreaReach, Offer, OnlineService, Region, VwgReach
from data_access.queries.regions import KFS, kreis_of, units
from data_access.read import frame, reading
from data_access.summary import STATUS_GROUPS
from data_access.units import Level, Measure

LIVE = STATUS_GROUPS["live"]
PLANNED = STATUS_GROUPS["geplant"]
COVERAGES = ("flaechendeckend", "mindestens_eine")
LAND_ARS = "03"


def online(min_level: int | None = None):
    """SQL condition: the service's Reifegrad allows applying online (counting.ONLINE_FROM per model).

    `min_level` (the map's Reifegrad filter) raises the bar to that level in either model. A level without a
    model is read as model 1.x; a service without a level never counts (it is reported apart).
    """
    svc = OnlineService
    model_1 = or_(svc.maturity_model.is_(None), svc.maturity_model != "2.0")
    lo_1 = max(counting.ONLINE_FROM["1.x"], min_level or 0)
    lo_2 = max(counting.ONLINE_FROM["2.0"], min_level or 0)
    return and_(
        svc.maturity_level.is_not(None),
        or_(and_(model_1, svc.maturity_level >= lo_1), and_(svc.maturity_model == "2.0", svc.maturity_level >= lo_2)),
    )


def _services(
    themenfeld: str | None, model: str | None, focus_only: bool, min_level: int | None = None, *, online_only=True
):
    """The filtered catalogue of online services: id, focus flag and responsible level of each service.

    With online_only=False the whole catalogue (any Reifegrad): the denominators of "x von 16 Fokusleistungen"
    and of the own-catalogue share, in which a service below the online threshold is a gap, not absent.
    """
    q = select(OnlineService.id, OnlineService.is_focus, OnlineService.responsible_level)
    if online_only:
        q = q.where(online(min_level))
    if themenfeld:
        q = q.where(OnlineService.themenfeld == themenfeld)
    if model:
        q = q.where(OnlineService.model == model)
    if focus_only:
        q = q.where(OnlineService.is_focus.is_(True))
    return q.subquery("svc")


def _dates(dates: tuple[dt.date, ...]):
    """A one-column table of dates (portable: UNION ALL of literals instead of VALUES)."""
    parts = [select(literal(d, Date).label("d")) for d in dates]
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("dates")


def _offers(svc, dates, statuses: tuple[str, ...]):
    """(d, region_ars, service_id): offers in force on each date d with one of the statuses (the offering unit's
    own offers, as the Anbindungen count them; what residents can use comes from the summary, `_reach`)."""
    in_force = and_(Offer.valid_from <= dates.c.d, or_(Offer.valid_to.is_(None), Offer.valid_to > dates.c.d))
    q = (
        select(dates.c.d, Offer.region_ars, Offer.service_id)
        .join(dates, in_force)
        .where(Offer.status.in_(statuses), Offer.service_id.in_(select(svc.c.id)))
        .distinct()
    )
    return q.cte("o")


def _own_flag(svc, is_kfs, own: str = "Gemeinde"):
    """1 when a service belongs to the unit's own catalogue (kreisfreie Städte do Kreis and Gemeinde tasks)."""
    other = "Kreis" if own == "Gemeinde" else "Gemeinde"
    return case((or_(svc.c.responsible_level == own, and_(is_kfs, svc.c.responsible_level == other)), 1), else_=0)


def _vwg_areas(level: Level, *, vwg_ars: tuple[str, ...] | None = None, kreis_ars: str | None = None):
    """(vwg, area): each VWG with its Kreis (level KRS) or Land key, as columns so GROUP BY needs no expression."""
    v = aliased(Region, name="v")
    area = kreis_of(v) if level == Level.KRS else func.substr(v.ars, 1, 2)
    # Forests and islands without residents are no part that "flächendeckend" has to reach.
    q = select(v.ars.label("vwg"), area.label("area")).where(
        v.level == Level.VWG, v.category != counting.NOT_A_MUNICIPALITY
    )
    if vwg_ars:
        q = q.where(v.ars.in_(vwg_ars))
    if kreis_ars:
        q = q.where(kreis_of(v) == kreis_ars)
    return q.subquery("va")


def _in_force(table, day):
    return and_(table.valid_from <= day, or_(table.valid_to.is_(None), table.valid_to > day))


def _reach(svc, dates, status: str, va):
    """The availability rule from the summary (data_access.summary), without exploding the Land's offers.

    kl: (d, area, service) offered to a whole Kreis by the Kreis or the Land (45 × catalogue rows);
    vonly: (d, vwg, area, service) offered by a VWG and not already by its Kreis or the Land.
    A VWG's residents can use kl(area) + vonly(vwg): the two sets are disjoint, so counts add up.
    Both only for the VWGs of `va` and their Kreise, and for the services of `svc` (the filtered catalogue).
    """
    a, v = AreaReach, VwgReach
    kl = (
        select(dates.c.d, a.area_ars.label("area"), a.service_id)
        .join(dates, _in_force(a, dates.c.d))
        .where(a.status_group == status, a.area_ars.in_(select(va.c.area)), a.service_id.in_(select(svc.c.id)))
        .cte("kl")
    )
    vonly = (
        select(dates.c.d, v.vwg_ars.label("vwg"), v.area_ars.label("area"), v.service_id)
        .join(dates, _in_force(v, dates.c.d))
        .where(v.status_group == status, v.vwg_ars.in_(select(va.c.vwg)), v.service_id.in_(select(svc.c.id)))
        .subquery("vonly")
    )
    return kl, vonly


def _per_area(kl, vonly, va, level: Level):
    """(d, area, service_id, full): services reaching at least one VWG of a Kreis (or the Land); full = every one.

    h = how many VWGs of a Kreis have a service: all of them for Kreis/Land offers, else the count of
    VWGs offering it themselves. For the Land, h is summed over the Kreise.
    """
    parts = select(va.c.area, func.count().label("n_parts")).group_by(va.c.area).subquery("parts")
    h = union_all(
        select(kl.c.d, kl.c.area, kl.c.service_id, parts.c.n_parts.label("h")).join(parts, parts.c.area == kl.c.area),
        select(vonly.c.d, vonly.c.area, vonly.c.service_id, func.count()).group_by(
            vonly.c.d, vonly.c.area, vonly.c.service_id
        ),
    ).subquery("h")
    if level == Level.KRS:
        return (
            select(h.c.d, h.c.area, h.c.service_id, (h.c.h == parts.c.n_parts).label("full"))
            .join(parts, parts.c.area == h.c.area)
            .subquery("per")
        )
    total = select(func.sum(parts.c.n_parts)).scalar_subquery()
    return (
        select(
            h.c.d,
            literal_column("'" + LAND_ARS + "'").label("area"),
            h.c.service_id,
            (func.sum(h.c.h) == total).label("full"),
        )
        .group_by(h.c.d, h.c.service_id)
        .subquery("per")
    )


def _flags(svc, level: Level, kreis_type):
    """SUM expressions: services, Fokusleistungen, services of the unit's own catalogue."""
    if level == Level.LAN:
        own = case((svc.c.responsible_level == "Land", 1), else_=0)
    else:
        own = _own_flag(svc, kreis_type == KFS, "Kreis" if level == Level.KRS else "Gemeinde")
    return func.count(), func.sum(case((svc.c.is_focus, 1), else_=0)), func.sum(own)


def _vwg_counts(engine: Engine, svc, kl, vonly, dates, va) -> pd.DataFrame:
    """Per (d, VWG): n_services, n_focus, n_own = Kreis/Land part + the VWG's own extra part."""
    k = aliased(Region, name="k")
    n, f, o = _flags(svc, Level.VWG, k.unit_type)
    kl_agg = (
        select(kl.c.d, kl.c.area, n.label("n"), f.label("f"), o.label("o"))
        .join(svc, svc.c.id == kl.c.service_id)
        .outerjoin(k, k.ars == kl.c.area)
        .group_by(kl.c.d, kl.c.area)
        .subquery("kl_agg")
    )
    k2 = aliased(Region, name="k2")
    n, f, o = _flags(svc, Level.VWG, k2.unit_type)
    v_agg = (
        select(vonly.c.d, vonly.c.vwg, n.label("n"), f.label("f"), o.label("o"))
        .join(svc, svc.c.id == vonly.c.service_id)
        .outerjoin(k2, k2.ars == vonly.c.area)
        .group_by(vonly.c.d, vonly.c.vwg)
        .subquery("v_agg")
    )
    zero = func.coalesce
    q = (
        select(
            dates.c.d,
            va.c.vwg.label("ars"),
            (zero(kl_agg.c.n, 0) + zero(v_agg.c.n, 0)).label("n_services"),
            (zero(kl_agg.c.f, 0) + zero(v_agg.c.f, 0)).label("n_focus"),
            (zero(kl_agg.c.o, 0) + zero(v_agg.c.o, 0)).label("n_own"),
        )
        .select_from(va)
        .join(dates, true())
        .outerjoin(kl_agg, and_(kl_agg.c.d == dates.c.d, kl_agg.c.area == va.c.area))
        .outerjoin(v_agg, and_(v_agg.c.d == dates.c.d, v_agg.c.vwg == va.c.vwg))
    )
    return frame(engine, q)


def _area_counts(engine: Engine, svc, kl, vonly, va, level: Level) -> pd.DataFrame:
    """Per (d, Kreis or Land): counts flächendeckend (every VWG has it) and in mindestens einer Kommune."""
    per = _per_area(kl, vonly, va, level)
    k = aliased(Region, name="k")
    n_any, f_any, o_any = _flags(svc, level, k.unit_type)
    own_expr = (
        case((svc.c.responsible_level == "Land", 1), else_=0)
        if level == Level.LAN
        else _own_flag(svc, k.unit_type == KFS, "Kreis")
    )
    full = per.c.full
    q = (
        select(
            per.c.d,
            per.c.area.label("ars"),
            func.sum(case((full, 1), else_=0)).label("n_services"),
            func.sum(case((and_(full, svc.c.is_focus), 1), else_=0)).label("n_focus"),
            func.sum(case((full, own_expr), else_=0)).label("n_own"),
            n_any.label("n_services_any"),
            f_any.label("n_focus_any"),
            o_any.label("n_own_any"),
        )
        .join(svc, svc.c.id == per.c.service_id)
        .outerjoin(k, k.ars == per.c.area)
        .group_by(per.c.d, per.c.area)
    )
    return frame(engine, q)


def _catalogue(engine: Engine, svc) -> dict:
    with reading(engine) as c:
        row = c.execute(
            select(
                func.count(),
                func.sum(case((svc.c.is_focus, 1), else_=0)),
                *[
                    func.sum(case((svc.c.responsible_level == lvl, 1), else_=0))
                    for lvl in ("Land", "Kreis", "Gemeinde")
                ],
            )
        ).one()
    return dict(
        total=int(row[0] or 0),
        focus=int(row[1] or 0),
        Land=int(row[2] or 0),
        Kreis=int(row[3] or 0),
        Gemeinde=int(row[4] or 0),
    )


def _counts(
    engine, *, level, dates, themenfeld, model, focus_only, status, vwg_ars=None, kreis_ars=None, min_level=None
):
    svc = _services(themenfeld, model, focus_only, min_level)
    date_table = _dates(dates)
    va = _vwg_areas(Level.KRS, vwg_ars=vwg_ars, kreis_ars=kreis_ars)
    kl, vonly = _reach(svc, date_table, status, va)
    # The summary is already filtered; later joins use the plain table, whose primary key SQLite can use.
    table = OnlineService.__table__
    if level.municipal:
        return _vwg_counts(engine, table, kl, vonly, date_table, va), svc
    return _area_counts(engine, table, kl, vonly, va, level), svc


def land_services(engine: Engine, *, dates: tuple[dt.date, ...], status: str = "live") -> pd.DataFrame:
    """Per date: the online services residents can use in at least one Kommune, and whether in every one.

    The sets behind the Land's n_mindestens_eine and n_flaechendeckend (same rule, same summary tables), for the
    Übersicht's "neu live / zurückgezogen" list. Columns: d (date), service_id, full (bool).
    """
    svc = _services(None, None, False)
    date_table = _dates(dates)
    va = _vwg_areas(Level.KRS)
    kl, vonly = _reach(svc, date_table, "live" if status == "live" else "geplant", va)
    per = _per_area(kl, vonly, va, Level.LAN)
    df = frame(engine, select(per.c.d, per.c.service_id, per.c.full))
    df["d"] = pd.to_datetime(df["d"]).dt.date
    df["full"] = df["full"].astype(bool)
    return df


def availability(
    engine: Engine,
    *,
    level: Level | str,
    as_of: dt.date,
    themenfeld: str | None = None,
    model: str | None = None,
    focus_only: bool = False,
    status: str = "live",
    coverage: str = "flaechendeckend",
    min_level: int | None = None,
) -> pd.DataFrame:
    """One row per unit of `level` (GEM/VWG/KRS/LAN): online services its residents can use on `as_of`.

    status "live" counts live offers, "geplant" counts offers geplant or in Umsetzung. At KRS/LAN,
    `coverage` picks which figure fills n_services/n_focus/n_own: "flaechendeckend" (every VWG of the
    area has the service) or "mindestens_eine" (at least one); both are also returned as
    n_flaechendeckend and n_mindestens_eine. Columns: ars, name, unit_type, group, kreis_ars, kreis_name,
    population, n_services, n_focus, focus_total, share_focus, n_own, own_total, share_own
    (+ n_flaechendeckend, n_mindestens_eine, n_focus_flaechendeckend, n_focus_mindestens_eine at KRS/LAN).
    Units without any offer get 0.
    """
    try:
        level = Level(level)
    except ValueError:
        raise ValueError(f"Unbekannte Ebene: {level}") from None
    filters = dict(themenfeld=themenfeld, model=model, focus_only=focus_only, status=status, min_level=min_level)
    statuses = LIVE if status == "live" else PLANNED
    counts, svc = _counts(
        engine,
        level=level,
        dates=(as_of,),
        themenfeld=themenfeld,
        model=model,
        focus_only=focus_only,
        status="live" if status == "live" else "geplant",
        min_level=min_level,
    )
    del svc  # the denominators count the whole catalogue under the same filters, whatever the Reifegrad
    cat = _catalogue(engine, _services(themenfeld, model, focus_only, online_only=False))
    out = units(engine, level=level)
    key = "vwg_ars" if level == Level.GEM else "ars"
    counts = counts.drop(columns="d")
    if level.area:
        counts["n_flaechendeckend"], counts["n_mindestens_eine"] = counts["n_services"], counts["n_services_any"]
        counts["n_focus_flaechendeckend"], counts["n_focus_mindestens_eine"] = counts["n_focus"], counts["n_focus_any"]
        if coverage == "mindestens_eine":
            for col in ("n_services", "n_focus", "n_own"):
                counts[col] = counts[f"{col}_any"]
        counts = counts.drop(columns=["n_services_any", "n_focus_any", "n_own_any"])
    out = out.merge(counts.rename(columns={"ars": key}), on=key, how="left")
    count_cols = [c for c in counts.columns if c != "ars"]
    # A GEM without a VWG in the data stays empty (NaN) and is listed in the data-quality note.
    has_provider = pd.Series(True, index=out.index)
    if level == Level.GEM:
        has_provider = out[key].isin(units(engine, level=Level.VWG)["ars"])
    # A gemeindefreies Gebiet without residents has no figure at all (not 0): nobody lives there to use a service.
    has_provider &= out["category"] != counting.NOT_A_MUNICIPALITY
    for col in count_cols:
        out[col] = out[col].fillna(0).astype(float).where(has_provider)
    if level.area:
        share = _residents_share(engine, level, as_of, cat, **filters)
        out["share_residents"] = out["ars"].map(share) if isinstance(share, pd.Series) else share
        connections = _connections(engine, level, as_of, statuses, themenfeld, model, focus_only, min_level)
        population = out["population"].astype(float)
        if level == Level.LAN and population.isna().all():
            population = pd.Series(
                units(engine, level=Level.KRS)["population"].astype(float).sum(min_count=1), out.index
            )
        out["connections"] = out["ars"].map(connections).fillna(0)
        out["per_100k"] = out["connections"] / population * 100_000
    kfs = out["group"].str.startswith(KFS)
    if level == Level.LAN:
        own_total = pd.Series(cat["Land"], index=out.index)
    elif level == Level.KRS:
        own_total = pd.Series(cat["Kreis"], index=out.index) + kfs * cat["Gemeinde"]
    else:
        own_total = pd.Series(cat["Gemeinde"], index=out.index) + kfs * cat["Kreis"]
    out["focus_total"], out["own_total"] = cat["focus"], own_total
    out["share_focus"] = out["n_focus"] / cat["focus"] if cat["focus"] else float("nan")
    out["share_own"] = (out["n_own"] / own_total.where(own_total > 0)).astype(float)
    return out.drop(columns=["level", "parent_ars", "vwg_ars"]).reset_index(drop=True)


def _connections(engine, level, as_of, statuses, themenfeld, model, focus_only, min_level) -> pd.Series:
    """Per Kreis (or the Land): Anbindungen = (administration, online service) pairs in force, offered by the Kreis
    itself or one of its Verwaltungseinheiten (the count of "574 Fokusleistungs-Anbindungen", for any service)."""
    svc = _services(themenfeld, model, focus_only, min_level)
    offers = _offers(svc, _dates((as_of,)), statuses)
    r = aliased(Region, name="cr")
    k = aliased(Region, name="ck")
    # One administration per kreisfreie Stadt: its Verwaltungseinheit row counts as the Kreis (no double count).
    admin = case((and_(r.level == Level.VWG, k.category == "kreisfreie Stadt"), k.ars), else_=r.ars)
    pairs = (
        select((kreis_of(r) if level == Level.KRS else func.substr(r.ars, 1, 2)).label("area"), admin.label("admin"))
        .add_columns(offers.c.service_id)
        .select_from(offers)
        .join(r, r.ars == offers.c.region_ars)
        .outerjoin(k, k.ars == kreis_of(r))
        .where(r.level.in_((Level.KRS, Level.VWG)), r.category.not_in(counting.UNINCORPORATED))
        .distinct()
        .subquery("pairs")
    )
    q = select(pairs.c.area, func.count().label("n")).group_by(pairs.c.area)
    with reading(engine) as c:
        return pd.Series(dict(c.execute(q).all()), dtype=float)


def _residents_share(engine: Engine, level: Level, as_of: dt.date, cat: dict, **filters) -> pd.Series | float:
    """Population-weighted coverage of a Kreis (or the Land): the share of its residents who can use a service,
    averaged over the catalogue = Σ residents × usable services of each Verwaltungseinheit ÷ (residents ×
    catalogue). NaN unless every inhabited Verwaltungseinheit of the area has a population."""
    with reading(engine) as c:  # cheap check first: without Gemeinde populations there is nothing to weight
        known = c.scalar(
            select(func.count()).select_from(Region).where(Region.level == Level.VWG, Region.population.is_not(None))
        )
    if not known or not cat["total"]:
        return float("nan")
    vwg = availability(engine, level=Level.VWG, as_of=as_of, **filters)
    vwg = vwg.loc[vwg["category"] != counting.NOT_A_MUNICIPALITY]
    area = vwg["kreis_ars"] if level == Level.KRS else pd.Series(LAND_ARS, index=vwg.index)
    frame = pd.DataFrame({"area": area, "pop": vwg["population"], "reach": vwg["population"] * vwg["n_services"]})
    grouped = frame.groupby("area").agg(
        pop=("pop", "sum"), reach=("reach", "sum"), missing=("pop", lambda p: p.isna().sum())
    )
    share = (grouped["reach"] / (grouped["pop"] * cat["total"])).where(grouped["missing"] == 0)
    return share


def offers_meta(engine: Engine) -> dict | None:
    """Stand and source of the offer data: as_of (newest), source, is_demo (any demo offer), is_mixed (demo and
    real offers), first and last change date, offers (count)."""
    with reading(engine) as c:
        row = c.execute(
            select(
                func.max(Offer.as_of),
                func.min(Offer.source),
                func.max(case((Offer.is_demo, 1), else_=0)),
                func.min(Offer.valid_from),
                func.max(Offer.valid_from),
                func.count(),
                func.max(case((Offer.is_demo, 0), else_=1)),
            )
        ).one()
    if not row[5]:
        return None
    demo, mixed = bool(row[2]), bool(row[2]) and bool(row[6])
    return dict(
        as_of=row[0], source=row[1], is_demo=demo, is_mixed=mixed, first=row[3], last=row[4], offers=int(row[5])
    )


def key_issues(engine: Engine) -> pd.DataFrame:
    """Offers the availability rule cannot place: held by a Gemeinde (offers belong to LAN/KRS/VWG).

    One row per region: ars, name, level, offers (count).
    """
    q = (
        select(Region.ars, Region.name, Region.level, func.count().label("offers"))
        .join(Offer, Offer.region_ars == Region.ars)
        .where(Region.level.not_in((Level.LAN, Level.KRS, Level.VWG)))
        .group_by(Region.ars, Region.name, Region.level)
        .order_by(Region.ars)
    )
    return frame(engine, q)


def maturity(engine: Engine) -> pd.DataFrame:
    """The catalogue by Reifegrad: model, level (None = unbekannt), n_services, online (counts as online).

    Services without a known Reifegrad and those below the online threshold are listed, never counted silently.
    """
    q = (
        select(
            OnlineService.maturity_model,
            OnlineService.maturity_level,
            func.count().label("n_services"),
            func.sum(case((OnlineService.is_focus, 1), else_=0)).label("n_focus"),
        )
        .group_by(OnlineService.maturity_model, OnlineService.maturity_level)
        .order_by(OnlineService.maturity_model, OnlineService.maturity_level)
    )
    df = frame(engine, q)
    model = df["maturity_model"].fillna("1.x").where(df["maturity_level"].notna())
    threshold = model.map(counting.ONLINE_FROM)
    df["online"] = df["maturity_level"].notna() & (df["maturity_level"] >= threshold)
    df["maturity_model"] = model
    return df


MEASURES = {  # Measure (the query-param value) -> (column, German label, is a share)
    m: (m.column, label, m.share)
    for m, label in (
        (Measure.COUNT, "Onlinedienste"),
        (Measure.FOCUS, "Anteil Fokusleistungen"),
        (Measure.CATALOGUE, "Anteil eigener Leistungskatalog"),
    )
}
