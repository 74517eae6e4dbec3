"""The Daten page under hostile input: bombs and broken files through the upload, a log row of any size."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from data_access.db import make_engine
from data_access.models import ImportLog
from tests.app.test_daten import PASSWORD, page, texts
from tests.unit.test_hostile_files import CASES
from tests.unit.test_import import dump, prepare

ON_PAGE = ["xlsx-shared-string-bomb", "xlsx-full-width-row", "csv-30-digits", "csv-case-duplicate", "csv-nul"]


def _signed_in(app_env, db_url, monkeypatch):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    app_env(db_url)
    at = page("import").run()
    at.text_input(key="daten_user").input("Frau Test")
    at.text_input(key="daten_password").input(PASSWORD)
    at.button[0].click().run()
    assert any(u.key == "daten_file" for u in at.file_uploader)
    return at


@pytest.mark.parametrize(("kind", "data", "pattern"), [c[1:] for c in CASES if c[0] in ON_PAGE], ids=ON_PAGE)
def test_hostile_upload_is_rejected_with_a_german_message(app_env, db_url, monkeypatch, kind, data, pattern):
    engine = make_engine(db_url)
    prepare(engine, services=False)
    before = dump(engine)
    at = _signed_in(app_env, db_url, monkeypatch)
    at.selectbox(key="daten_kind").select(kind).run()
    suffix = "xlsx" if data.startswith(b"PK") else "csv"
    name = f"[Bitte neu anmelden](http://evil.example)![x](http://evil.example/x.png).{suffix}"
    at.file_uploader(key="daten_file").upload(name, data, "application/octet-stream")
    at.run()
    at.button(key="daten_preview_btn").click().run()
    assert not at.exception
    shown = texts(at)
    assert "abgelehnt – es wurde nichts geschrieben" in shown
    assert not [b for b in at.button if b.key == "daten_confirm"]
    raw = "\n".join(e.value for e in at.error)
    assert "](http" not in raw, raw  # the file name is shown escaped, never as a link or image
    assert dump(engine) == before
    engine.dispose()


def test_protocol_survives_a_log_row_of_any_size(app_env, db_url):
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.execute(
            insert(ImportLog).values(
                started_at=dt.datetime(2025, 3, 18, 14, 5),
                user_name="alt",
                file_name="riesig.csv",
                sha256="0" * 64,
                kind="epics",
                rows=0,
                result="abgelehnt",
                message="Gefundene Spalten: " + "„x“, " * 2_000_000,  # 10 MB, as an older version could write
            )
        )
    engine.dispose()
    app_env(db_url)
    at = page("protokoll").run()
    assert not at.exception
    log = at.dataframe[0].value
    assert len(log.iloc[0]["Meldung"]) <= 2_000
    assert log.iloc[0]["Datei"] == "riesig.csv"
