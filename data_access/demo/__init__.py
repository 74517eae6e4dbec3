"""Deterministic synthetic operational data (Beispieldaten), consistent with the published DVN figures."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable

from sqlalchemy import Engine, exists, insert, select
from sqlalchemy.orm import Session

from data_access import counting, summary
from data_access.db import refresh_statistics, transaction
from data_access.demo import catalogue, eakte, pi, services
from data_access.demo.remove import delete_demo_rows
from data_access.models import (
    Authority,
    EakteSnapshot,
    Epic,
    Measure,
    Offer,
    OnlineService,
    PiObjective,
    ProgramIncrement,
    Region,
    ServiceUsage,
    Team,
)
from data_access.units import Level
from data_access.version import bump
from formatting import num

SOURCE = "Beispieldaten (synthetisch, DVN-Dashboard)"
SEED = 20250318
OPERATIONAL = (Authority, EakteSnapshot, OnlineService, Offer, ServiceUsage, PiObjective, Epic)
# Every programme table a real row can come to (imports); a real row in any of them stops automatic seeding.
PROGRAMME = {
    Authority: "Behörden",
    EakteSnapshot: "eAkte-Stichtage",
    OnlineService: "Onlinedienste",
    Offer: "Angebote",
    ServiceUsage: "Nutzungszahlen",
    PiObjective: "PI-Ziele",
    Epic: "Epics",
    Team: "Teams",
    ProgramIncrement: "Program Increments",
}
BATCH = 20_000

__all__ = ["SEED", "SOURCE", "has_operational_data", "real_tables", "seed"]


def has_operational_data(engine: Engine) -> bool:
    """True when any operational table (authorities, eAkte, services, offers, PI objectives, epics) has rows."""
    with engine.connect() as c:
        return any(c.scalar(select(exists().select_from(model))) for model in OPERATIONAL)


def real_tables(engine: Engine) -> list[str]:
    """The programme tables (authorities, eAkte, services, offers, PI objectives, epics, teams, PIs) that hold at
    least one real (is_demo = false) row, by their German names."""
    with engine.connect() as c:
        return [label for m, label in PROGRAMME.items() if c.scalar(select(exists().where(~m.is_demo)))]


def _rng(master: random.Random, area: str) -> random.Random:
    # One stream per area, derived from the fixed seed: a change in one area leaves the others as they were.
    return random.Random(f"{master.random()}/{area}")


def _insert_missing(s: Session, model, key: str, rows: list[dict]) -> dict:
    """Insert rows whose natural key is not taken yet; return {key: primary key} for all of them."""
    column = getattr(model, key)
    pk = model.__mapper__.primary_key[0]
    taken = set(s.scalars(select(column)))
    new = [r for r in rows if r[key] not in taken]
    if new:
        s.execute(insert(model), new)
    return dict(s.execute(select(column, pk).where(column.in_([r[key] for r in rows]))).all())


def _bulk(s: Session, model, rows: Iterable[dict]) -> int:
    """Insert in batches through Core (the ORM bulk path is noticeably slower for millions of rows)."""
    n, buf = 0, []
    for r in rows:
        buf.append(r)
        if len(buf) >= BATCH:
            s.execute(model.__table__.insert(), buf)
            n, buf = n + len(buf), []
    if buf:
        s.execute(model.__table__.insert(), buf)
        n += len(buf)
    return n


def _live(s: Session) -> list[services.LivePeriod]:
    """The demo offers' live periods since services.USAGE_FIRST of the services whose platforms report usage."""
    q = (
        select(
            Offer.service_id,
            OnlineService.name,
            OnlineService.is_focus,
            Offer.region_ars,
            Offer.valid_from,
            Offer.valid_to,
        )
        .join(OnlineService, OnlineService.id == Offer.service_id)
        .where(
            Offer.is_demo,
            OnlineService.is_demo,
            Offer.status == "live",
            (Offer.valid_to.is_(None)) | (Offer.valid_to > services.USAGE_FIRST),
            OnlineService.is_focus | OnlineService.model.in_(services.USAGE_MODELS),
        )
    )
    return [services.LivePeriod(*r) for r in s.execute(q)]


def _population(s: Session) -> dict[str, float]:
    rows = s.execute(select(Region.ars, Region.level, Region.kreis_ars, Region.population, Region.category))
    return services.demo_population([tuple(r) for r in rows])


