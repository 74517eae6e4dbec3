"""AppTest of the column mapping on the Daten page: a file with foreign headers → map → preview → save as a profile
→ import with it; profile files exported and read back; nothing of it without signing in."""

from __future__ import annotations

import json

from sqlalchemy import select

from data_access.db import make_engine
from data_access.importers import profiles
from data_access.models import ImportLog, OnlineService
from tests.app.test_daten import PASSWORD, count, page, texts

FOREIGN = (
    "Kennung;Leistungsbezeichnung;Art;Themenfeld;Zuständigkeitsebene\n"
    "T-1;Elterngeld [klick](http://evil.example);EfA;Familie und Kind;Land\n"
    "T-2;Ummeldung;WfU;Mobilität & Reisen;Gemeinde\n"
).encode()


def table(at, column: str):
    """The first table on the page with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _signed_in(app_env, db_url, monkeypatch):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    app_env(db_url)
    at = page("import").run()
    at.text_input(key="daten_user").input("Frau Test")
    at.text_input(key="daten_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def _upload(at, kind: str, name: str, data: bytes):
    at.selectbox(key="daten_kind").select(kind).run()
    at.file_uploader(key="daten_file").upload(name, data, "text/csv")
    return at.run()


def test_profiles_are_not_offered_without_signing_in(app_env, db_url, monkeypatch):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    app_env(db_url)
    at = page("import").run()
    assert not at.exception
    assert not [u for u in at.file_uploader if u.key == "daten_profile_upload"]
    assert "Profile der Spaltenzuordnung" not in texts(at)


def test_foreign_headers_are_mapped_previewed_saved_and_reused(app_env, db_url, monkeypatch):
    at = _signed_in(app_env, db_url, monkeypatch)
    at = _upload(at, "onlinedienste", "land.csv", FOREIGN)
    assert not at.exception
    # The editor opens by itself: Dienst-Schlüssel, Name, Modell and Zuständigkeit are not found under our names.
    assert "nicht alle Pflichtspalten unter unseren Namen" in texts(at)
    assert "(Pflicht)" in at.selectbox(key="daten_map_name").label
    mapping = table(at, "Spalte der Datei")
    themenfeld = mapping[mapping["Spalte"] == "Themenfeld"].iloc[0]
    assert themenfeld["Spalte der Datei"] == "Themenfeld" and themenfeld["Pflichtspalte"] == "ja"

    at.selectbox(key="daten_map_service_key").select("Kennung")
    at.selectbox(key="daten_map_name").select("Leistungsbezeichnung")
    at.selectbox(key="daten_map_model").select("Art")
    at.selectbox(key="daten_map_responsible_level").select("Zuständigkeitsebene").run()
    name = table(at, "Spalte der Datei").set_index("Spalte").loc["Name"]
    # Sample values are shown in a table cell (never as markdown): the link text stays plain text.
    assert name["Beispielwerte"] == "Elterngeld [klick](http://evil.example) · Ummeldung"

    at.button(key="daten_preview_btn").click().run()
    assert not at.exception
    assert "Vorschau für „land.csv“ (Onlinedienste, Spaltenzuordnung ohne Profil): 2 neu" in texts(at)
    assert count(db_url, OnlineService) == 0

    at.text_input(key="daten_profile_name").input("Land OD")
    at.button(key="daten_profile_save").click().run()
    assert not at.exception
    assert "Profil „Land OD“ gespeichert" in texts(at)
    assert at.selectbox(key="daten_profile").value == "Land OD"
    e = make_engine(db_url)
    try:
        stored = profiles.get_profile(e, "land od", kind="onlinedienste")
    finally:
        e.dispose()
    assert stored.mapping == {
        "Kennung": "service_key",
        "Leistungsbezeichnung": "name",
        "Art": "model",
        "Zuständigkeitsebene": "responsible_level",
    }
    assert stored.saved_by == "Frau Test"

    # With the profile chosen the editor is closed and already filled; the import log names the profile.
    at.button(key="daten_preview_btn").click().run()
    assert "Vorschau für „land.csv“ (Onlinedienste, Profil „Land OD“): 2 neu" in texts(at)
    at.button(key="daten_confirm").click().run()
    assert not at.exception
    assert "„land.csv“ importiert (Onlinedienste, Profil „Land OD“): 2 neu" in texts(at)
    assert count(db_url, OnlineService) == 2
    e = make_engine(db_url)
    try:
        with e.connect() as c:
            message = c.scalar(select(ImportLog.message).where(ImportLog.result == "ok"))
    finally:
        e.dispose()
    assert "Spaltenzuordnung (Profil „Land OD“): Kennung → Dienst-Schlüssel; Leistungsbezeichnung → Name" in message


def test_problems_name_the_files_column(app_env, db_url, monkeypatch):
    at = _signed_in(app_env, db_url, monkeypatch)
    bad = FOREIGN.replace(b";EfA;", b";XfA;")
    at = _upload(at, "onlinedienste", "land.csv", bad)
    for key, header in (("service_key", "Kennung"), ("name", "Leistungsbezeichnung"), ("model", "Art")):
        at.selectbox(key=f"daten_map_{key}").select(header)
    at.selectbox(key="daten_map_responsible_level").select("Zuständigkeitsebene").run()
    at.button(key="daten_preview_btn").click().run()
    assert not at.exception
    assert "abgelehnt (Spaltenzuordnung ohne Profil) – es wurde nichts geschrieben" in texts(at)
    problem = at.dataframe[-1].value.iloc[0]
    assert (problem["Zeile"], problem["Spalte"], problem["Wert"]) == (2, "Art (→ Modell)", "XfA")


def test_one_file_column_for_two_of_ours_is_refused(app_env, db_url, monkeypatch):
    at = _signed_in(app_env, db_url, monkeypatch)
    at = _upload(at, "onlinedienste", "land.csv", FOREIGN)
    at.selectbox(key="daten_map_service_key").select("Kennung")
    at.selectbox(key="daten_map_name").select("Kennung").run()
    assert not at.exception
    assert "mehrfach gewählt: „Kennung“" in texts(at)
    assert not [b for b in at.button if b.key == "daten_preview_btn"]


def test_profile_file_download_and_upload(app_env, db_url, monkeypatch):
    e = make_engine(db_url)
    try:
        profiles.save_profile(
            e, profiles.make_profile("jira-epics", "epics", {"Issue Title": "Titel", "Stufe X": "Phase"}), user="t"
        )
    finally:
        e.dispose()
    at = _signed_in(app_env, db_url, monkeypatch)
    assert table(at, "Profil").iloc[0]["Profil"] == "jira-epics"
    assert at.selectbox(key="daten_profile_export").value == "jira-epics"
    assert "Profil herunterladen (JSON)" in [b.label for b in at.get("download_button")]

    doc = json.loads(profiles.to_file(profiles.make_profile("jira-epics", "epics", {"Issue Title": "Titel"})))
    at.file_uploader(key="daten_profile_upload").upload("p.json", json.dumps(doc).encode(), "application/json")
    at.run()
    at.button(key="daten_profile_read").click().run()
    assert not at.exception
    assert "Ein Profil „jira-epics“ gibt es schon" in texts(at)

    doc["name"], doc["zuordnung"] = "jira-2", {"Issue Title": "Titel", "Summary Text": "Titel"}
    at.file_uploader(key="daten_profile_upload").upload("p2.json", json.dumps(doc).encode(), "application/json")
    at.run()
    at.button(key="daten_profile_read").click().run()
    assert "sind beide der Spalte „Titel“ zugeordnet" in texts(at)

    del doc["zuordnung"]["Summary Text"]
    at.file_uploader(key="daten_profile_upload").upload("p3.json", json.dumps(doc).encode(), "application/json")
    at.run()
    at.button(key="daten_profile_read").click().run()
    assert not at.exception
    assert "Profil „jira-2“ (epics) eingelesen: Issue Title → Titel" in texts(at)
    assert list(table(at, "Profil")["Profil"]) == ["jira-2", "jira-epics"]


def test_columns_recognised_by_our_names_are_said_to_stay_in_use(app_env, db_url, monkeypatch):
    at = _signed_in(app_env, db_url, monkeypatch)
    at = _upload(at, "onlinedienste", "land.csv", FOREIGN)
    at.selectbox(key="daten_map_themenfeld").select_index(0).run()  # "– keine –"
    assert not at.exception
    assert "an unserem Spaltennamen erkannt und daher verwendet: „Themenfeld“ (→ Themenfeld)" in texts(at)
    # Nothing foreign chosen: there is nothing to save as a profile.
    at.selectbox(key="daten_map_themenfeld").select("Themenfeld")
    at.text_input(key="daten_profile_name").input("leer")
    at.button(key="daten_profile_save").click().run()
    assert "ordnet keine Spalte zu" in texts(at)
    assert not [s for s in at.selectbox if s.key == "daten_profile"]  # no profile was stored
