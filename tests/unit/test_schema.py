"""Schema: Alembic head matches the models, and every table round-trips on SQLite and PostgreSQL."""

import datetime as dt
from decimal import Decimal

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from data_access.db import transaction
from data_access.models import (
    Authority,
    Base,
    EakteSnapshot,
    Epic,
    ImportLog,
    Measure,
    Offer,
    OnlineService,
    PiObjective,
    ProgramIncrement,
    Region,
    ServiceLeika,
    Team,
)

D = dt.date(2025, 3, 31)
PROV = dict(source="Test", as_of=D, is_demo=True)


def test_migrations_match_models(engine):
    with engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_round_trip_all_tables(engine):
    with transaction(engine) as s:
        s.add_all(
            [
                Region(ars="03", name="Niedersachsen", level="LAN", unit_type="Land", **PROV),
                Region(
                    ars="03151",
                    ags="03151",
                    name="Gifhorn",
                    level="KRS",
                    unit_type="Landkreis",
                    parent_ars="03",
                    kreis_ars="03151",
                    population=176523,
                    population_source="Destatis",
                    **PROV,
                ),
            ]
        )
        s.flush()
        auth = Authority(code="MI", name="Innenministerium", ministry_code="MI", **PROV)
        svc = OnlineService(
            service_key="T-1",
            name="Wohngeld",
            model="EfA",
            themenfeld="Bauen & Wohnen",
            is_focus=True,
            responsible_level="Kreis",
            maturity_level=3,
            maturity_model="1.x",
            **PROV,
        )
        team = Team(name="Team A", **PROV)
        pi = ProgramIncrement(
            number=18,
            quarter="2025-Q2",
            start_date=dt.date(2025, 4, 1),
            end_date=dt.date(2025, 6, 30),
            planning_start=dt.date(2025, 3, 18),
            planning_end=dt.date(2025, 3, 19),
            planning_place="Expowal Hannover",
            **PROV,
        )
        s.add_all([auth, svc, team, pi])
        s.flush()
        measure = s.scalars(select(Measure).where(Measure.row_key == "B.2.1")).one()
        s.add_all(
            [
                ServiceLeika(service_id=svc.id, leika_key="99000000000000"),
                Offer(service_id=svc.id, region_ars="03151", status="live", valid_from=D, **PROV),
                EakteSnapshot(authority_id=auth.id, snapshot_date=D, status="produktiv", active_users=12, **PROV),
                PiObjective(
                    objective_key="K-1",
                    pi_number=18,
                    team_id=team.id,
                    text="Ziel",
                    committed=True,
                    planned_bv=8,
                    actual_bv=Decimal("7.5"),
                    measure_id=measure.id,
                    **PROV,
                ),
                Epic(epic_key="E-1", title="Epic", stage="Review", budget_eur=Decimal("1234.50"), **PROV),
                ImportLog(
                    started_at=dt.datetime(2025, 3, 31, 12),
                    user_name="t",
                    file_name="f.csv",
                    sha256="0" * 64,
                    kind="offers",
                    rows=1,
                    result="ok",
                    message="",
                ),
            ]
        )
    with transaction(engine) as s:
        obj = s.scalars(select(PiObjective)).one()
        assert obj.actual_bv == Decimal("7.5") and obj.committed is True
        offer = s.scalars(select(Offer)).one()
        assert (offer.valid_from, offer.valid_to, offer.is_demo) == (D, None, True)
        assert s.get(Region, "03151").population == 176523
        assert s.scalars(select(Epic.budget_eur)).one() == Decimal("1234.50")


def test_migration_0002_closes_doubled_open_periods_left_by_concurrent_imports(engine):
    """A database that the old importers left with two open periods upgrades cleanly: the older one is closed."""
    from alembic import command
    from sqlalchemy import text

    from data_access.db import alembic_config
    from tests.unit.test_import import prepare

    prepare(engine)
    command.downgrade(alembic_config(engine), "0001")
    with engine.begin() as c:
        sid = c.scalar(text("SELECT id FROM online_service WHERE service_key = 'T-ELTERNGELD'"))
        for day, status in ((dt.date(2025, 1, 1), "geplant"), (dt.date(2025, 2, 1), "live")):
            c.execute(
                text(
                    "INSERT INTO offer (service_id, region_ars, status, valid_from, valid_to, source, as_of, is_demo) "
                    "VALUES (:s, '032410001', :st, :d, NULL, 'Test', :d, false)"
                ),
                {"s": sid, "st": status, "d": day},
            )
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as c:
        periods = c.execute(text("SELECT status, valid_from, valid_to FROM offer ORDER BY valid_from")).all()
    assert [(p.status, str(p.valid_to)) for p in periods] == [("geplant", "2025-02-01"), ("live", "None")]
