"""Demo data: deterministic, flagged as Beispieldaten, never touching real rows, reproducing the published figures."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from data_access import demo
from data_access.db import transaction
from data_access.models import (
    THEMENFELDER,
    Authority,
    EakteSnapshot,
    Epic,
    Offer,
    OnlineService,
    PiObjective,
    ProgramIncrement,
    Region,
    ServiceLeika,
    Team,
)
from geo.build import build_boundaries
from tests.fixtures.make_bkg_zip import make_zip

D = dt.date
DEMO_TABLES = (Authority, EakteSnapshot, OnlineService, Offer, ProgramIncrement, Team, PiObjective, Epic)
MINISTRIES = ("StK", "MI", "MF", "MS", "MK", "MWK", "MW", "ML", "MU", "MJ", "MB")


def _rows(engine, *columns, where=None):
    stmt = select(*columns)
    if where is not None:
        stmt = stmt.where(where)
    with engine.connect() as c:
        return c.execute(stmt).all()


def _objects(engine, model) -> list:
    with Session(engine) as s:
        return list(s.scalars(select(model)))


def _users(engine, day: dt.date) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.sum(EakteSnapshot.active_users)).where(EakteSnapshot.snapshot_date == day))


def _in_force(day: dt.date):
    return (Offer.valid_from <= day) & (Offer.valid_to.is_(None) | (Offer.valid_to > day))


def _focus_live(engine, day: dt.date) -> list[tuple[int, str]]:
    """(service_id, region_ars) of live focus offers at KRS/VWG units on a day."""
    with engine.connect() as c:
        return c.execute(
            select(Offer.service_id, Offer.region_ars)
            .join(OnlineService, OnlineService.id == Offer.service_id)
            .join(Region, Region.ars == Offer.region_ars)
            .where(OnlineService.is_focus, Offer.status == "live", Region.level.in_(("KRS", "VWG")), _in_force(day))
        ).all()


def _municipal_units(engine) -> int:
    with engine.connect() as c:
        # Administrations only: the 25 gemeindefreie Gebiete have none (docs/ZAEHLREGELN.md).
        return c.scalar(
            select(func.count())
            .select_from(Region)
            .where(Region.level.in_(("KRS", "VWG")), Region.category.not_in(("gemeindefrei", "gemeindefrei bewohnt")))
        )


def fingerprint(engine) -> dict:
    """Counts per table plus a hash over the content that matters (independent of generated ids)."""
    out = {}
    with engine.connect() as c:
        for model in DEMO_TABLES:
            out[model.__tablename__] = c.scalar(select(func.count()).select_from(model))
        out["users"] = c.scalar(select(func.sum(EakteSnapshot.active_users)))
        out["actual_bv"] = c.scalar(select(func.sum(PiObjective.actual_bv)))
        offers = c.execute(
            select(OnlineService.service_key, Offer.region_ars, Offer.status, Offer.valid_from, Offer.valid_to)
            .join(OnlineService, OnlineService.id == Offer.service_id)
            .order_by(OnlineService.service_key, Offer.region_ars, Offer.valid_from)
        ).all()
        objectives = c.execute(
            select(PiObjective.objective_key, PiObjective.text, PiObjective.planned_bv, PiObjective.actual_bv).order_by(
                PiObjective.objective_key
            )
        ).all()
    out["offers"] = hashlib.sha256(repr(offers).encode()).hexdigest()
    out["objectives"] = hashlib.sha256(
        repr([(k, t, p, float(a) if a is not None else None) for k, t, p, a in objectives]).encode()
    ).hexdigest()
    return out


@pytest.fixture
def bounded_engine(engine, tmp_path):
    """A fresh database with the tiny fixture boundaries (2 Kreise, 4 VWG), no demo rows yet: fast to seed twice."""
    build_boundaries(str(make_zip(tmp_path / "bkg.zip")), engine=engine, out_dir=tmp_path / "geo")
    return engine


# --- published figures (session demo database) ---------------------------------------------------------------


def test_eakte_reproduces_published_user_figures(demo_engine):
    assert _users(demo_engine, D(2022, 5, 31)) == 5713
    assert _users(demo_engine, D(2024, 11, 30)) == 20000
    assert _users(demo_engine, D(2025, 1, 31)) == 21000
    assert 21000 <= _users(demo_engine, D(2025, 3, 31)) <= 21500


def test_eakte_stand_march_2025_is_41_of_53(demo_engine):
    rows = _rows(
        demo_engine,
        EakteSnapshot.status,
        EakteSnapshot.planned_workplaces,
        EakteSnapshot.planned_go_live,
        where=EakteSnapshot.snapshot_date == D(2025, 3, 31),
    )
    assert len(rows) == 53
    status = Counter(r.status for r in rows)
    assert status["produktiv"] == 41
    assert status["in Einführung"] > 0 and status["geplant"] > 0
    assert 29000 <= sum(r.planned_workplaces or 0 for r in rows) <= 31000
    assert sum(r.planned_workplaces is None for r in rows) == 1
    behind = [r for r in rows if r.status != "produktiv" and r.planned_go_live and r.planned_go_live < D(2025, 3, 31)]
    assert behind, "some rollouts must be behind plan for the page to highlight"
    with demo_engine.connect() as c:
        last = c.scalar(select(func.max(EakteSnapshot.snapshot_date)))
        first = c.scalar(select(func.min(EakteSnapshot.snapshot_date)))
    assert (first, last) == (D(2021, 3, 31), D(2025, 3, 31))


def test_eakte_ministries_productive_before_ndig_deadline(demo_engine):
    with demo_engine.connect() as c:
        rows = c.execute(
            select(Authority.code, EakteSnapshot.status)
            .join(EakteSnapshot, EakteSnapshot.authority_id == Authority.id)
            .where(EakteSnapshot.snapshot_date == D(2022, 12, 31), Authority.code.in_(MINISTRIES))
        ).all()
    assert sorted(r.code for r in rows) == sorted(MINISTRIES)
    assert {r.status for r in rows} == {"produktiv"}


def test_eakte_users_never_shrink_and_stay_within_planned_workplaces(demo_engine):
    series = defaultdict(list)
    for r in _rows(
        demo_engine,
        EakteSnapshot.authority_id,
        EakteSnapshot.snapshot_date,
        EakteSnapshot.active_users,
        EakteSnapshot.planned_workplaces,
        EakteSnapshot.status,
    ):
        series[r.authority_id].append(r)
    for rows in series.values():
        rows.sort(key=lambda r: r.snapshot_date)
        users = [r.active_users for r in rows]
        assert users == sorted(users)
        assert all(r.active_users <= (r.planned_workplaces or 0) for r in rows)
        assert all(r.active_users == 0 for r in rows if r.status == "geplant")


def test_pi18_matches_the_published_planning(demo_engine):
    with demo_engine.connect() as c:
        pi = c.execute(select(ProgramIncrement).where(ProgramIncrement.number == 18)).one()
        objectives = c.execute(select(PiObjective).where(PiObjective.pi_number == 18)).all()
    assert pi.quarter == "2025-Q2"
    assert (pi.start_date, pi.end_date) == (D(2025, 4, 1), D(2025, 6, 30))
    assert (pi.planning_start, pi.planning_end, pi.planning_place) == (
        D(2025, 3, 18),
        D(2025, 3, 19),
        "Expowal Hannover",
    )
    assert len(objectives) == 105
    assert len({o.team_id for o in objectives}) == 16
    assert all(o.objective_key.startswith("PI18-T") for o in objectives)


def test_pis_are_quarterly_and_only_the_running_pi_is_unscored(demo_engine):
    with demo_engine.connect() as c:
        pis = c.execute(select(ProgramIncrement).order_by(ProgramIncrement.number)).all()
        unscored = c.execute(
            select(PiObjective.pi_number, func.count())
            .where(PiObjective.actual_bv.is_(None))
            .group_by(PiObjective.pi_number)
        ).all()
        pi24 = c.scalar(select(func.count()).select_from(PiObjective).where(PiObjective.pi_number == 24))
    assert [p.number for p in pis] == list(range(1, 25))
    assert (pis[0].quarter, pis[-1].quarter) == ("2021-Q1", "2026-Q4")
    for p in pis:
        assert D(2026, 11, 22) > p.planning_end or p.number == 24
        assert dt.timedelta(days=12) <= p.start_date - p.planning_start <= dt.timedelta(days=21)
        assert p.planning_place in ("online", "hybrid") or p.number == 18
    assert unscored == [(24, pi24)]


def test_predictability_varies_realistically(demo_engine):
    rows = _rows(
        demo_engine,
        PiObjective.pi_number,
        PiObjective.team_id,
        PiObjective.committed,
        PiObjective.planned_bv,
        PiObjective.actual_bv,
        where=PiObjective.pi_number < 24,
    )
    actual, planned = defaultdict(Decimal), defaultdict(int)
    team_actual, team_planned = defaultdict(Decimal), defaultdict(int)
    for r in rows:
        assert r.planned_bv is None or 1 <= r.planned_bv <= 10
        assert 0 <= r.actual_bv <= 10
        actual[r.pi_number] += r.actual_bv
        team_actual[(r.pi_number, r.team_id)] += r.actual_bv
        if r.committed:
            planned[r.pi_number] += r.planned_bv or 0
            team_planned[(r.pi_number, r.team_id)] += r.planned_bv or 0
    programme = [float(actual[n] / planned[n]) for n in sorted(planned)]
    assert all(0.68 <= p <= 1.06 for p in programme)
    assert max(programme) - min(programme) > 0.2
    teams = [float(team_actual[k] / team_planned[k]) for k in team_planned if team_planned[k]]
    assert any(t < 0.8 for t in teams) and any(t > 1.0 for t in teams)
    share = sum(r.committed for r in rows) / len(rows)
    assert 0.75 <= share <= 0.85


def test_objectives_link_measures_and_carry_two_quality_cases_in_old_pis(demo_engine):
    rows = _rows(
        demo_engine,
        PiObjective.pi_number,
        PiObjective.team_id,
        PiObjective.text,
        PiObjective.planned_bv,
        PiObjective.measure_id,
    )
    missing = [r for r in rows if r.planned_bv is None]
    assert len(missing) == 1 and missing[0].pi_number < 18
    dupes = [k for k, n in Counter((r.pi_number, r.team_id, r.text) for r in rows).items() if n > 1]
    assert len(dupes) == 1 and dupes[0][0] < 18
    linked = sum(r.measure_id is not None for r in rows) / len(rows)
    assert 0.75 < linked < 0.97


def test_service_catalogue(demo_engine):
    services = _objects(demo_engine, OnlineService)
    assert 230 <= len(services) <= 270
    focus = [s for s in services if s.is_focus]
    assert len(focus) == 16
    assert {"Elterngeld", "Ummeldung", "Personalausweis", "Kfz-Zulassung"} <= {s.name for s in focus}
    assert all(s.name.endswith("(Beispiel)") for s in focus if s.name.startswith("Fokusleistung"))
    assert {s.themenfeld for s in services} == set(THEMENFELDER)
    assert {s.model for s in services} == {"EfA", "WfU", "Kommune", "Land"}
    assert {s.responsible_level for s in services} == {"Land", "Kreis", "Gemeinde"}
    assert all(s.service_key.startswith("DEMO-") for s in services)
    for s in services:
        top = 4 if s.maturity_model == "1.x" else 7
        assert 0 <= s.maturity_level <= top
    assert {s.maturity_model for s in services} == {"1.x", "2.0"}
    with demo_engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(ServiceLeika)) == 0  # inventing LeiKa keys is forbidden


def test_epics_cover_all_stages(demo_engine):
    epics = _objects(demo_engine, Epic)
    assert 25 <= len(epics) <= 35
    assert {e.stage for e in epics} == {"Ideenspeicher", "Review", "Analyse", "Auftragspeicher", "in Umsetzung"}
    assert all(e.owner for e in epics)
    assert sum(e.measure_id is not None for e in epics) > 20


def test_every_row_is_flagged_demo_with_its_source(demo_engine):
    with demo_engine.connect() as c:
        for model in DEMO_TABLES:
            assert c.scalar(select(func.count()).select_from(model)) > 0, model.__tablename__
            flagged = c.scalar(
                select(func.count()).select_from(model).where(model.is_demo, model.source == demo.SOURCE)
            )
            assert flagged == c.scalar(select(func.count()).select_from(model)), model.__tablename__
        assert c.scalar(select(func.count()).select_from(Region).where(Region.is_demo)) == 0


def test_offer_histories_are_consistent_periods(demo_engine):
    rows = _rows(
        demo_engine,
        Offer.service_id,
        Offer.region_ars,
        Offer.authority_id,
        Offer.status,
        Offer.valid_from,
        Offer.valid_to,
        Region.level,
        OnlineService.responsible_level,
        where=(Region.ars == Offer.region_ars) & (OnlineService.id == Offer.service_id),
    )
    assert rows
    by_pair = defaultdict(list)
    for r in rows:
        assert D(2019, 1, 1) <= r.valid_from <= D(2025, 12, 31)
        assert {"Land": "LAN", "Kreis": "KRS", "Gemeinde": "VWG"}[r.responsible_level] == r.level
        assert (r.authority_id is not None) == (r.level == "LAN")
        by_pair[(r.service_id, r.region_ars)].append(r)
    for periods in by_pair.values():
        periods.sort(key=lambda r: r.valid_from)
        for a, b in zip(periods, periods[1:], strict=False):
            assert a.valid_to == b.valid_from and a.status != b.status
        assert periods[-1].valid_to is None


def test_focus_shares_follow_the_published_path(demo_engine):
    units = _municipal_units(demo_engine)
    q1 = {ars for _s, ars in _focus_live(demo_engine, D(2025, 3, 31))}
    q2 = {ars for _s, ars in _focus_live(demo_engine, D(2025, 6, 30))}
    assert len(q1) == round(0.15 * units)
    assert len(q2) == round(0.20 * units)
    assert q1 <= q2


def test_real_boundaries_give_574_focus_connections(demo_engine):
    if _municipal_units(demo_engine) != 450:
        pytest.skip("needs the real VG5000 boundaries (env BOUNDARIES)")
    assert len(_focus_live(demo_engine, D(2025, 12, 31))) == 574
    share = len({ars for _s, ars in _focus_live(demo_engine, D(2025, 3, 31))}) / 450
    assert share == pytest.approx(0.15, abs=0.005)
    with demo_engine.connect() as c:
        offers = c.scalar(select(func.count()).select_from(Offer))
    assert 50_000 <= offers <= 150_000


# --- behaviour of seed() on fresh databases ---------------------------------------------------------------------


def test_seed_is_deterministic_and_replaces_only_demo_rows(bounded_engine):
    engine = bounded_engine
    with transaction(engine) as s:
        real = Authority(code="REAL", name="Echte Behörde", ministry_code="MI", source="Import", as_of=D(2025, 1, 1))
        service = OnlineService(
            service_key="REAL-1",
            name="Echter Dienst",
            model="Land",
            themenfeld="Querschnitt",
            responsible_level="Land",
            source="Import",
            as_of=D(2025, 1, 1),
        )
        s.add_all([real, service])
        s.flush()
        s.add(
            Offer(
                service_id=service.id,
                region_ars="03",
                authority_id=real.id,
                status="live",
                valid_from=D(2024, 1, 1),
                source="Import",
                as_of=D(2025, 1, 1),
            )
        )
        s.add(
            EakteSnapshot(
                authority_id=real.id,
                snapshot_date=D(2025, 3, 31),
                status="produktiv",
                active_users=7,
                source="Import",
                as_of=D(2025, 3, 31),
            )
        )
    assert demo.has_operational_data(engine)

    summary = demo.seed(engine)
    first = fingerprint(engine)
    demo.seed(engine)
    assert fingerprint(engine) == first
    assert "Beispieldaten" in summary and "\n" not in summary

    with engine.connect() as c:
        real_rows = c.execute(select(Offer.status, Offer.valid_from).where(~Offer.is_demo)).all()
        real_users = c.scalar(select(EakteSnapshot.active_users).where(~EakteSnapshot.is_demo))
        real_names = set(c.scalars(select(Authority.name).where(~Authority.is_demo)))
    assert real_rows == [("live", D(2024, 1, 1))]
    assert real_users == 7
    assert real_names == {"Echte Behörde"}
    assert (
        first["authority"] == 54 and first["online_service"] == 239
    )  # 238 demo services (Kinderreisepass, Optionsverfahren gone) + 1 real


def test_seed_without_municipal_boundaries_makes_land_offers_only(engine):
    assert not demo.has_operational_data(engine)
    with transaction(engine) as s:
        s.execute(
            insert(Region),
            [dict(ars="03", name="Niedersachsen", level="LAN", unit_type="Land", source="BKG", as_of=D(2021, 1, 1))],
        )
    summary = demo.seed(engine)
    assert "nur auf Landesebene" in summary
    assert demo.has_operational_data(engine)
    with engine.connect() as c:
        regions = set(c.scalars(select(Offer.region_ars).distinct()))
        objectives = c.scalar(select(func.count()).select_from(PiObjective))
    assert regions == {"03"}
    assert objectives > 1000
    assert _users(engine, D(2025, 1, 31)) == 21000


def test_scale_adds_load_copies_without_new_focus_services(bounded_engine):
    base = demo.seed(bounded_engine)
    with bounded_engine.connect() as c:
        offers_1 = c.scalar(select(func.count()).select_from(Offer))
    demo.seed(bounded_engine, scale=2)
    with bounded_engine.connect() as c:
        keys = set(c.scalars(select(OnlineService.service_key)))
        focus = c.scalar(select(func.count()).select_from(OnlineService).where(OnlineService.is_focus))
        offers_2 = c.scalar(select(func.count()).select_from(Offer))
    assert "DEMO-S2-0001" in keys and len(keys) == 476  # 2 × 238
    assert focus == 16
    assert offers_2 > 1.6 * offers_1
    assert base
    with pytest.raises(ValueError, match="scale"):
        demo.seed(bounded_engine, scale=0)


def test_seed_without_any_boundaries_still_seeds_the_other_areas(engine):
    summary = demo.seed(engine)
    assert "keine Angebote" in summary
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Offer)) == 0
        assert c.scalar(select(func.count()).select_from(OnlineService).where(OnlineService.is_focus)) == 16
    assert _users(engine, D(2024, 11, 30)) == 20000


def _has_planner_statistics(engine, table: str) -> bool:
    """Whether the database has optimizer statistics for `table` (SQLite: sqlite_stat1, PostgreSQL: pg_stats)."""
    from sqlalchemy import inspect, text

    with engine.connect() as c:
        if engine.dialect.name == "sqlite":
            if not inspect(c).has_table("sqlite_stat1"):
                return False
            return bool(c.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}).scalar())
        return bool(c.execute(text("SELECT count(*) FROM pg_stats WHERE tablename = :t"), {"t": table}).scalar())


def test_seed_leaves_fresh_planner_statistics(demo_engine):
    # Without them a freshly seeded PostgreSQL planned the map's availability query for minutes (nested loops).
    from data_access.models import Offer, Region

    assert _has_planner_statistics(demo_engine, Offer.__tablename__)
    assert _has_planner_statistics(demo_engine, Region.__tablename__)
