"""Two maintainers importing at once (threads with their own connections) on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from data_access.db import make_engine, transaction
from data_access.importers import import_file
from data_access.models import ImportLog, Offer
from tests.unit.test_import import PROV, prepare

N_SERVICES = 400


def _services_csv() -> bytes:
    lines = ["Dienst-Schlüssel;Name;Modell;Themenfeld;Fokusleistung;Zuständigkeit;Reifegrad;Reifegradmodell;Stand"]
    lines += [f"K-{i:04d};Dienst {i};EfA;Bildung;nein;Gemeinde;3;1.x;01.03.2025" for i in range(N_SERVICES)]
    return "\n".join(lines).encode()


def _offers_csv(status: str) -> bytes:
    lines = ["Dienst-Schlüssel;ARS;Status;Seit;Stand"]
    lines += [f"K-{i:04d};032410001;{status};01.03.2025;31.03.2025" for i in range(N_SERVICES)]
    return "\n".join(lines).encode()


def _run_together(db_url: str, jobs: list[tuple[str, bytes, str]]):
    """Start every import at the same moment, each on its own engine (like two app processes)."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def work(i: int, kind: str, data: bytes, name: str) -> None:
        engine = make_engine(db_url)
        try:
            barrier.wait()
            results[i] = import_file(engine, kind, data, file_name=name, user=f"pflege{i}")
        finally:
            engine.dispose()

    threads = [threading.Thread(target=work, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


@pytest.mark.parametrize("rounds", [3])
def test_concurrent_offer_imports_leave_one_open_period(engine, db_url, rounds):
    prepare(engine, services=False)
    import_file(engine, "onlinedienste", _services_csv(), file_name="dienste.csv").raise_for_problems()
    for r in range(rounds):
        results = _run_together(
            db_url, [("angebote", _offers_csv("live"), f"a{r}.csv"), ("angebote", _offers_csv("geplant"), f"b{r}.csv")]
        )
        for res in results:
            assert res is not None and res.ok, res.report() if res else "Import hat nicht geendet"
        with engine.connect() as c:
            doubled = c.execute(
                select(Offer.service_id, Offer.region_ars)
                .where(Offer.valid_to.is_(None))
                .group_by(Offer.service_id, Offer.region_ars)
                .having(func.count() > 1)
            ).all()
            assert doubled == []
            assert c.scalar(select(func.count()).select_from(Offer)) == N_SERVICES
    with engine.connect() as c:
        logged = c.execute(select(ImportLog.file_name, ImportLog.result).where(ImportLog.kind == "angebote")).all()
    # Every run is in the log with its own outcome: a changed status is "ok", the same status "unverändert".
    assert len(logged) == 2 * rounds
    assert {res for _, res in logged} <= {"ok", "unverändert"}


def test_the_database_refuses_a_second_open_period(engine):
    """The constraint behind the lock: even a writer that bypasses the importers cannot open two periods."""
    prepare(engine)
    with engine.connect() as c:
        sid = c.scalar(text("SELECT id FROM online_service WHERE service_key = 'T-ELTERNGELD'"))
    row = dict(service_id=sid, region_ars="032410001", status="live", valid_to=None, **PROV)
    with transaction(engine) as s:
        s.add(Offer(valid_from=dt.date(2025, 1, 1), **row))
    with pytest.raises(IntegrityError), transaction(engine) as s:
        s.add(Offer(valid_from=dt.date(2025, 2, 1), **row))
    with transaction(engine) as s:  # a closed period beside the open one is fine
        s.add(Offer(valid_from=dt.date(2024, 1, 1), **{**row, "valid_to": dt.date(2024, 12, 31)}))