def seed(engine: Engine, *, scale: int = 1) -> str:
    """Replace all demo rows by a fresh, deterministic demo data set in one transaction.

    Rows are flagged is_demo=True with source SOURCE; rows without the flag are never changed.
    `scale` multiplies the online services (load-test copies DEMO-S2-… without focus flag) and their offers.
    Offers go to whatever KRS/VWG regions exist; without them only Land-level offers are made.
    Returns a one-line German summary.
    """
    if scale < 1:
        raise ValueError("scale muss mindestens 1 sein")
    started = time.perf_counter()
    master = random.Random(SEED)
    rngs = {
        area: _rng(master, area) for area in ("eakte", "pi", "epics", "services", "units", "offers", "focus", "usage")
    }
    with transaction(engine) as s:
        if engine.dialect.name == "sqlite":
            # The offer indexes outgrow SQLite's default 2 MB page cache at scale 10; more cache avoids thrashing.
            s.connection().exec_driver_sql("PRAGMA cache_size = -262144")
        delete_demo_rows(s, "alle")  # earlier demo rows; demo master rows still used by real rows stay

        authorities, snapshots = eakte.build(rngs["eakte"], SOURCE)
        authority_ids = _insert_missing(s, Authority, "code", authorities)
        taken = set(s.execute(select(EakteSnapshot.authority_id, EakteSnapshot.snapshot_date)))
        for r in snapshots:
            r["authority_id"] = authority_ids[r.pop("_code")]
        n_snap = _bulk(s, EakteSnapshot, (r for r in snapshots if (r["authority_id"], r["snapshot_date"]) not in taken))

        measure_ids = dict(s.execute(select(Measure.row_key, Measure.id)).all())
        pis = pi.pi_rows(SOURCE)
        _insert_missing(s, ProgramIncrement, "number", pis)
        team_ids_by_name = _insert_missing(s, Team, "name", pi.team_rows(SOURCE, pis[-1]["planning_end"]))
        team_ids = [team_ids_by_name[name] for name, _m in catalogue.TEAMS]
        objectives = pi.objective_rows(rngs["pi"], pis, team_ids, measure_ids, SOURCE)
        taken_keys = set(s.scalars(select(PiObjective.objective_key)))
        n_obj = _bulk(s, PiObjective, (r for r in objectives if r["objective_key"] not in taken_keys))
        epics = pi.epic_rows(rngs["epics"], measure_ids, SOURCE, pis[-1]["planning_end"])
        taken_keys = set(s.scalars(select(Epic.epic_key)))
        n_epic = _bulk(s, Epic, (r for r in epics if r["epic_key"] not in taken_keys))

        service_rows = services.service_rows(rngs["services"], SOURCE, scale)
        service_ids = _insert_missing(s, OnlineService, "service_key", service_rows)
        ours = set(s.scalars(select(OnlineService.service_key).where(OnlineService.is_demo)))
        for r in service_rows:
            r["id"] = service_ids[r["service_key"]]
        service_rows = [r for r in service_rows if r["service_key"] in ours]

        regions = s.execute(
            select(Region.ars, Region.level, Region.kreis_ars)
            # Gemeindefreie Gebiete have no administration: they offer nothing (docs/ZAEHLREGELN.md).
            .where(Region.level.in_((Level.KRS, Level.VWG)), Region.category.not_in(counting.UNINCORPORATED))
            .order_by(Region.ars)
        ).all()
        land = s.scalar(select(Region.ars).where(Region.ars == "03"))
        unit_list = services.units(rngs["units"], list(regions))
        n_offer = 0
        if land is not None or unit_list:
            n_offer += _bulk(s, Offer, services.focus_offers(rngs["focus"], service_rows, unit_list, SOURCE))
            n_offer += _bulk(
                s,
                Offer,
                (
                    r
                    for rows in services.general_offers(
                        rngs["offers"], service_rows, unit_list, land, authority_ids, SOURCE
                    )
                    for r in rows
                ),
            )
        n_usage = _bulk(s, ServiceUsage, services.usage_rows(rngs["usage"], _live(s), _population(s), SOURCE))
        summary.refresh(s)
        bump(s)

    refresh_statistics(engine)
    n_krs = sum(1 for u in unit_list if u.level == Level.KRS)
    if unit_list:
        offers = (
            f"{num(n_offer)} Angebotszeilen für {n_krs} Kreise und {len(unit_list) - n_krs} Verwaltungsgemeinschaften"
        )
    elif land is not None:
        offers = f"{num(n_offer)} Angebotszeilen nur auf Landesebene (keine Kreise/Verwaltungsgemeinschaften geladen)"
    else:
        offers = "keine Angebote (Gebietsgrenzen fehlen, zuerst python -m geo build)"
    return (
        f"Beispieldaten geladen in {num(time.perf_counter() - started, 1)} s: {len(authorities)} Behörden, "
        f"{num(n_snap)} eAkte-Stände, {len(pis)} PIs mit {num(n_obj)} Zielen, {n_epic} Epics, "
        f"{num(len(service_rows))} Onlinedienste, {offers}, {num(n_usage)} Nutzungszahlen (Monatswerte)."
    )
