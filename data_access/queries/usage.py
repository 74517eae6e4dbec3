"""Usage figures (Nutzungszahlen): applications per online service and month, per 1.000 residents of the offering
unit, and the offers that are live but hardly used (counting.HARDLY_USED_*; docs/ZAEHLREGELN.md).

Usage is reported by the unit that offers the service (Land, Kreis or VWG, like the offers): a Kreis's figure is
the use by all residents it serves, so "per 1.000 residents" divides by the offering unit's population.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, and_, case, func, or_, select

from data_access import counting, periods
from data_access.models import Offer, OnlineService, Region, ServiceUsage
from data_access.queries.regions import KFS
from data_access.read import frame, row, scalar
from data_access.units import Level, Unit


def usage_meta(engine: Engine) -> dict | None:
    """Stand and source of the usage figures: as_of (newest), source, is_demo (any demo row), is_mixed (demo and
    real rows), first and last month, rows (count); None without any usage row."""
    u = ServiceUsage
    r = row(
        engine,
        select(
            func.max(u.as_of),
            func.min(u.source),
            func.max(case((u.is_demo, 1), else_=0)),
            func.max(case((u.is_demo, 0), else_=1)),
            func.min(u.month),
            func.max(u.month),
            func.count(),
        ),
    )
    if not r or not r[6]:
        return None
    demo = bool(r[2])
    return dict(as_of=r[0], source=r[1], is_demo=demo, is_mixed=demo and bool(r[3]), first=r[4], last=r[5], rows=r[6])


def usage_services(engine: Engine) -> pd.DataFrame:
    """The services with usage figures, most used first: service_key, name, transactions (all months, all units)."""
    q = (
        select(OnlineService.service_key, OnlineService.name, func.sum(ServiceUsage.transactions).label("transactions"))
        .join(ServiceUsage, ServiceUsage.service_id == OnlineService.id)
        .group_by(OnlineService.service_key, OnlineService.name)
        .order_by(func.sum(ServiceUsage.transactions).desc(), OnlineService.name)
    )
    return frame(engine, q)


def monthly(
    engine: Engine, *, service_key: str | None = None, ars: str | tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Month by month: applications of one service (`service_key`) and/or at offering units (`ars`), summed.

    One row per reported month: month (first day), transactions, units (offering units with a figure),
    services (services with a figure).
    """
    u = ServiceUsage
    q = select(
        u.month,
        func.sum(u.transactions).label("transactions"),
        func.count(func.distinct(u.region_ars)).label("units"),
        func.count(func.distinct(u.service_id)).label("services"),
    ).group_by(u.month)
    if service_key is not None:
        q = q.join(OnlineService, OnlineService.id == u.service_id).where(OnlineService.service_key == service_key)
    if ars is not None:
        q = q.where(u.region_ars.in_(_keys(ars)))
    df = frame(engine, q.order_by(u.month))
    df["month"] = pd.to_datetime(df["month"]).dt.date
    return df


def _keys(ars: str | tuple[str, ...]) -> tuple[str, ...]:
    return (ars,) if isinstance(ars, str) else tuple(ars)


