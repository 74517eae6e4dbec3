"""Import kinds "behoerden", "teams" and "pis": good files, every class of bad input, re-import, demo rows taken over."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from sqlalchemy import select

from data_access.db import transaction
from data_access.importers import ImportRejected, import_file
from data_access.models import Authority, EakteSnapshot, PiObjective, ProgramIncrement, Region, Team
from tests.unit.test_import import dump, log_results

TODAY = dt.date(2025, 4, 2)
PROV = {"source": "Testaufbau", "as_of": dt.date(2025, 1, 1)}
DEMO = {"source": "Beispieldaten (synthetisch, DVN-Dashboard)", "as_of": dt.date(2025, 1, 1), "is_demo": True}

GOOD = {
    "behoerden": (
        "Kürzel;Name;Ressort;Sitz-ARS;Geplante Arbeitsplätze;Mandant;im eAkte-Umfang;Stand\n"
        "NLBV;Niedersächsisches Landesamt für Bezüge und Versorgung;MF;032410001;1.200;Mandant MF;ja;31.03.2025\n"
        "PD H;Polizeidirektion Hannover;mi;32410001;;Mandant Polizei;;\n"
        "IT.N;IT.Niedersachsen;MI;03;350;;nein;\n"
    ),
    "teams": (
        "Name;ART/Bereich;aktiv von;aktiv bis\n"
        "Team Portalverbund;ART Onlinedienste;01.01.2021;\n"
        "Team eAkte Rollout;ART eAkte;2021-01-01;31.12.2026\n"
        "Team Altlast;;;30.06.2023\n"
    ),
    "pis": (
        "Nummer;Quartal;Beginn;Ende;Planung von;Planung bis;Ort\n"
        "17;2025-Q1;01.01.2025;31.03.2025;;;\n"
        "PI 18;;01.04.2025;30.06.2025;18.03.2025;19.03.2025;Expowal Hannover\n"
        "19;Q3/2025;01.07.2025;30.09.2025;17.06.2025;18.06.2025;online\n"
    ),
}
SHEETS = {"behoerden": "Behörden", "teams": "Teams", "pis": "PIs"}


@pytest.fixture
def regions(engine):
    with transaction(engine) as s:
        s.add(Region(ars="03", name="Niedersachsen", level="LAN", unit_type="Land", **PROV))
        s.flush()
        s.add(Region(ars="03241", name="Region Hannover", level="KRS", unit_type="Region", parent_ars="03", **PROV))
        s.flush()
        s.add(
            Region(
                ars="032410001",
                name="Hannover, Landeshauptstadt",
                level="VWG",
                unit_type="Einheitsgemeinde",
                parent_ars="03241",
                **PROV,
            )
        )


def imp(engine, kind: str, text: str | bytes, name: str | None = None, **kw):
    data = text.encode() if isinstance(text, str) else text
    return import_file(engine, kind, data, file_name=name or f"{kind}.csv", user="pytest", today=TODAY, **kw)


def rows(engine, model, key) -> dict:
    with transaction(engine) as s:
        return {getattr(o, key): o for o in s.scalars(select(model))}


@pytest.mark.parametrize("kind", list(GOOD))
def test_good_file_imports_and_reimport_changes_nothing(engine, regions, kind):
    first = imp(engine, kind, GOOD[kind], "good.csv").raise_for_problems()
    assert (first.new, first.changed, first.unchanged) == (3, 0, 0) and first.result == "ok"
    after = dump(engine)
    again = imp(engine, kind, GOOD[kind], "good.csv").raise_for_problems()
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3) and again.result == "unverändert"
    assert dump(engine) == after
    assert log_results(engine) == ["ok", "unverändert"]


def test_authorities_values(engine, regions):
    imp(engine, "behoerden", GOOD["behoerden"], "good.csv").raise_for_problems()
    got = rows(engine, Authority, "code")
    nlbv, pdh, itn = got["NLBV"], got["PD H"], got["IT.N"]
    assert (nlbv.ministry_code, nlbv.seat_ars, nlbv.planned_workplaces, nlbv.mandant, nlbv.in_eakte_scope) == (
        "MF",
        "032410001",
        1200,
        "Mandant MF",
        True,
    )
    assert (nlbv.source, nlbv.as_of, nlbv.is_demo) == ("Import good.csv (behoerden)", dt.date(2025, 3, 31), False)
    # "mi" is the ministry MI; Excel's dropped leading zero is put back; empty scope = ja
    assert (pdh.ministry_code, pdh.seat_ars, pdh.planned_workplaces, pdh.in_eakte_scope) == (
        "MI",
        "032410001",
        None,
        True,
    )
    assert (itn.seat_ars, itn.in_eakte_scope, itn.as_of) == ("03", False, TODAY)


def test_teams_and_pis_values(engine):
    imp(engine, "teams", GOOD["teams"]).raise_for_problems()
    imp(engine, "pis", GOOD["pis"]).raise_for_problems()
    teams = rows(engine, Team, "name")
    assert (teams["Team eAkte Rollout"].area, teams["Team eAkte Rollout"].active_to) == (
        "ART eAkte",
        dt.date(2026, 12, 31),
    )
    assert (teams["Team Altlast"].area, teams["Team Altlast"].active_from) == (None, None)
    pis = rows(engine, ProgramIncrement, "number")
    assert [pis[n].quarter for n in (17, 18, 19)] == ["2025-Q1", "2025-Q2", "2025-Q3"]  # 18: derived from Beginn
    p18 = pis[18]
    assert (p18.start_date, p18.end_date, p18.planning_start, p18.planning_end, p18.planning_place) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 6, 30),
        dt.date(2025, 3, 18),
        dt.date(2025, 3, 19),
        "Expowal Hannover",
    )
    assert not p18.is_demo and p18.source == "Import pis.csv (pis)" and p18.as_of == TODAY


@pytest.mark.parametrize("kind", list(GOOD))
def test_excel_sheet_matches_the_csv(engine, regions, kind):
    imp(engine, kind, GOOD[kind]).raise_for_problems()
    df = pd.read_csv(io.StringIO(GOOD[kind]), sep=";", dtype=str, keep_default_na=False)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        pd.DataFrame({"x": [1]}).to_excel(w, sheet_name="Hinweise", index=False)
        df.to_excel(w, sheet_name=SHEETS[kind], index=False)
    result = imp(engine, kind, buf.getvalue(), f"{kind}.xlsx").raise_for_problems()
    assert result.file_format.startswith("Excel")
    assert (result.new, result.changed, result.unchanged) == (0, 0, 3), result.changes


A = "Kürzel;Name;Ressort;Sitz-ARS;Geplante Arbeitsplätze;im eAkte-Umfang\n"
T = "Name;ART/Bereich;aktiv von;aktiv bis\n"
P = "Nummer;Quartal;Beginn;Ende;Planung von;Planung bis\n"
P17 = "17;;01.01.2025;31.03.2025;;\n"
BAD = [
    (
        "behoerden",
        A + "NLBV;Landesamt;MF;;;\nLKA;Landeskriminalamt;MX;;;\n",
        r"Zeile 3, Spalte „Ressort“: „MX“ ist nicht angelegt \(erwartet Kürzel eines Ressorts: MB, MF, MI, .*StK\)",
    ),
    (
        "behoerden",
        A + "NLBV;Landesamt;MF;031510009;;\n",
        r"Zeile 2, Spalte „Sitz-ARS“: „031510009“ ist keine bekannte Gebietseinheit \(erwartet ARS aus der Gebietstabelle",
    ),
    ("behoerden", A + "NLBV;Landesamt;MF;03241001;;\n", r"„03241001“ ist ein 8-stelliger Gemeindeschlüssel \(AGS\)"),
    ("behoerden", A + "NLBV;Landesamt;MF;04101;;\n", r"„04101“ liegt nicht in Niedersachsen"),
    ("behoerden", A + "NLBV;Landesamt;MF;;1,5;\n", r"Zeile 2, Spalte „Geplante Arbeitsplätze“: „1,5“ ist keine ganze"),
    (
        "behoerden",
        A + "NLBV;Landesamt;MF;;-3;\n",
        r"„-3“ liegt außerhalb des erlaubten Bereichs \(erwartet ganze Zahl von 0 bis",
    ),
    (
        "behoerden",
        A + "NLBV;Landesamt;MF;;;vielleicht\n",
        r"Spalte „im eAkte-Umfang“: „vielleicht“ ist kein Ja/Nein-Wert",
    ),
    (
        "behoerden",
        A + "NLBV;=HYPERLINK(1);MF;;;\n",
        r"Zeile 2, Spalte „Name“: „=HYPERLINK\(1\)“ sieht aus wie eine Tabellenformel",
    ),
    ("behoerden", A + "NLBV;Landesamt;;;;\n", r"Zeile 2, Spalte „Ressort“: Pflichtangabe fehlt"),
    (
        "behoerden",
        A + "NLBV;Landesamt;MF;;;\nnlbv;Landesamt;MF;;;\n",
        r"Zeile 3, Spalte „Kürzel“: „nlbv“ kommt in der Datei mehrfach vor \(zuerst in Zeile 2\)",
    ),
    ("behoerden", "Kürzel;Name\nNLBV;Landesamt\n", r"Pflichtspalte „Ressort“ fehlt \(auch erkannt: Ministerium"),
    (
        "teams",
        T + "Team A;;31.02.2025;\n",
        r"Zeile 2, Spalte „aktiv von“: „31\.02\.2025“ ist kein gültiges Datum \(erwartet TT",
    ),
    (
        "teams",
        T + "Team A;;01.01.2022;31.12.2021\n",
        r"Zeile 2, Spalte „aktiv bis“: „31\.12\.2021“ liegt vor „aktiv von“ \(01\.01\.2022\)",
    ),
    (
        "teams",
        T + "Team A;;;\nteam  a;;;\n",
        r"Zeile 3, Spalte „Name“: „team  a“ kommt in der Datei mehrfach vor \(zuerst in Zeile 2\)",
    ),
    ("pis", P + "18;;01.04.2025;1.7.25;;\n", r"Zeile 2, Spalte „Ende“: „1\.7\.25“ ist kein gültiges Datum"),
    (
        "pis",
        P + "18;;01.04.2025;01.04.2025;;\n",
        r"Zeile 2, Spalte „Ende“: „01\.04\.2025“ liegt nicht nach dem Beginn \(01\.04\.2025\)",
    ),
    (
        "pis",
        P + P17 + "18;;15.03.2025;30.06.2025;;\n",
        r"Zeile 3, Spalte „Beginn“: „15\.03\.2025“ überschneidet sich mit PI 17 \(01\.01\.2025 bis 31\.03\.2025, Zeile 2\)",
    ),
    (
        "pis",
        P + "18;2025-Q3;01.04.2025;30.06.2025;;\n",
        r"Spalte „Quartal“: „2025-Q3“ passt nicht zum Beginn 01\.04\.2025 \(Quartal 2025-Q2\)",
    ),
    (
        "pis",
        P + "18;;01.04.2025;15.05.2025;;\n19;;16.05.2025;30.06.2025;;\n",
        r"Zeile 3, Spalte „Beginn“: „16\.05\.2025“ liegt im Quartal 2025-Q2, das schon PI 18 zugeordnet ist",
    ),
    (
        "pis",
        P + "18;;01.04.2025;30.06.2025;20.03.2025;18.03.2025\n",
        r"Spalte „Planung bis“: „18\.03\.2025“ liegt vor dem Beginn der Planung \(20\.03\.2025\)",
    ),
    ("pis", P + "PI x;;01.04.2025;30.06.2025;;\n", r"Zeile 2, Spalte „Nummer“: „PI x“ ist keine PI-Nummer"),
    (
        "pis",
        P + "18;;01.04.2025;30.06.2025;;\nPI 18;;01.07.2025;30.09.2025;;\n",
        r"Zeile 3, Spalte „Nummer“: „18“ kommt in der Datei mehrfach vor \(zuerst in Zeile 2\)",
    ),
]


@pytest.mark.parametrize(("kind", "text", "pattern"), BAD, ids=[f"{k}-{i}" for i, (k, *_r) in enumerate(BAD)])
def test_bad_input_is_rejected_with_row_and_column_and_nothing_written(engine, regions, kind, text, pattern):
    before = dump(engine)
    result = imp(engine, kind, text)
    with pytest.raises(ImportRejected, match=pattern):
        result.raise_for_problems()
    assert "abgelehnt – es wurde nichts geschrieben" in result.message
    assert dump(engine) == before
    assert log_results(engine) == ["abgelehnt"]


def test_pi_overlapping_a_stored_pi_is_rejected(engine):
    imp(engine, "pis", GOOD["pis"]).raise_for_problems()
    before = dump(engine)
    with pytest.raises(
        ImportRejected,
        match=r"Zeile 2, Spalte „Beginn“: „15\.09\.2025“ überschneidet sich mit PI 19 \(01\.07\.2025 bis 30\.09\.2025, "
        r"gespeichert\) \(erwartet PI-Zeiträume ohne Überschneidung\)",
    ):
        imp(engine, "pis", P + "20;;15.09.2025;31.12.2025;;\n").raise_for_problems()
    # a stored PI that starts inside the new one: the problem is on the file's row, at its end
    with pytest.raises(ImportRejected, match=r"Zeile 2, Spalte „Ende“: „15\.01\.2025“ überschneidet sich mit PI 17"):
        imp(engine, "pis", P + "16;;01.10.2024;15.01.2025;;\n").raise_for_problems()
    assert dump(engine) == before
    # moving a stored PI is checked against its new dates, not its old ones
    moved = imp(
        engine, "pis", "Nummer;Beginn;Ende\n19;01.07.2025;31.08.2025\n20;01.10.2025;31.12.2025\n"
    ).raise_for_problems()
    assert (moved.new, moved.changed) == (1, 1)
    assert [c.detail for c in moved.changes if c.action == "geändert"] == ["Ende: 30.09.2025 → 31.08.2025"]


def test_team_period_is_checked_against_the_stored_value(engine):
    imp(engine, "teams", T + "Team A;;01.01.2021;\n").raise_for_problems()
    with pytest.raises(
        ImportRejected, match=r"„aktiv bis“: „31\.12\.2020“ liegt vor „aktiv von“ \(01\.01\.2021, gespeicherter"
    ):
        imp(engine, "teams", "Name;aktiv bis\nTeam A;31.12.2020\n").raise_for_problems()
    imp(engine, "teams", "Name;aktiv bis\nTeam A;31.12.2026\n").raise_for_problems()
    with pytest.raises(
        ImportRejected, match=r"„aktiv von“: „01\.01\.2027“ liegt nach „aktiv bis“ \(31\.12\.2026, gespeicherter"
    ):
        imp(engine, "teams", "Name;aktiv von\nTeam A;01.01.2027\n").raise_for_problems()


def test_keys_ignore_case_and_missing_columns_leave_values(engine, regions):
    imp(engine, "behoerden", GOOD["behoerden"]).raise_for_problems()
    result = imp(
        engine,
        "behoerden",
        "Kürzel;Name;Ressort;Geplante Arbeitsplätze\nnlbv;Landesamt;mf;1300\npd  h;Polizeidirektion Hannover;MI;\n",
    )
    result.raise_for_problems()
    assert (result.new, result.changed, result.unchanged) == (0, 1, 1), result.changes  # pd  h = PD H, same values
    details = {c.key: c.detail for c in result.changes}
    assert (
        details["nlbv"]
        == "Name: Niedersächsisches Landesamt für Bezüge und Versorgung → Landesamt; Geplante Arbeitsplätze: 1.200 → 1.300"
    )
    got = rows(engine, Authority, "code")
    assert set(got) == {"NLBV", "PD H", "IT.N"}  # the stored spelling stays
    nlbv = got["NLBV"]
    assert (nlbv.name, nlbv.planned_workplaces, nlbv.seat_ars, nlbv.mandant) == (
        "Landesamt",
        1300,
        "032410001",
        "Mandant MF",
    )
    assert nlbv.source == "Import behoerden.csv (behoerden)"
    imp(engine, "teams", GOOD["teams"]).raise_for_problems()
    again = imp(engine, "teams", "Name\nTEAM PORTALVERBUND\n").raise_for_problems()
    assert (again.new, again.unchanged) == (0, 1) and rows(engine, Team, "name")[
        "Team Portalverbund"
    ].area == "ART Onlinedienste"


def test_demo_rows_matched_by_key_become_imported_rows(engine, regions):
    with transaction(engine) as s:
        auth = Authority(
            code="NLBV", name="Niedersächsisches Landesamt für Bezüge und Versorgung", ministry_code="MF", **DEMO
        )
        team = Team(name="Team eAkte Rollout", **DEMO)
        pi = ProgramIncrement(
            number=18, quarter="2025-Q2", start_date=dt.date(2025, 4, 1), end_date=dt.date(2025, 6, 30), **DEMO
        )
        s.add_all([auth, team, pi])
        s.flush()
        s.add(
            EakteSnapshot(
                authority_id=auth.id, snapshot_date=dt.date(2025, 3, 31), status="produktiv", active_users=5, **DEMO
            )
        )
        s.add(PiObjective(objective_key="DEMO-1", pi_number=18, team_id=team.id, text="Ziel", **DEMO))
        ids = (auth.id, team.id)
    for kind, line, detail in (
        (
            "behoerden",
            "Kürzel;Name;Ressort\nnlbv;Niedersächsisches Landesamt für Bezüge und Versorgung;MF\n",
            "Beispieldaten: ja → nein",
        ),
        (
            "teams",
            "Name;ART/Bereich\nTeam eAkte Rollout;ART eAkte\n",
            "ART/Bereich: – → ART eAkte; Beispieldaten: ja → nein",
        ),
        ("pis", "Nummer;Beginn;Ende\n18;01.04.2025;30.06.2025\n", "Beispieldaten: ja → nein"),
    ):
        preview = imp(engine, kind, line, dry_run=True).raise_for_problems()
        assert [(c.action, c.detail) for c in preview.changes] == [("geändert", detail)]
        result = imp(engine, kind, line).raise_for_problems()
        assert (result.new, result.changed) == (0, 1)
        assert imp(engine, kind, line).result == "unverändert"
    with transaction(engine) as s:
        a = s.scalar(select(Authority))
        t = s.scalar(select(Team))
        p = s.scalar(select(ProgramIncrement))
        assert (
            a.id,
            t.id,
        ) == ids and a.code == "NLBV"  # same rows: the demo snapshot and objective still point at them
        for o, kind in ((a, "behoerden"), (t, "teams"), (p, "pis")):
            assert (o.is_demo, o.source, o.as_of) == (False, f"Import {kind}.csv ({kind})", TODAY)
        assert s.scalar(select(EakteSnapshot.authority_id)) == a.id
        assert s.scalar(select(PiObjective.team_id)) == t.id


def test_templates_import_as_header_only(engine):
    from data_access.importers.templates import template_csv, template_xlsx

    for kind in GOOD:
        for data, name in ((template_csv(kind), "vorlage.csv"), (template_xlsx(kind), "vorlage.xlsx")):
            with pytest.raises(ImportRejected, match="Kopfzeile, aber keine Datenzeilen"):
                imp(engine, kind, data, name).raise_for_problems()


def test_eakte_mandant_is_checked_against_the_master_data_not_read_as_authority(engine):
    """36 Mandanten vs 53 Behörden: a Mandant column is verified against the authority's stored Mandant."""
    import datetime as dt

    from data_access.db import transaction
    from data_access.importers import import_file
    from data_access.models import Authority

    with transaction(engine) as s:
        s.add(
            Authority(code="NLBV", name="NLBV", ministry_code="MF", mandant="MF", source="t", as_of=dt.date(2025, 1, 1))
        )
    head = "Behörde;Mandant;Stichtag;Status;Aktive Nutzende\n"
    ok = import_file(engine, "eakte", (head + "NLBV;mf;31.03.2025;produktiv;10\n").encode(), file_name="a.csv")
    assert ok.ok, ok.report()
    bad = import_file(engine, "eakte", (head + "NLBV;MI;30.06.2025;produktiv;10\n").encode(), file_name="b.csv")
    assert not bad.ok and (bad.problems[0].row, bad.problems[0].column) == (2, "Mandant")
    # a file with only a Mandant column is not taken for authority codes
    only = import_file(
        engine, "eakte", b"Mandant;Stichtag;Status;Aktive Nutzende\nMF;31.03.2025;produktiv;1\n", file_name="c.csv"
    )
    assert not only.ok and "Pflichtspalte „Behörde“ fehlt" in only.report()
