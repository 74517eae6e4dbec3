"""Removing the Beispieldaten (python -m data_access demo remove): per area, dry run, all-or-nothing, real rows and the
master rows they use untouched, logged, and no automatic seeding afterwards (SQLite and, with DATABASE_URL,
PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from data_access import cli, demo
from data_access.db import transaction
from data_access.demo import remove
from data_access.models import (
    Authority,
    EakteSnapshot,
    Epic,
    ImportLog,
    Offer,
    OnlineService,
    PiObjective,
    ProgramIncrement,
    ServiceUsage,
    Team,
)
from data_access.provenance import Stand
from data_access.queries import eakte, services, usage
from geo.build import build_boundaries
from tests.fixtures.make_bkg_zip import make_zip

D = dt.date
TABLES = (Offer, ServiceUsage, EakteSnapshot, PiObjective, Epic, OnlineService, Authority, Team, ProgramIncrement)
FACTS = (
    ("onlinedienste", Offer),
    ("onlinedienste", ServiceUsage),
    ("eakte", EakteSnapshot),
    ("pi", PiObjective),
    ("portfolio", Epic),
)
REAL = dict(source="Import echt.csv", as_of=D(2025, 4, 1))


@pytest.fixture
def seeded(engine, tmp_path):
    """The tiny fixture boundaries (2 Kreise, 4 VWG) and the full demo data set: offers in every area."""
    build_boundaries(str(make_zip(tmp_path / "bkg.zip")), engine=engine, out_dir=tmp_path / "geo")
    demo.seed(engine)
    return engine


def counts(engine) -> dict[tuple[str, bool], int]:
    """Rows per (table, is_demo)."""
    out = {}
    with engine.connect() as c:
        for model in TABLES:
            for flag in (True, False):
                n = c.scalar(select(func.count()).select_from(model).where(model.is_demo.is_(flag)))
                out[(model.__tablename__, flag)] = n
    return out


def log_rows(engine) -> list[tuple]:
    with engine.connect() as c:
        return c.execute(
            select(ImportLog.kind, ImportLog.result, ImportLog.rows, ImportLog.user_name).order_by(ImportLog.id)
        ).all()


def add_real_rows(engine) -> dict:
    """Real rows that use demo master rows: an offer of a demo service at a demo authority, usage figures of another
    demo service, an eAkte snapshot of that authority, a PI objective of a demo team in a demo PI; plus a real
    service, authority and team of their own."""
    with transaction(engine) as s:
        service, used_by_usage = s.scalars(
            select(OnlineService).where(OnlineService.is_demo).order_by(OnlineService.id).limit(2)
        ).all()
        authority = s.scalar(select(Authority).where(Authority.is_demo).order_by(Authority.id))
        team = s.scalar(select(Team).where(Team.is_demo).order_by(Team.id))
        pi_number = s.scalar(select(func.max(ProgramIncrement.number)).where(ProgramIncrement.is_demo))
        own = OnlineService(
            service_key="ECHT-1",
            name="Echter Dienst",
            model="Land",
            themenfeld="Querschnitt",
            responsible_level="Land",
            **REAL,
        )
        s.add_all(
            [
                own,
                Authority(code="ECHT", name="Echte Behörde", ministry_code="MI", **REAL),
                Team(name="Echtes Team", **REAL),
            ]
        )
        s.flush()
        s.add_all(
            [
                Offer(
                    service_id=service.id,
                    region_ars="03",
                    authority_id=authority.id,
                    status="live",
                    valid_from=D(2030, 1, 1),
                    **REAL,
                ),
                Offer(service_id=own.id, region_ars="03", status="live", valid_from=D(2024, 1, 1), **REAL),
                ServiceUsage(service_id=used_by_usage.id, region_ars="03", month=D(2030, 1, 1), transactions=5, **REAL),
                EakteSnapshot(
                    authority_id=authority.id,
                    snapshot_date=D(2030, 1, 31),
                    status="produktiv",
                    active_users=7,
                    **REAL,
                ),
                PiObjective(
                    objective_key="ECHT-PI-1", pi_number=pi_number, team_id=team.id, text="Echtes Ziel", **REAL
                ),
                Epic(epic_key="ECHT-E-1", title="Echtes Epic", stage="Review", **REAL),
            ]
        )
        return dict(
            service=service.id, usage_service=used_by_usage.id, authority=authority.id, team=team.id, pi=pi_number
        )


def test_dry_run_changes_nothing_and_counts_what_the_removal_deletes(seeded):
    before = counts(seeded)
    preview = remove.remove(seeded, "alle", dry_run=True, user="Frau Test")
    assert counts(seeded) == before
    assert preview.ok and preview.dry_run and preview.total > 0
    assert preview.message.startswith("Probelauf:") and "noch nichts gelöscht" in preview.message
    assert preview.deleted["Angebote"] == before[("offer", True)]
    assert preview.deleted["Nutzungszahlen"] == before[("service_usage", True)] > 0
    assert log_rows(seeded) == [("beispieldaten", "probelauf", preview.total, "Frau Test")]

    done = remove.remove(seeded, "alle", user="Frau Test")
    assert done.deleted == preview.deleted
    assert "entfernt" in done.message and "Probelauf" not in done.message
    assert all(n == 0 for (table, flag), n in counts(seeded).items() if flag)
    assert log_rows(seeded)[-1] == ("beispieldaten", "ok", done.total, "Frau Test")
    assert remove.removed_before(seeded) is not None

    again = remove.remove(seeded, "alle")
    assert again.ok and again.total == 0 and "nichts zu entfernen" in again.message
    assert log_rows(seeded)[-1][1] == "unverändert"


@pytest.mark.parametrize("area", ["onlinedienste", "eakte", "pi", "portfolio"])
def test_remove_one_area_leaves_the_others(seeded, area):
    before = counts(seeded)
    with seeded.connect() as c:  # demo authorities the demo Land offers name
        for_offers = c.scalar(select(func.count(func.distinct(Offer.authority_id))))
    result = remove.remove(seeded, area)
    after = counts(seeded)
    assert result.ok
    for name, model in FACTS:
        table = model.__tablename__
        assert after[(table, True)] == (0 if name == area else before[(table, True)])
    masters = {
        "onlinedienste": [OnlineService],
        "eakte": [Authority],
        "pi": [Team, ProgramIncrement],
        "portfolio": [],
    }[area]
    for model in (OnlineService, Authority, Team, ProgramIncrement):
        table = model.__tablename__
        if model is Authority and area == "eakte":  # those the demo offers name stay, and the page says so
            assert 0 < for_offers < before[(table, True)]
            assert after[(table, True)] == for_offers
            assert result.kept == [
                f"{for_offers} Behörden aus den Beispieldaten bleiben, weil Beispieldaten eines anderen Bereichs sie "
                "noch nutzen (mit „alle“ gehen sie mit)."
            ]
        elif model in masters:
            assert after[(table, True)] == 0
        else:
            assert after[(table, True)] == before[(table, True)]
    assert result.total == sum(before.values()) - sum(after.values())


def test_real_rows_and_the_demo_master_rows_they_use_stay(seeded):
    used = add_real_rows(seeded)
    real_before = {k: n for k, n in counts(seeded).items() if not k[1]}
    result = remove.remove(seeded, "alle")
    assert result.ok
    after = counts(seeded)
    assert {k: n for k, n in after.items() if not k[1]} == real_before
    for table in ("offer", "service_usage", "eakte_snapshot", "pi_objective", "epic"):
        assert after[(table, True)] == 0
    # exactly the demo master rows a real row uses are left, each kind named in German
    assert after[("online_service", True)] == 2
    assert after[("authority", True)] == 1
    assert after[("team", True)] == 1
    assert after[("program_increment", True)] == 1
    with seeded.connect() as c:
        kept_services = set(c.scalars(select(OnlineService.id).where(OnlineService.is_demo)))
        assert kept_services == {used["service"], used["usage_service"]}
        assert c.scalar(select(Authority.id).where(Authority.is_demo)) == used["authority"]
        assert c.scalar(select(Team.id).where(Team.is_demo)) == used["team"]
        assert c.scalar(select(ProgramIncrement.number).where(ProgramIncrement.is_demo)) == used["pi"]
    kept = "\n".join(result.kept)
    assert "2 Onlinedienste aus den Beispieldaten bleiben, weil echte Angebote oder Nutzungszahlen sie nutzen" in kept
    assert "1 Behörden aus den Beispieldaten bleiben, weil echte eAkte-Stichtage oder Angebote sie nutzen" in kept
    assert "1 Teams aus den Beispieldaten bleiben" in kept and "1 Program Increments" in kept
    assert "Hinweis: 1 Behörden" in result.report()


@pytest.mark.parametrize("error", [RuntimeError("kaputt"), OperationalError("DELETE", {}, Exception("disk I/O"))])
def test_a_failure_deletes_nothing(seeded, monkeypatch, error):
    before = counts(seeded)
    real = remove.delete_demo_rows

    def fail_after_deleting(s, area="alle", *, dry_run=False):
        real(s, area, dry_run=dry_run)  # everything is deleted inside the transaction …
        raise error  # … and then something goes wrong

    monkeypatch.setattr(remove, "delete_demo_rows", fail_after_deleting)
    result = remove.remove(seeded, "alle", user="Frau Test")
    assert not result.ok and result.deleted == {} and result.total == 0
    assert "es wurde nichts gelöscht" in result.message
    assert "kaputt" not in result.message and "disk" not in result.message
    assert counts(seeded) == before
    assert log_rows(seeded) == [("beispieldaten", "abgelehnt", 0, "Frau Test")]
    assert remove.removed_before(seeded) is None


def test_unknown_area_is_refused_in_german(engine):
    with pytest.raises(ValueError, match="Unbekannter Bereich „alles“"):
        remove.remove(engine, "alles")


def test_mixed_offers_and_eakte_say_teilweise(seeded):
    assert services.offers_meta(seeded)["is_mixed"] is False
    assert eakte.kpis(seeded, today=D(2026, 1, 1))["is_mixed"] is False
    add_real_rows(seeded)
    meta, k = services.offers_meta(seeded), eakte.kpis(seeded, today=D(2026, 1, 1))
    assert meta["is_demo"] and meta["is_mixed"]
    assert k["is_demo"] and k["is_mixed"]
    assert Stand.of(meta).text().endswith("· teilweise Beispieldaten")
    assert Stand.of(usage.usage_meta(seeded)).label == "teilweise Beispieldaten"
    remove.remove(seeded, "alle")
    assert Stand.of(usage.usage_meta(seeded)).label == ""
    meta, k = services.offers_meta(seeded), eakte.kpis(seeded, today=D(2026, 1, 1))
    assert not meta["is_demo"] and not meta["is_mixed"] and not k["is_demo"] and not k["is_mixed"]
    assert "Beispieldaten" not in Stand.of(meta).text()


# --- the command line -------------------------------------------------------------------------------------------


@pytest.fixture
def cli_db(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def test_cli_dry_run_then_remove_per_area(cli_db, engine, capsys):
    demo.seed(engine)
    before = counts(engine)
    assert cli.main(["demo", "remove", "--area", "eakte", "--dry-run", "--user", "Herr Test"]) == 0
    out = capsys.readouterr().out
    assert counts(engine) == before
    assert "Probelauf:" in out and f"- eAkte-Stichtage: {before[('eakte_snapshot', True)]:_}".replace("_", ".") in out
    assert cli.main(["demo", "remove", "--area", "eakte", "--user", "Herr Test"]) == 0
    out = capsys.readouterr().out
    assert "Zeilen Beispieldaten (eAkte) entfernt." in out
    assert counts(engine)[("eakte_snapshot", True)] == 0
    assert counts(engine)[("pi_objective", True)] == before[("pi_objective", True)]
    assert log_rows(engine)[-2:] == [
        (
            "beispieldaten",
            "probelauf",
            before[("eakte_snapshot", True)] + before[("authority", True)],
            "Herr Test (CLI)",
        ),
        ("beispieldaten", "ok", before[("eakte_snapshot", True)] + before[("authority", True)], "Herr Test (CLI)"),
    ]
    with pytest.raises(SystemExit):
        cli.main(["demo", "remove", "--area", "alles"])


def test_seed_if_empty_never_returns_after_a_removal(cli_db, engine, capsys):
    assert cli.main(["seed", "--demo", "--if-empty"]) == 0
    assert "Beispieldaten geladen" in capsys.readouterr().out
    assert cli.main(["seed", "--demo", "--if-empty"]) == 0
    assert "Betriebsdaten vorhanden" in capsys.readouterr().out
    assert cli.main(["demo", "remove"]) == 0
    capsys.readouterr()
    assert not demo.has_operational_data(engine)
    assert cli.main(["seed", "--demo", "--if-empty"]) == 0
    out = capsys.readouterr().out
    assert "Die Beispieldaten wurden am" in out and "nicht automatisch neu geladen" in out
    assert not demo.has_operational_data(engine)
    assert cli.main(["seed", "--demo"]) == 0  # asked for explicitly, they come back
    assert "Beispieldaten geladen" in capsys.readouterr().out


def test_seed_if_empty_skips_when_any_real_programme_row_exists(cli_db, engine, capsys):
    with transaction(engine) as s:
        s.add(Team(name="Echtes Team", **REAL))  # a team alone is enough: not an "operational" table before
    assert cli.main(["seed", "--demo", "--if-empty"]) == 0
    assert capsys.readouterr().out.strip() == "Echte Daten vorhanden (Teams) – Beispieldaten werden nicht geladen."
    assert counts(engine)[("authority", True)] == 0
