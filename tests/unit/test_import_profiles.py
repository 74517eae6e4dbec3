"""Column mapping profiles: validation, applying a mapping before parsing, storage (SQLite and PostgreSQL through
the `engine` fixture), profile files, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from data_access import cli
from data_access.db import transaction
from data_access.importers import KINDS, import_file
from data_access.importers import profiles as prof
from data_access.importers.reading import Table
from data_access.models import ImportLog, ImportProfile
from tests.unit.test_import import FIXTURES, dump, prepare

OURS = (FIXTURES / "onlinedienste" / "good.csv").read_bytes()
# The same file as the Land might export it: other names for key, name, model and level, another column order.
RENAMED = {"Dienst-Schlüssel": "Kennung", "Name": "Leistungsbezeichnung", "Modell": "Art", "Zuständigkeit": "Ressort"}
LAND = {"Kennung": "Dienst-Schlüssel", "Leistungsbezeichnung": "Name", "Art": "Modell", "Ressort": "Zuständigkeit"}


def foreign(data: bytes = OURS) -> bytes:
    header, rest = data.decode("cp1252").split("\n", 1)
    cells = [RENAMED.get(h, h) for h in header.split(",")]
    return (",".join(cells) + "\n" + rest).encode("cp1252")


def land(name: str = "land-od") -> prof.Profile:
    return prof.make_profile(name, "onlinedienste", LAND)


def table(headers: list[str]) -> Table:
    return Table(headers, [["x"] * len(headers)], [2], "CSV")


# --- validation ------------------------------------------------------------------------------------------------------


def test_targets_are_resolved_to_fields_by_header_field_name_or_recognised_name():
    p = prof.make_profile("a", "onlinedienste", {" Kennung ": "Dienst-Schlüssel", "Bez": "name", "Art": "Typ"})
    assert p.mapping == {"Kennung": "service_key", "Bez": "name", "Art": "model"}
    assert p.describe() == "Kennung → Dienst-Schlüssel; Bez → Name; Art → Modell"


@pytest.mark.parametrize(
    ("name", "kind", "mapping", "message"),
    [
        ("a", "onlinedienste", {"X": "Farbe"}, "„X“ ist der Spalte „Farbe“ zugeordnet, die es in der Importart"),
        ("a", "onlinedienste", {"X": "Name", "Y": "Bezeichnung"}, "„X“ und „Y“ sind beide der Spalte „Name“"),
        ("a", "onlinedienste", {"X": "Name", "x ": "Modell"}, "„x“ steht doppelt in der Zuordnung"),
        ("a", "onlinedienste", {}, "ordnet keine Spalte zu"),
        ("a", "onlinedienste", {"": "Name"}, "kein brauchbarer Spaltenname"),
        ("a", "onlinedienste", {"A\x00": "Name"}, "kein brauchbarer Spaltenname"),
        ("a", "onlinedienste", {"A": 3}, "müssen Texte sein"),
        ("a", "gibtsnicht", {"A": "Name"}, "Unbekannte Importart „gibtsnicht“"),
        ("", "onlinedienste", {"A": "Name"}, "kein gültiger Profilname"),
        ("a/../b", "onlinedienste", {"A": "Name"}, "kein gültiger Profilname"),
        ("x" * 61, "onlinedienste", {"A": "Name"}, "kein gültiger Profilname"),
    ],
)
def test_bad_profiles_are_rejected_in_german(name, kind, mapping, message):
    with pytest.raises(prof.ProfileError, match=message):
        prof.make_profile(name, kind, mapping)


# --- applying --------------------------------------------------------------------------------------------------------


def test_apply_renames_header_cells_and_leaves_the_rest_to_our_names():
    spec = KINDS["onlinedienste"]
    applied = prof.apply(land(), spec, table(["Kennung", "Leistungsbezeichnung", "Art", "Themenfeld", "Ressort"]))
    assert applied.table.headers == ["Dienst-Schlüssel", "Name", "Modell", "Themenfeld", "Zuständigkeit"]
    assert applied.renamed["Name"] == "Leistungsbezeichnung"
    assert not applied.problems and not applied.notes


def test_a_column_our_names_recognise_gives_way_to_the_profile():
    spec = KINDS["onlinedienste"]
    applied = prof.apply(land(), spec, table(["Kennung", "Name", "Leistungsbezeichnung", "Art", "Ressort"]))
    assert applied.table.headers == ["Dienst-Schlüssel", "", "Name", "Modell", "Zuständigkeit"]
    assert applied.notes == ["Durch das Profil „land-od“ ersetzt und nicht verwendet: „Name“"]


def test_a_profile_column_missing_from_the_file():
    spec = KINDS["onlinedienste"]
    # Required and nowhere else in the file: a problem; provided under our name: only a note.
    applied = prof.apply(land(), spec, table(["Kennung", "Art", "Ressort", "Name"]))
    assert not applied.problems
    assert applied.notes == ["Im Profil „land-od“ zugeordnet, aber nicht in der Datei: „Leistungsbezeichnung“ (→ Name)"]
    applied = prof.apply(land(), spec, table(["Kennung", "Art", "Ressort"]))
    assert [p.text() for p in applied.problems] == [
        "Die Spalte „Leistungsbezeichnung“, die das Profil „land-od“ der Pflichtspalte „Name“ zuordnet, fehlt in der "
        "Datei (erwartet die Spalten der Datei, für die das Profil angelegt wurde)"
    ]


def test_the_profile_finds_the_header_below_a_note():
    data = b"Export des Landes vom 18.03.2025\n" + foreign()
    cols = prof.file_columns("onlinedienste", data, file_name="land.csv", profile=land())
    assert cols.headers[:3] == ["Kennung", "Leistungsbezeichnung", "Art"]
    assert cols.samples["Art"] == ["EfA", "WfU", "Kommune"]
    assert cols.suggested["name"] == "Leistungsbezeichnung" and cols.suggested["themenfeld"] == "Themenfeld"


def test_mapping_from_the_editor_keeps_only_the_foreign_part():
    chosen = {"service_key": "Kennung", "name": "Name", "model": "Typ", "themenfeld": None}
    assert prof.mapping_from("onlinedienste", chosen) == {"Kennung": "service_key"}


# --- importing with a profile ----------------------------------------------------------------------------------------


def test_import_with_a_profile_stores_exactly_what_our_headers_store(engine):
    prepare(engine, services=False)
    prof.save_profile(engine, land(), user="pytest")
    first = import_file(engine, "onlinedienste", foreign(), file_name="dienste.csv", profile="LAND-OD")
    assert first.ok and first.new == 3, first.report()
    with_profile = dump(engine)
    again = import_file(engine, "onlinedienste", OURS, file_name="dienste.csv")
    assert again.ok and (again.new, again.changed, again.unchanged) == (0, 0, 3), again.report()
    assert dump(engine) == with_profile
    with engine.connect() as c:
        logged = c.scalars(select(ImportLog.message).order_by(ImportLog.id)).first()
    assert logged.startswith("„dienste.csv“ importiert (Onlinedienste, Profil „land-od“): 3 neu")
    assert "Spaltenzuordnung (Profil „land-od“): Kennung → Dienst-Schlüssel; Leistungsbezeichnung → Name" in logged


def test_problems_name_the_files_column_and_nothing_is_written(engine):
    prepare(engine, services=False)
    before = dump(engine)
    bad = foreign().replace(b",EfA,", b",XfA,")
    result = import_file(engine, "onlinedienste", bad, file_name="land.csv", profile=land(), dry_run=True)
    assert not result.ok
    assert result.message.startswith("„land.csv“ abgelehnt (Profil „land-od“) – es wurde nichts geschrieben.")
    assert result.problems[0].text().startswith("Zeile 2, Spalte „Art“ (→ Modell): „XfA“ ist kein erlaubter Wert")
    assert result.problems[0].column_text() == "Art (→ Modell)"
    assert dump(engine) == before


def test_a_profile_of_another_kind_or_an_unknown_name_is_refused(engine):
    prof.save_profile(engine, land(), user="pytest")
    with pytest.raises(prof.ProfileError, match="gehört zur Importart Onlinedienste .* nicht zu Epics"):
        import_file(engine, "epics", OURS, file_name="x.csv", profile="land-od")
    with pytest.raises(prof.ProfileError, match="Unbekanntes Profil „nix“; es gibt noch kein Profil für Epics"):
        import_file(engine, "epics", OURS, file_name="x.csv", profile="nix")
    with engine.connect() as c:
        assert c.scalars(select(ImportLog.id)).all() == []


# --- storage and files -----------------------------------------------------------------------------------------------


def test_save_list_replace(engine):
    prof.save_profile(engine, land("Land"), user="Frau A")
    with pytest.raises(prof.ProfileError, match="Ein Profil „Land“ gibt es schon"):
        prof.save_profile(engine, land("land"), user="Frau B")
    prof.save_profile(engine, prof.make_profile("land", "epics", {"Issue": "Titel"}), user="B", replace_existing=True)
    (only,) = prof.list_profiles(engine)
    assert (only.name, only.kind, only.mapping, only.saved_by) == ("land", "epics", {"Issue": "title"}, "B")
    assert only.saved_at is not None
    assert prof.list_profiles(engine, kind="onlinedienste") == []


def test_file_round_trip():
    p = land()
    back = prof.from_file(prof.to_file(p), file_name="p.json")
    assert (back.name, back.kind, back.mapping) == (p.name, p.kind, p.mapping)
    assert json.loads(prof.to_file(p))["zuordnung"]["Kennung"] == "Dienst-Schlüssel"  # our German header
    assert (
        prof.file_name(prof.make_profile("Land Übersicht 2", "epics", {"A": "Titel"})) == "profil_Land_Übersicht_2.json"
    )


GOOD = json.loads(prof.to_file(prof.make_profile("a", "epics", {"Issue": "Titel"})))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x" * (prof.MAX_FILE_BYTES + 1), "erlaubt sind höchstens 65536 Byte"),
        (b"\xff\xfe{}", "kein UTF-8-Text"),
        (b"{nope", "kein gültiges JSON \\(Zeile 1, Spalte 2\\)"),
        (b"[" * 100_000 + b"]" * 100_000, "erlaubt sind höchstens"),
        (b"[" * 20_000 + b"]" * 20_000, "kein gültiges JSON|keine Profildatei"),
        (b'{"format": "anders"}', "keine Profildatei"),
        (json.dumps(GOOD | {"version": 2}).encode(), "hat die Version 2"),
        (json.dumps(GOOD | {"zuordnung": ["Issue"]}).encode(), "fehlt die Zuordnung"),
        (json.dumps(GOOD | {"art": "nix"}).encode(), "Unbekannte Importart „nix“"),
        (json.dumps(GOOD | {"name": None}).encode(), "kein gültiger Profilname"),
        (json.dumps(GOOD | {"zuordnung": {"Issue": "Farbe"}}).encode(), "die es in der Importart Epics nicht gibt"),
        (b'{"format": "dvn-importprofil", "version": 1, "zuordnung": {"A": "Titel", "A": "Phase"}}', "„A“ doppelt"),
    ],
)
def test_bad_profile_files_are_rejected_in_german(data, message):
    with pytest.raises(prof.ProfileError, match=message):
        prof.from_file(data, file_name="p.json")


# --- command line ----------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_db(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def test_cli_export_then_import_round_trip(cli_db, engine, tmp_path, capsys):
    prof.save_profile(engine, land(), user="pytest")
    out = tmp_path / "p.json"
    assert cli.main(["profil", "export", "land-od", "-o", str(out)]) == 0
    assert "Profil „land-od“ (onlinedienste) geschrieben" in capsys.readouterr().out
    assert cli.main(["profil", "import", str(out)]) == 1
    assert "Ein Profil „land-od“ gibt es schon" in capsys.readouterr().err
    with transaction(engine) as s:
        s.execute(delete(ImportProfile))
    assert cli.main(["profile", "import", str(out), "--user", "Herr Test"]) == 0
    assert "Profil „land-od“ (onlinedienste) gespeichert: Kennung → Dienst-Schlüssel" in capsys.readouterr().out
    back = prof.get_profile(engine, "land-od")
    assert (back.kind, back.mapping, back.saved_by) == ("onlinedienste", land().mapping, "Herr Test (CLI)")
    assert cli.main(["profil", "list", "--art", "onlinedienste"]) == 0
    assert capsys.readouterr().out.startswith("land-od\tonlinedienste\tKennung → Dienst-Schlüssel")
    assert cli.main(["profil", "list", "--art", "epics"]) == 0
    assert "Keine Profile gespeichert für Epics." in capsys.readouterr().out


def test_cli_import_with_profile(cli_db, engine, tmp_path, capsys):
    prepare(engine, services=False)
    prof.save_profile(engine, land(), user="pytest")
    path = tmp_path / "land.csv"
    path.write_bytes(foreign())
    assert cli.main(["import", "onlinedienste", str(path), "--profil", "unbekannt"]) == 1
    err = capsys.readouterr().err
    assert (
        err.strip() == "Fehler: Unbekanntes Profil „unbekannt“; bekannt für Onlinedienste (onlinedienste): „land-od“."
    )
    assert cli.main(["import", "onlinedienste", str(path), "--profil", "land-od"]) == 0
    assert "„land.csv“ importiert (Onlinedienste, Profil „land-od“): 3 neu" in capsys.readouterr().out


def test_readme_and_import_docs_describe_the_profiles():
    root = Path(__file__).resolve().parents[2]
    docs = (root / "docs" / "IMPORT.md").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "## Spaltenzuordnung (Profile)" in docs
    for text in ("--profil NAME", "profil list", "profil export NAME", "profil import DATEI"):
        assert text in docs and text in readme, text
