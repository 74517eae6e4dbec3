"""Importers on the tiny committed fixtures: good files, every class of bad input, idempotent re-import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.db import transaction
from data_access.importers import ImportRejected, import_file
from data_access.models import (
    Authority,
    Base,
    EakteSnapshot,
    Epic,
    ImportLog,
    Offer,
    OnlineService,
    PiObjective,
    ProgramIncrement,
    Region,
    ServiceLeika,
    Team,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
KINDS = ("onlinedienste", "angebote", "eakte", "pi-ziele", "epics")
PROV = {"source": "Testaufbau", "as_of": dt.date(2025, 1, 1)}


def prepare(engine, *, services: bool = True) -> None:
    """The reference rows the fixtures point at: regions, authorities, PIs, teams and (optionally) services."""
    with transaction(engine) as s:
        s.add(Region(ars="03", name="Niedersachsen", level="LAN", unit_type="Land", **PROV))
        s.flush()
        s.add(
            Region(
                ars="03241",
                name="Region Hannover",
                level="KRS",
                unit_type="Region",
                parent_ars="03",
                kreis_ars="03241",
                **PROV,
            )
        )
        s.flush()
        s.add(
            Region(
                ars="032410001",
                name="Hannover, Landeshauptstadt",
                level="VWG",
                unit_type="Einheitsgemeinde",
                parent_ars="03241",
                kreis_ars="03241",
                **PROV,
            )
        )
        s.add_all(
            [
                Authority(code="NLBV", name="Landesamt für Bezüge und Versorgung", ministry_code="MF", **PROV),
                Authority(code="LKA", name="Landeskriminalamt", ministry_code="MI", **PROV),
            ]
        )
        s.add_all(
            [
                ProgramIncrement(
                    number=17, quarter="2025-Q1", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 3, 31), **PROV
                ),
                ProgramIncrement(
                    number=18, quarter="2025-Q2", start_date=dt.date(2025, 4, 1), end_date=dt.date(2025, 6, 30), **PROV
                ),
            ]
        )
        s.add_all([Team(name="Team Portal", **PROV), Team(name="Team eAkte", **PROV)])
        if services:
            for key in ("T-ELTERNGELD", "T-UMMELDUNG"):
                s.add(
                    OnlineService(
                        service_key=key,
                        name=key,
                        model="EfA",
                        themenfeld="Familie & Kind",
                        responsible_level="Land",
                        is_demo=True,
                        **PROV,
                    )
                )


def dump(engine) -> str:
    """Every data table's rows in primary-key order; the audit tables (import log, sign-ins) and the data version
    (it counts log rows too) are left out."""
    out = []
    with engine.connect() as conn:
        for t in Base.metadata.sorted_tables:
            if t.name not in ("import_log", "sign_in_event", "data_version"):
                out.append(f"{t.name}: {conn.execute(select(t).order_by(*t.primary_key.columns)).all()!r}")
    return "\n".join(out)


def log_results(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(ImportLog.result).order_by(ImportLog.id)))


def run(engine, kind, name, **kw):
    return import_file(engine, kind, FIXTURES / kind / name, user="pytest", today=dt.date(2025, 4, 2), **kw)


@pytest.mark.parametrize("kind", KINDS)
def test_good_file_imports_and_reimport_changes_nothing(engine, kind):
    prepare(engine, services=kind == "angebote")
    first = run(engine, kind, "good.csv").raise_for_problems()
    assert first.new == first.rows > 0 and first.changed == 0 and first.result == "ok"
    after_first = dump(engine)
    again = run(engine, kind, "good.csv").raise_for_problems()
    assert (again.new, again.changed, again.unchanged) == (0, 0, first.rows)
    assert again.result == "unverändert" and "keine Änderungen" in again.message
    assert dump(engine) == after_first
    assert log_results(engine) == ["ok", "unverändert"]


@pytest.mark.parametrize("kind", KINDS)
def test_dry_run_previews_without_writing(engine, kind):
    prepare(engine, services=kind == "angebote")
    before = dump(engine)
    preview = run(engine, kind, "good.csv", dry_run=True).raise_for_problems()
    assert preview.ok and preview.new > 0 and "noch nichts geschrieben" in preview.message
    assert [c.action for c in preview.changes] == ["neu"] * preview.new
    assert dump(engine) == before
    assert log_results(engine) == ["probelauf"]


BAD = [
    ("wrong_encoding.csv", r"Zeichenkodierung von „wrong_encoding\.csv“ wird nicht unterstützt \(UTF-16"),
    (
        "wrong_delimiter.csv",
        r"Trennzeichen von „wrong_delimiter\.csv“ ist Tabulator; erwartet wird Semikolon \(;\) oder Komma",
    ),
    ("empty.csv", r"„empty\.csv“ ist leer \(0 Byte\)"),
    ("not_csv.csv", r"„not_csv\.csv“ ist keine CSV-Datei, sondern ein PNG-Bild"),
    ("formula.csv", r"Zeile \d, Spalte „[^“]+“: „[=@+-][^“]*“ sieht aus wie eine Tabellenformel"),
    (
        "bad_date.csv",
        r"Zeile 3, Spalte „(Stand|Seit|Stichtag)“: „31\.02\.2025“ ist kein gültiges Datum \(erwartet TT\.MM\.JJJJ oder JJJJ-MM-TT, von 01\.01\.1990 bis 31\.12\.2100\)",
    ),
]
MISSING = {
    "onlinedienste": "Dienst-Schlüssel",
    "angebote": "Dienst-Schlüssel",
    "eakte": "Behörde",
    "pi-ziele": "Schlüssel",
    "epics": "Schlüssel",
}
UNKNOWN = {
    "onlinedienste": r"Zeile 2, Spalte „LeiKa-Schlüssel“: „9912345678901“ enthält einen ungültigen LeiKa-Schlüssel .* \(erwartet LeiKa-Schlüssel mit genau 14 Ziffern",
    "angebote": r"Zeile 3, Spalte „ARS“: „032419999“ ist keine bekannte Gebietseinheit",
    "eakte": r"Zeile 3, Spalte „Behörde“: „XYZ“ ist nicht angelegt \(erwartet Kürzel einer angelegten Behörde: LKA, NLBV\)",
    "pi-ziele": r"Zeile 3, Spalte „Team“: „Team Unbekannt“ ist nicht angelegt \(erwartet Name eines angelegten Teams: Team eAkte, Team Portal\)",
    "epics": r"Zeile 2, Spalte „Maßnahme“: „B\.9\.9“ ist keine Maßnahme des Handlungsplans",
}
DUPLICATE = {
    "onlinedienste": ("Dienst-Schlüssel", "T-ELTERNGELD", 5),
    "angebote": ("Dienst-Schlüssel", "T-ELTERNGELD / 03 / 01.01.2025", 5),
    "eakte": ("Behörde", "NLBV / 31.03.2025", 4),
    "pi-ziele": ("Schlüssel", "DVN-101", 5),
    "epics": ("Schlüssel", "DVNPF-1", 4),
}


def bad_cases():
    for kind in KINDS:
        for name, pattern in BAD:
            yield pytest.param(kind, name, pattern, id=f"{kind}-{name}")
        yield pytest.param(
            kind, "missing_column.csv", rf"Pflichtspalte „{MISSING[kind]}“ fehlt", id=f"{kind}-missing_column"
        )
        yield pytest.param(kind, "unknown_key.csv", UNKNOWN[kind], id=f"{kind}-unknown_key")
        col, key, line = DUPLICATE[kind]
        yield pytest.param(
            kind,
            "duplicate_key.csv",
            rf"Zeile {line}, Spalte „{col}“: „{key}“ kommt in der Datei mehrfach vor \(zuerst in Zeile 2\)",
            id=f"{kind}-duplicate_key",
        )


@pytest.mark.parametrize(("kind", "name", "pattern"), list(bad_cases()))
def test_bad_input_is_rejected_with_german_message_and_nothing_written(engine, kind, name, pattern):
    prepare(engine, services=kind == "angebote")
    before = dump(engine)
    result = run(engine, kind, name)
    with pytest.raises(ImportRejected, match=pattern):
        result.raise_for_problems()
    assert "abgelehnt – es wurde nichts geschrieben" in result.message
    assert dump(engine) == before
    assert log_results(engine) == ["abgelehnt"]


def test_bad_rows_leave_a_partially_good_file_unwritten(engine):
    """All-or-nothing: the good rows of a file with one bad row are not written either."""
    prepare(engine)
    before = dump(engine)
    result = run(engine, "pi-ziele", "bad_bv.csv")
    assert not result.ok and len(result.problems) == 1
    assert result.problems[0].text() == (
        "Zeile 3, Spalte „Geplanter Geschäftswert“: „12“ liegt außerhalb des erlaubten Bereichs (erwartet ganze Zahl von 1 bis 10)"
    )
    assert dump(engine) == before


def test_unknown_pi_lists_the_known_pis(engine):
    prepare(engine)
    with pytest.raises(
        ImportRejected,
        match=r"Zeile 2, Spalte „PI“: „30“ ist nicht angelegt \(erwartet ein angelegter PI: PI 17 \(2025-Q1\), PI 18 \(2025-Q2\)\)",
    ):
        run(engine, "pi-ziele", "unknown_pi.csv").raise_for_problems()


def test_pi_objectives_from_english_jira_export(engine):
    prepare(engine)
    run(engine, "pi-ziele", "good.csv").raise_for_problems()
    with transaction(engine) as s:
        rows = {o.objective_key: o for o in s.scalars(select(PiObjective))}
        teams = {t.id: t.name for t in s.scalars(select(Team))}
    assert set(rows) == {"DVN-101", "DVN-102", "DVN-103"}
    a, b, c = rows["DVN-101"], rows["DVN-102"], rows["DVN-103"]
    assert (a.pi_number, teams[a.team_id], a.committed, a.planned_bv, float(a.actual_bv)) == (
        18,
        "Team Portal",
        True,
        8,
        7.5,
    )
    assert (b.pi_number, b.committed, b.actual_bv) == (18, True, None)  # "2025-Q2" resolved to PI 18
    assert (c.team_id, c.committed, c.measure_id) == (None, False, None)
    assert a.source == "Import good.csv (pi-ziele)" and a.as_of == dt.date(2025, 4, 2) and not a.is_demo


@pytest.mark.parametrize("kind", ["eakte", "pi-ziele"])
def test_excel_on_named_or_first_sheet_matches_the_csv(engine, kind):
    prepare(engine)
    run(engine, kind, "good.csv").raise_for_problems()
    result = run(engine, kind, "good.xlsx").raise_for_problems()
    assert result.file_format.startswith("Excel")
    assert (result.new, result.changed) == (0, 0), result.changes


def test_services_cp1252_comma_and_leika_keys(engine):
    run(engine, "onlinedienste", "good.csv").raise_for_problems()
    with transaction(engine) as s:
        svc = {o.service_key: o for o in s.scalars(select(OnlineService))}
        leika = s.execute(
            select(ServiceLeika.service_id, ServiceLeika.leika_key).order_by(ServiceLeika.leika_key)
        ).all()
    assert svc["T-ELTERNGELD"].themenfeld == "Familie & Kind"  # "Familie und Kind" accepted
    assert svc["T-UMMELDUNG"].themenfeld == "Mobilität & Reisen"  # umlaut survived Windows-1252
    assert svc["T-UMMELDUNG"].is_focus and not svc["T-HUNDESTEUER"].is_focus
    assert [k for sid, k in leika if sid == svc["T-UMMELDUNG"].id] == ["99123456789013", "99123456789014"]
    assert svc["T-ELTERNGELD"].as_of == dt.date(2025, 3, 18)


def test_changed_rows_are_updated_and_reported(engine):
    prepare(engine, services=False)
    run(engine, "eakte", "good.csv").raise_for_problems()
    changed = (FIXTURES / "eakte" / "good.csv").read_text(encoding="utf-8").replace(";350;", ";420;")
    result = import_file(
        engine, "eakte", changed.encode(), file_name="eakte_april.csv", user="pytest"
    ).raise_for_problems()
    assert (result.new, result.changed, result.unchanged) == (0, 1, 1)
    assert [c.detail for c in result.changes if c.action == "geändert"] == ["Aktive Nutzende: 350 → 420"]
    with transaction(engine) as s:
        assert sorted(s.scalars(select(EakteSnapshot.active_users))) == [420, 1875]


def test_demo_rows_matched_by_key_become_imported_rows(engine):
    prepare(engine)  # T-ELTERNGELD and T-UMMELDUNG exist as Beispieldaten
    result = run(engine, "onlinedienste", "good.csv").raise_for_problems()
    assert (result.new, result.changed) == (1, 2)
    with transaction(engine) as s:
        assert not any(s.scalars(select(OnlineService.is_demo)))


def test_offer_history_closes_the_open_period_on_status_change(engine):
    prepare(engine)
    run(engine, "angebote", "good.csv").raise_for_problems()
    with transaction(engine) as s:
        eg = s.scalar(select(OnlineService.id).where(OnlineService.service_key == "T-ELTERNGELD"))
        auth = s.scalar(select(Authority.id).where(Authority.code == "NLBV"))
    header = "Dienst-Schlüssel;ARS;Status;Seit;Behörde\n"
    same = import_file(
        engine, "angebote", (header + "T-ELTERNGELD;03;live;01.03.2025;NLBV\n").encode(), file_name="a.csv"
    )
    assert (same.new, same.changed, same.unchanged) == (0, 0, 1)  # same status → nothing to do
    moved = import_file(
        engine, "angebote", (header + "T-ELTERNGELD;03;geplant;01.05.2025;NLBV\n").encode(), file_name="b.csv"
    )
    assert moved.changed == 1 and moved.changes[0].detail == "Status ab 01.05.2025: live → geplant"
    with transaction(engine) as s:
        periods = s.execute(
            select(Offer.status, Offer.valid_from, Offer.valid_to, Offer.authority_id)
            .where(Offer.service_id == eg)
            .order_by(Offer.valid_from)
        ).all()
    assert periods == [
        ("live", dt.date(2025, 1, 1), dt.date(2025, 5, 1), auth),
        ("geplant", dt.date(2025, 5, 1), None, auth),
    ]
    before = dump(engine)
    older = import_file(
        engine, "angebote", (header + "T-ELTERNGELD;03;live;01.02.2025;NLBV\n").encode(), file_name="c.csv"
    )
    assert not older.ok and "liegt vor dem Beginn des geltenden Zeitraums" in older.report()
    assert dump(engine) == before


def test_epics_german_budget_and_measure(engine):
    run(engine, "epics", "good.csv").raise_for_problems()
    with transaction(engine) as s:
        e = s.scalar(select(Epic).where(Epic.epic_key == "DVNPF-1"))
        assert float(e.budget_eur) == 1_250_000.0 and e.measure_id is not None and e.stage == "Analyse"


def test_limits_give_a_clear_message(engine, monkeypatch):
    from data_access.importers import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    with pytest.raises(ImportRejected, match=r"hat mehr als 2 Datenzeilen; erlaubt sind höchstens 2"):
        run(engine, "onlinedienste", "good.csv").raise_for_problems()
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    with pytest.raises(ImportRejected, match=r"„good\.csv“ ist 427 Byte groß; erlaubt sind höchstens 100 Byte"):
        run(engine, "onlinedienste", "good.csv").raise_for_problems()


def test_import_log_records_file_hash_and_user(engine):
    result = run(engine, "epics", "good.csv")
    with transaction(engine) as s:
        log = s.scalar(select(ImportLog))
        assert (log.file_name, log.kind, log.rows, log.result, log.user_name) == (
            "good.csv",
            "epics",
            2,
            "ok",
            "pytest",
        )
        assert log.sha256 == result.sha256 and len(log.sha256) == 64


def test_header_only_file_is_rejected(engine):
    with pytest.raises(ImportRejected, match="Kopfzeile, aber keine Datenzeilen"):
        import_file(engine, "epics", "Schlüssel;Titel;Phase\n".encode(), file_name="leer.csv").raise_for_problems()


def test_unknown_kind_is_an_error(engine):
    with pytest.raises(ValueError, match="Unbekannte Importart „foo“"):
        import_file(engine, "foo", b"x", file_name="x.csv")


def test_docs_and_templates_match_the_column_definitions():
    from data_access.importers import KINDS
    from data_access.importers.templates import (
        column_table,
        columns_markdown,
        template_csv_text,
        template_path,
        template_xlsx,
    )

    docs = (Path(__file__).resolve().parent.parent.parent / "docs" / "IMPORT.md").read_text(encoding="utf-8")
    assert columns_markdown() in docs
    for kind in KINDS:
        assert template_path(kind).read_text(encoding="utf-8") == template_csv_text(kind)
        assert len(column_table(kind)) == len(KINDS[kind].columns)
        assert template_xlsx(kind)[:2] == b"PK"


def test_template_files_import_as_header_only(engine):
    from data_access.importers.templates import template_csv, template_xlsx

    for data, name in ((template_csv("epics"), "vorlage.csv"), (template_xlsx("epics"), "vorlage.xlsx")):
        with pytest.raises(ImportRejected, match="Kopfzeile, aber keine Datenzeilen"):
            import_file(engine, "epics", data, file_name=name).raise_for_problems()


def test_export_escapes_formula_cells(engine):
    from data_access.importers.templates import export_table
    from reports.files import to_csv_bytes

    with transaction(engine) as s:
        s.add(Team(name='=HYPERLINK("x")', **PROV))
    csv = to_csv_bytes(export_table(engine, "team")).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        (" =1+1", "' =1+1"),
        ("\n=HYPERLINK(1)", "'\n=HYPERLINK(1)"),
        ("\t@SUM(A1)", "'\t@SUM(A1)"),
        ("-1+A1", "'-1+A1"),
        ("+49 511 120-0", "'+49 511 120-0"),
        ("-5", "-5"),
        ("-1.234,5", "-1.234,5"),
        ("+12,5 %", "+12,5 %"),
        ("Elterngeld", "Elterngeld"),
    ],
)
def test_neutralise_formula_cells(value, expected):
    from data_access.text import neutralise

    assert neutralise(value) == expected


def test_excel_export_neutralises_header_and_note():
    import io

    import openpyxl
    import pandas as pd

    from reports.files import to_csv_bytes, to_excel_bytes

    df = pd.DataFrame({"=Kopf": [" =1+1"], "Zahl": ["-5"]})
    ws = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(df, note="=HINWEIS()"))).active
    assert ws.cell(1, 1).value == "'=HINWEIS()"
    assert [c.value for c in ws[3]] == ["'=Kopf", "Zahl"]
    assert [c.value for c in ws[4]] == ["' =1+1", "-5"]
    assert to_csv_bytes(df).decode("utf-8-sig").splitlines()[0] == "'=Kopf;Zahl"
