"""AppTest of the Daten page: read-only view for everyone, password gate, upload → preview → confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import Epic, ImportLog
from tests.app._markdown import seen

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
PASSWORD = "geheim-für-tests"


def page(bereich: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/daten.py")
    if bereich:
        at.query_params["bereich"] = bereich
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.warning, *at.subheader)]
    return "\n".join(seen(p) for p in parts)


def count(url: str, model) -> int:
    e = make_engine(url)
    try:
        with e.connect() as c:
            return c.scalar(select(func.count()).select_from(model))
    finally:
        e.dispose()


def test_read_only_view_shows_status_checks_and_no_upload(app_env, db_url, monkeypatch):
    monkeypatch.delenv("DVN_MAINTAINER_PASSWORD", raising=False)
    app_env(db_url)
    at = page().run()
    assert not at.exception
    assert at.title[0].value == "Daten"
    status = at.dataframe[0].value
    assert list(status["Tabelle"])[:6] == [
        "Onlinedienste",
        "Angebote",
        "Nutzungszahlen",
        "eAkte-Stichtage",
        "PI-Ziele",
        "Epics",
    ]
    assert "Prüfungen: Waisen und unbekannte Schlüssel" in texts(at)

    at = page("import").run()
    assert not at.exception
    assert len(at.file_uploader) == 0
    assert "Der Import ist nicht freigeschaltet" in texts(at)

    at = page("export").run()
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == ["Vorlage CSV", "Vorlage Excel"]


def test_wrong_password_keeps_the_upload_closed(app_env, db_url, monkeypatch):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    app_env(db_url)
    at = page("import").run()
    at.text_input(key="daten_user").input("Test")
    at.text_input(key="daten_password").input("falsch")
    at.button[0].click().run()
    assert not at.exception
    assert "Anmeldung fehlgeschlagen" in texts(at)
    assert len(at.file_uploader) == 0


def test_upload_preview_then_confirm_writes_and_logs(app_env, db_url, monkeypatch):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    app_env(db_url)
    at = page("import").run()
    at.text_input(key="daten_user").input("Frau Test")
    at.text_input(key="daten_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert any(u.key == "daten_file" for u in at.file_uploader)

    at.selectbox(key="daten_kind").select("epics").run()
    at.file_uploader(key="daten_file").upload("epics.csv", (FIXTURES / "epics" / "good.csv").read_bytes(), "text/csv")
    at.run()
    at.button(key="daten_preview_btn").click().run()
    assert not at.exception
    assert "Vorschau für „epics.csv“ (Epics): 2 neu, 0 geändert, 0 unverändert" in texts(at)
    assert list(at.dataframe[0].value["Aktion"]) == ["neu", "neu"]
    assert count(db_url, Epic) == 0  # the preview wrote nothing

    at.button(key="daten_confirm").click().run()
    assert not at.exception
    assert "„epics.csv“ importiert (Epics): 2 neu" in texts(at)
    assert count(db_url, Epic) == 2
    e = make_engine(db_url)
    with e.connect() as c:
        assert c.execute(select(ImportLog.result, ImportLog.user_name)).all() == [("ok", "Frau Test")]
    e.dispose()


@pytest.mark.parametrize("name", ["duplicate_key.csv"])
def test_upload_with_errors_lists_problems_and_offers_no_confirm(app_env, db_url, monkeypatch, name):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    app_env(db_url)
    at = page("import").run()
    at.text_input(key="daten_user").input("Frau Test")
    at.text_input(key="daten_password").input(PASSWORD)
    at.button[0].click().run()
    at.selectbox(key="daten_kind").select("epics").run()
    at.file_uploader(key="daten_file").upload(name, (FIXTURES / "epics" / name).read_bytes(), "text/csv")
    at.run()
    at.button(key="daten_preview_btn").click().run()
    assert not at.exception
    assert "abgelehnt – es wurde nichts geschrieben" in texts(at)
    problems = at.dataframe[0].value
    assert problems.iloc[0]["Zeile"] == 4 and "mehrfach" in problems.iloc[0]["Problem"]
    assert not [b for b in at.button if b.key == "daten_confirm"]
    assert count(db_url, Epic) == 0
