"""AppTest: what the Daten page gives to whom – raw table exports and the names in the import log are for the
signed-in Datenpflege only (issue 15); everybody else sees the log without names and without the quoted cell values."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

from data_access import demo
from data_access.db import transaction
from data_access.models import ImportLog
from tests.app._markdown import seen

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "geheim-für-tests"


@pytest.fixture
def logged(engine, db_url, app_env, monkeypatch):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    demo.seed(engine)
    import datetime as dt

    with transaction(engine) as s:
        s.execute(
            insert(ImportLog).values(
                started_at=dt.datetime(2026, 11, 30, 9, 15),
                user_name="Frau Geheim",
                file_name="epics.csv",
                sha256="0" * 64,
                kind="epics",
                rows=2,
                result="abgelehnt",
                message="„epics.csv“ abgelehnt – es wurde nichts geschrieben. 1 Problem:\n"
                "Zeile 3, Spalte „Epic Owner“: „Erika Mustermann“ ist zu lang",
            )
        )
    app_env(db_url)
    return engine


def page(bereich: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/daten.py")
    at.query_params["bereich"] = bereich
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.warning)]
    return "\n".join(seen(p) for p in parts)


def sign_in(at: AppTest) -> AppTest:
    at.query_params["bereich"] = "import"
    at.run()
    at.text_input(key="daten_user").input("Frau Test")
    at.text_input(key="daten_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def test_public_log_has_no_names_and_no_quoted_values(logged):
    at = page("protokoll")
    assert not at.exception
    log = at.dataframe[0].value
    assert "Wer" not in log.columns
    assert list(log["Meldung"]) == ["„epics.csv“ abgelehnt – es wurde nichts geschrieben. 1 Problem:"]
    everything = texts(at) + log.to_csv()
    assert "Frau Geheim" not in everything and "Erika Mustermann" not in everything
    assert "sieht nur die angemeldete Datenpflege" in texts(at)


def test_public_export_area_offers_templates_but_no_raw_tables(logged):
    at = page("export")
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "daten_export"]
    assert "Ganze Tabellen exportiert nur die angemeldete Datenpflege" in texts(at)


def test_maintainer_sees_names_and_exports_raw_tables_with_provenance(logged):
    at = sign_in(page("import"))
    at.query_params["bereich"] = "protokoll"
    at.session_state["daten_bereich"] = "protokoll"
    at.run()
    assert not at.exception
    log = at.dataframe[0].value
    assert list(log["Wer"]) == ["Frau Geheim"]
    assert "Erika Mustermann" in log["Meldung"].iloc[0]

    at.session_state["daten_bereich"] = "export"
    at.run()
    at.selectbox(key="daten_export").select("team").run()
    assert not at.exception
    buttons = {b.label: b for b in at.get("download_button")}
    assert {"CSV herunterladen", "Excel herunterladen"} <= set(buttons)
