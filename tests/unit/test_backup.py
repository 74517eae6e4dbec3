"""Backup and restore (python -m data_access backup/restore) on the test's database (SQLite, or PostgreSQL with
DATABASE_URL): a round trip keeps every table, a newer schema and a non-empty target are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from data_access import backup, cli, version
from data_access.db import make_engine
from data_access.importers import import_file
from data_access.models import Base

ROOT = Path(__file__).resolve().parents[2]
EPICS = ROOT / "tests" / "fixtures" / "import" / "epics" / "good.csv"


def tables(url: str) -> dict[str, list]:
    """Every table's rows in primary-key order, alembic_version included; the data version is compared apart."""
    e = make_engine(url)
    try:
        names = set(inspect(e).get_table_names())
        assert names == {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}
        with e.connect() as c:
            out = {"alembic_version": c.scalars(text("SELECT version_num FROM alembic_version")).all()}
            for t in Base.metadata.sorted_tables:
                if t.name != "data_version":
                    out[t.name] = c.execute(select(t).order_by(*t.primary_key.columns)).all()
        return out
    finally:
        e.dispose()


def test_round_trip_keeps_every_table_and_moves_the_data_version_on(demo_engine, demo_url, empty_url, tmp_path):
    file = tmp_path / "dvn.sicherung"
    done = backup.backup(demo_engine, file)  # the shared demo database: boundaries and the full demo data set
    assert done.revision == backup.head_revision() and "Sicherung geschrieben" in done.message
    source = tables(demo_url)
    assert len(source["region"]) > 5 and len(source["offer"]) > 100 and len(source["service_usage"]) > 1000

    target = make_engine(empty_url)
    try:
        restored = backup.restore(target, file)
        assert restored.message.startswith(f"Sicherung eingespielt: {file}")
        assert tables(empty_url) == source
        # Caches key on the data version: after a restore it is past both the backup's and the target's.
        assert version.current(target) > version.current(demo_engine)
        before = version.current(target)

        with pytest.raises(backup.BackupError, match="nicht leer .* --ersetzen"):
            backup.restore(target, file)
        import_file(target, "epics", EPICS.with_name("formula.csv"), user="Test")  # the target changes
        backup.restore(target, file, replace=True)
        assert tables(empty_url) == source
        assert version.current(target) > before
    finally:
        target.dispose()


def test_a_backup_from_a_newer_schema_is_refused_and_nothing_changes(engine, empty_url, tmp_path):
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    file = tmp_path / "neuer.sicherung"
    backup.backup(engine, file)
    target = make_engine(empty_url)
    try:
        with pytest.raises(
            backup.BackupError, match=f"Schemastand 0099, diese App-Version kennt höchstens {backup.head_revision()}"
        ):
            backup.restore(target, file, replace=True)
        assert inspect(target).get_table_names() == []
    finally:
        target.dispose()


def test_cli_writes_and_refuses_in_german(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    file = tmp_path / "dvn.sicherung"
    assert cli.main(["backup", str(file)]) == 0
    assert "Sicherung geschrieben" in capsys.readouterr().out
    assert cli.main(["backup", str(file)]) == 1
    assert "gibt es schon" in capsys.readouterr().err
    assert cli.main(["restore", str(file)]) == 1
    assert "Die Zieldatenbank ist nicht leer" in capsys.readouterr().err
    assert cli.main(["restore", str(file), "--ersetzen"]) == 0
    other = tmp_path / "keine.sicherung"
    other.write_text("kein Backup")
    assert cli.main(["restore", str(other)]) == 1
    assert "ist keine Sicherung dieser App" in capsys.readouterr().err


def test_missing_client_programs_get_a_german_hint(monkeypatch):
    monkeypatch.setenv("DVN_PG_BIN", "/nicht/vorhanden")
    monkeypatch.setenv("PATH", "/nicht/vorhanden")
    monkeypatch.setattr(backup, "PG_BIN_DIRS", [])
    with pytest.raises(backup.BackupError, match="pg_dump wurde nicht gefunden.*postgresql-client"):
        backup._tool("pg_dump")


def test_readme_lists_backup_and_restore():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("python -m data_access backup DATEI", "python -m data_access restore DATEI [--ersetzen]"):
        assert command in readme
