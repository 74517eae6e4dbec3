"""Database outage on a real PostgreSQL that the test starts on its own port (as user postgres): stopped while a
session is on a page → a German message, no traceback, no hang; started again → the same app shows data again.
An import whose database goes away mid-transaction is rolled back and reported."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest

from data_access import backup
from data_access.db import make_engine
from data_access.importers import KINDS, import_file
from data_access.models import Epic, ImportLog
from data_access.setup import ensure_ready
from tests.app._markdown import seen

ROOT = Path(__file__).resolve().parents[2]
EPICS = ROOT / "tests" / "fixtures" / "import" / "epics" / "good.csv"
OUTAGE = "Datenbank nicht erreichbar – die Anzeige aktualisiert sich, sobald sie wieder erreichbar ist."
PG_BIN = next((d for d in backup.PG_BIN_DIRS if (d / "initdb").is_file()), None)
pytestmark = pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL-Serverprogramme (initdb, pg_ctl) fehlen")


class Server:
    """A throw-away PostgreSQL cluster in a temporary directory, run as user postgres when the test runs as root."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="dvn_pg_", dir="/tmp"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/dvn"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres([PG_BIN / "initdb", "-D", self.dir / "data", "-A", "trust", "-U", "postgres", "--no-sync"])

    def _as_postgres(self, cmd: list) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, cmd)], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            [PG_BIN / "pg_ctl", "-D", self.dir / "data", "-o", opts, "-l", self.dir / "log", "-w", "start"]
        )

    def stop(self) -> None:
        self._as_postgres([PG_BIN / "pg_ctl", "-D", self.dir / "data", "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    srv = Server()
    srv.start()
    admin = make_engine(srv.url.replace("/dvn", "/postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("CREATE DATABASE dvn"))
    admin.dispose()
    engine = make_engine(srv.url)
    ensure_ready(engine)
    engine.dispose()
    yield srv
    srv.remove()


def epics(url: str) -> int:
    e = make_engine(url)
    try:
        with e.connect() as c:
            return c.scalar(select(func.count()).select_from(Epic))
    finally:
        e.dispose()


def test_page_shows_the_outage_and_recovers_without_restart(server, app_env):
    app_env(server.url)
    e = make_engine(server.url)
    import_file(e, "epics", EPICS, user="Test").raise_for_problems()
    e.dispose()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/daten.py")

    def epic_rows() -> int:
        status = at.dataframe[0].value
        return int(status.loc[status["Tabelle"] == "Epics", "Zeilen"].iloc[0])

    at.run()
    assert not at.exception and epic_rows() == 2

    server.stop()
    try:
        t0 = time.monotonic()
        at.run()
        assert time.monotonic() - t0 < 20  # refused at once; an unanswering host fails after the connect timeout
        assert not at.exception  # no traceback
        assert [seen(m.value) for m in at.error] == [OUTAGE]
        assert not at.dataframe
    finally:
        server.start()

    at.run()  # the same app process and engine: pool_pre_ping replaces the dead connections
    assert not at.exception and not at.error
    assert epic_rows() == 2


def test_an_import_in_flight_is_rolled_back_and_reported(server, monkeypatch):
    """The server stops after the rows are written, before the commit: nothing of the import remains."""
    kind = KINDS["epics"]
    plan = kind.plan
    stopped = []
    new_keys = EPICS.read_bytes().replace(b"DVNPF-", b"DVNPF-9")  # rows the database does not have yet

    def plan_then_stop(session, rows, prov):
        found = plan(session, rows, prov)
        write = found.write

        def write_then_stop(s):
            write(s)
            s.flush()
            server.stop()  # fast shutdown: the open transaction is gone with its connection
            stopped.append(True)

        found.write = write_then_stop
        return found

    monkeypatch.setattr(kind, "plan", plan_then_stop)
    e = make_engine(server.url)
    try:
        before = epics(server.url)
        with e.connect() as c:
            logged = c.scalar(select(func.count()).select_from(ImportLog))
        result = import_file(e, "epics", new_keys, user="Test", file_name="neu.csv")
    finally:
        server.start()
    try:
        assert stopped and not result.ok
        assert "Verbindung zur Datenbank ist während des Imports abgebrochen" in result.report()
        assert "es wurde nichts geändert" in result.report()
        assert "Die Ablehnung konnte nicht ins Importprotokoll geschrieben werden (Datenbank nicht erreichbar)." in (
            result.notes
        )
        assert epics(server.url) == before
        with e.connect() as c:  # the same engine works again (pre-ping)
            assert c.scalar(select(func.count()).select_from(ImportLog)) == logged
    finally:
        e.dispose()


def test_a_server_that_does_not_answer_fails_after_the_connect_timeout(monkeypatch):
    """A host that accepts the connection but never answers (not a refusal): the page fails fast, it does not hang."""
    from sqlalchemy.exc import OperationalError

    from data_access import db

    monkeypatch.setattr(db, "CONNECT_TIMEOUT_SECONDS", 2)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        e = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{silent.getsockname()[1]}/dvn")
        t0 = time.monotonic()
        with pytest.raises(OperationalError) as failed:
            e.connect()
        assert 1.5 < time.monotonic() - t0 < 10
        assert db.unreachable(failed.value)
        e.dispose()


def test_a_slow_statement_is_not_an_outage(server):
    """The statement timeout (data_access.read) stays an error of its own: the page must not claim an outage."""
    from sqlalchemy.exc import OperationalError

    from data_access.db import unreachable

    e = make_engine(server.url)
    try:
        with pytest.raises(OperationalError) as failed, e.connect() as c:
            c.execute(text("SET statement_timeout = 10"))
            c.execute(text("SELECT pg_sleep(1)"))
        assert not unreachable(failed.value)
    finally:
        e.dispose()
