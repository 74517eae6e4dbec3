"""The operations log: one JSON line per import, sign-in and error; no secrets, no client address, rotated."""

import datetime as dt
import json

import pytest

from data_access import logs, signin
from tests.unit.test_import import prepare, run


@pytest.fixture
def log_file(tmp_path, monkeypatch):
    path = tmp_path / "logs" / "dvn.jsonl"
    monkeypatch.setenv("DVN_LOG_FILE", str(path))
    return path


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_import_writes_one_line_with_counts_and_the_maintainer_but_no_cell_values(engine, log_file):
    prepare(engine)
    result = run(engine, "epics", "good.csv")
    assert result.ok
    (entry,) = [e for e in lines(log_file) if e["ereignis"] == "import"]
    assert entry["art"] == "epics" and entry["ergebnis"] == "ok" and entry["wer"] == "pytest"
    assert entry["zeilen"] == result.rows and entry["neu"] == result.new and entry["probelauf"] is False
    assert dt.datetime.fromisoformat(entry["zeit"]).tzinfo is not None
    text = log_file.read_text(encoding="utf-8")
    assert "good.csv" not in text  # file names may carry personal data; the hash identifies the file


def test_a_rejected_import_is_logged_a_successful_preview_is_not(engine, log_file):
    prepare(engine)
    assert run(engine, "epics", "good.csv", dry_run=True).ok
    assert not log_file.exists()
    assert not run(engine, "epics", "missing_column.csv").ok
    (entry,) = lines(log_file)
    assert entry["ereignis"] == "import" and entry["ergebnis"] == "abgelehnt" and entry["probleme"] >= 1


def test_sign_in_is_logged_without_the_client_address(engine, log_file):
    signin.record(
        engine,
        at=dt.datetime(2026, 12, 3, 12, 0),
        user_name="Erika Pflege",
        client="10.1.2.3",
        method="passwort",
        outcome="falsch",
        detail="falsches Passwort",
    )
    (entry,) = lines(log_file)
    assert entry == {**entry, "ereignis": "anmeldung", "wer": "Erika Pflege", "ergebnis": "falsch"}
    assert "10.1.2.3" not in log_file.read_text() and "falsches" not in log_file.read_text()


def test_secret_looking_fields_are_dropped_and_unknown_events_refused(log_file):
    logs.event("fehler", art="seitenfehler", password="geheim", api_token="x", seite="karte")
    (entry,) = lines(log_file)
    assert entry["seite"] == "karte" and "password" not in entry and "api_token" not in entry
    with pytest.raises(ValueError):
        logs.event("irgendwas")


def test_the_file_is_rotated(log_file, monkeypatch):
    monkeypatch.setenv("DVN_LOG_MAX_MB", "0.001")  # about 1 KB
    monkeypatch.setenv("DVN_LOG_BACKUPS", "2")
    monkeypatch.setattr(logs, "_target", None)  # pick up the new limits
    for i in range(100):
        logs.event("fehler", art="seitenfehler", typ="X", nummer=i)
    rotated = sorted(p.name for p in log_file.parent.iterdir())
    assert rotated == ["dvn.jsonl", "dvn.jsonl.1", "dvn.jsonl.2"]
    assert log_file.stat().st_size < 2048