def window_bounds(last_month: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the HARDLY_USED_MONTHS calendar months ending with `last_month` (07/2025: 01.02.–31.07.)."""
    first = periods.add_months(last_month.replace(day=1), -(counting.HARDLY_USED_MONTHS - 1))
    return first, periods.month_end(last_month.year, last_month.month)


def window(
    engine: Engine,
    *,
    last_month: dt.date | None = None,
    service_key: str | None = None,
    ars: str | tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Per (service, offering unit) with figures in the window of the last HARDLY_USED_MONTHS months up to
    `last_month` (default: the newest reported month): the use, relative to residents, and the hardly-used rule.

    Columns: service_key, service_name, ars, name, level, population (of the offering unit; the Land: the sum of
    its Kreise), transactions (in the window), months (reported months in it), live_since (start of the live
    period in force at the window's end, else None), per_1000 (transactions per 1.000 residents; NaN without a
    population), hardly_used (True/False; None when not live for the whole window or a month is not reported).
    Empty without usage figures.
    """
    cols = [
        "service_key",
        "service_name",
        "ars",
        "name",
        "level",
        "population",
        "transactions",
        "months",
        "live_since",
        "per_1000",
        "hardly_used",
    ]
    if last_month is None:
        last_month = scalar(engine, select(func.max(ServiceUsage.month)))
        if last_month is None:
            return pd.DataFrame(columns=cols)
    first, last = window_bounds(last_month)
    u = ServiceUsage
    per = select(
        u.service_id, u.region_ars, func.sum(u.transactions).label("transactions"), func.count().label("months")
    ).where(u.month >= first, u.month <= last)
    if ars is not None:
        per = per.where(u.region_ars.in_(_keys(ars)))
    if service_key is not None:
        per = per.where(u.service_id.in_(select(OnlineService.id).where(OnlineService.service_key == service_key)))
    per = per.group_by(u.service_id, u.region_ars).subquery("per")
    live = and_(
        Offer.service_id == per.c.service_id,
        Offer.region_ars == per.c.region_ars,
        Offer.status == "live",
        Offer.valid_from <= last,
        or_(Offer.valid_to.is_(None), Offer.valid_to > last),
    )
    q = (
        select(
            OnlineService.service_key,
            OnlineService.name.label("service_name"),
            Region.ars,
            Region.name,
            Region.level,
            Region.population,
            per.c.transactions,
            per.c.months,
            Offer.valid_from.label("live_since"),
        )
        .select_from(per)
        .join(OnlineService, OnlineService.id == per.c.service_id)
        .join(Region, Region.ars == per.c.region_ars)
        .outerjoin(Offer, live)
        .order_by(OnlineService.name, Region.ars)
    )
    df = frame(engine, q)
    if df.empty:
        return pd.DataFrame(columns=cols)
    land = df["level"] == Level.LAN
    if (land & df["population"].isna()).any():
        kreise = scalar(engine, select(func.sum(Region.population)).where(Region.level == Level.KRS))
        df.loc[land & df["population"].isna(), "population"] = kreise
    df["population"] = df["population"].astype(float)
    df["transactions"] = df["transactions"].astype(int)
    df["live_since"] = pd.to_datetime(df["live_since"]).dt.date.where(df["live_since"].notna(), None)
    df["per_1000"] = df["transactions"] * 1000 / df["population"].where(df["population"] > 0)
    df["hardly_used"] = [
        hardly_used(t, p, live_since=s, months=m, window_start=first)
        for t, p, s, m in zip(df["transactions"], df["population"], df["live_since"], df["months"], strict=True)
    ]
    return df[cols]


def hardly_used(
    transactions: int, population: float | None, *, live_since: dt.date | None, months: int, window_start: dt.date
) -> bool | None:
    """The rule "live, aber kaum genutzt" for one offer (counting.HARDLY_USED_*).

    None (not judged) unless the offer was live from the window's first day on (live for the whole window of
    HARDLY_USED_MONTHS months, exactly six included) and every month of it has a figure; then True when the use
    is below the threshold: per 1.000 residents where the population is known, else in absolute applications.
    """
    if live_since is None or live_since > window_start or months < counting.HARDLY_USED_MONTHS:
        return None
    if population is not None and population == population and population > 0:
        return transactions * 1000 / population < counting.HARDLY_USED_PER_1000
    return transactions < counting.HARDLY_USED_BELOW


def offering_units(engine: Engine, *, unit: Unit) -> tuple[str, ...]:
    """The offering units whose usage a Steckbrief shows: a Gemeinde's Verwaltungseinheit, else the unit itself.

    A kreisfreie Stadt does Kreis and Gemeinde tasks, with offers at its Kreis row and at its Verwaltungseinheit:
    every Steckbrief of the city shows both (Kreis first).
    """
    if unit.level == Level.KRS and unit.unit_type == KFS:
        vwgs = frame(engine, select(Region.ars).where(Region.parent_ars == unit.ars, Region.level == Level.VWG))
        return (unit.ars, *sorted(vwgs["ars"]))
    if unit.level.municipal and (unit.group or "").startswith(KFS) and unit.kreis_ars and unit.vwg_ars:
        return (unit.kreis_ars, unit.vwg_ars)
    own = unit.vwg_ars if unit.level == Level.GEM else unit.ars
    return (own,) if own else ()
