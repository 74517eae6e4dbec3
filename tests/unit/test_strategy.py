"""Strategie queries: coverage matrix exactly as the annex, classification, runtimes, PI progress, epics."""

import datetime as dt
import math
from decimal import Decimal

import pytest
from sqlalchemy import select

from data_access.db import transaction
from data_access.models import Epic, Measure, PiObjective, ProgramIncrement, Team
from data_access.queries import strategy as q
from reports import tables

TODAY = dt.date(2026, 11, 22)
UNCOVERED = [1, 4, 5, 10, 12, 13, 20, 22, 23, 24, 25, 26, 27, 33, 41, 42, 43]
PROV = dict(source="Testquelle PI", as_of=dt.date(2025, 6, 30), is_demo=True)


def seed_progress(engine) -> None:
    """PI 17 scored, PI 18 running; objectives on B.1.3.2 (#14, #19), B.2.11 (#8, #9, #19) and B.1.6 (none)."""
    with transaction(engine) as s:
        ids = dict(s.execute(select(Measure.row_key, Measure.id)).all())
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
        team = Team(name="Team Test", **PROV)
        s.add(team)
        s.flush()

        def obj(key, pi, measure, committed, planned, actual):
            return PiObjective(
                objective_key=key,
                pi_number=pi,
                team_id=team.id,
                text=f"Ziel {key}",
                committed=committed,
                planned_bv=planned,
                actual_bv=None if actual is None else Decimal(actual),
                measure_id=ids[measure] if measure else None,
                **PROV,
            )

        s.add_all(
            [
                obj("O1", 17, "B.1.3.2", True, 8, "6"),
                obj("O2", 17, "B.2.11", True, 10, "9"),
                obj("O3", 17, "B.2.11", False, 5, "3"),
                obj("O4", 17, "B.1.6", True, 4, "4"),
                obj("O5", 17, None, True, 6, "6"),
                obj("O6", 18, "B.1.3.2", True, 7, None),
            ]
        )
        s.add_all(
            [
                Epic(
                    epic_key="E1",
                    title="Idee A",
                    stage="Ideenspeicher",
                    owner="MI",
                    budget_eur=Decimal("100000"),
                    **PROV,
                ),
                Epic(
                    epic_key="E2",
                    title="Analyse B",
                    stage="Analyse",
                    owner="IT.N",
                    budget_eur=Decimal("1500000"),
                    measure_id=ids["B.2.1"],
                    **PROV,
                ),
                Epic(
                    epic_key="E3", title="Analyse C", stage="Analyse", owner=None, budget_eur=Decimal("500000"), **PROV
                ),
            ]
        )


def _linked(grid, row_key):
    return sorted(grid[(grid["row_key"] == row_key) & (grid["linked"] == 1)]["number"])


def test_coverage_grid_matches_annex(engine):
    grid = q.coverage(engine)
    assert len(grid) == 43 * 43
    assert grid["linked"].sum() == 56  # every "#n" printed in the annex' column "Strategische Maßnahmen"
    assert _linked(grid, "B.1.3.2") == [14, 19]
    assert _linked(grid, "B.2.11") == [8, 9, 19]
    assert _linked(grid, "B.2.11/2") == [9, 21]
    assert _linked(grid, "B.1.6") == []  # printed "-"
    b62 = grid[grid["chapter"] == "B.6.2"].drop_duplicates("row_key")
    assert list(b62["row_key"]) == ["B.6.2", "B.6.2/2"]
    assert _linked(grid, "B.6.2") == _linked(grid, "B.6.2/2") == [34, 35, 36]
    first = grid.drop_duplicates("row_key").iloc[0]
    assert (first["row_key"], first["section"], first["section_title"]) == ("B.1.1", "B.1", "Online-Services")


def test_uncovered_strategic_measures_are_reported(engine):
    un = q.uncovered_strategic(engine)
    assert list(un["number"]) == UNCOVERED
    assert un.set_index("number").loc[33, "short_name"] == "Zertifizierungsfähigkeit"
    sm = q.strategic_list(engine)
    assert sm.set_index("number").loc[14, "measures"] == 17
    assert list(sm[sm["measures"] == 0]["number"]) == UNCOVERED


def test_coverage_matrix_for_download(engine):
    m = tables.coverage_matrix(q.coverage(engine))
    assert m.shape == (44, 3 + 43 + 1)
    row = m[m["Maßnahme"] == "B.1.3.2"].iloc[0]
    assert row["#14 DVN 2.0"] == 1 and row["#19 Bereitstellung von Standardlsg."] == 1 and row["Summe"] == 2
    assert row["#1 IT-Management"] == 0
    total = m.iloc[-1]
    assert total["Maßnahme"] == "Summe" and total["#14 DVN 2.0"] == 17 and total["#1 IT-Management"] == 0
    assert total["Summe"] == 56


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Projekt P8", "Projekt"),
        ("Projekt Q1", "Projekt"),
        ("Neues Projekt", "Neues Projekt"),
        ("Fortentwicklung im Betrieb", "Betrieb"),
        ("Weiterführung durch IT.N", "Betrieb"),
        ("Linie", "Linie"),
        ("Verschiedene Unterstützungsmaßnahmen", "Sonstige"),
        ("Umsetzung landeseinheitliche Standards und Mindestanforderungen", "Sonstige"),
        ("", "Sonstige"),
        (None, "Sonstige"),
    ],
)
def test_classify_implementation(text, expected):
    assert q.classify_implementation(text) == expected


def test_implementation_types_keep_printed_text(engine):
    t = q.implementation_types(engine).set_index("implementation_class")
    assert list(t.index) == list(q.IMPLEMENTATION_CLASSES)
    assert t["measures"].sum() == 43
    assert dict(t["measures"]) == {"Projekt": 15, "Neues Projekt": 18, "Betrieb": 5, "Linie": 3, "Sonstige": 2}
    assert "B.2.1 Elektronische Aktenführung (Projekt P8)" in t.loc["Projekt", "items"]
    assert "B.5.2 Digitalisierungsplattform (Weiterführung durch IT.N)" in t.loc["Betrieb", "items"]


@pytest.mark.parametrize(
    ("start", "end", "today", "expected"),
    [
        (2019, 2024, dt.date(2024, 12, 31), "läuft"),
        (2019, 2024, dt.date(2025, 1, 1), "Laufzeit beendet"),
        (2024, None, TODAY, "offenes Ende"),
        (None, None, TODAY, "ohne bewilligte Laufzeit"),
    ],
)
def test_runtime_status(start, end, today, expected):
    assert q.runtime_status(start, end, today=today) == expected


def test_measure_runtimes_relative_to_today(engine):
    now = q.measure_runtimes(engine, today=TODAY).set_index("row_key")
    assert now.loc["B.2.1", "status"] == "Laufzeit beendet"  # 2019-2025
    assert now.loc["B.4", "status"] == "offenes Ende"  # "ab 2024"
    assert now.loc["B.2.5", "status"] == "ohne bewilligte Laufzeit"  # Projekt P11, "offen"
    assert (now["status"] == "Laufzeit beendet").sum() == 14
    earlier = q.measure_runtimes(engine, today=dt.date(2025, 6, 1)).set_index("row_key")
    assert earlier.loc["B.2.1", "status"] == "läuft"
    assert earlier.loc["B.1.3.2", "status"] == "Laufzeit beendet"


def test_measure_detail(engine):
    d = q.measure_detail(engine, row_key="B.1.3.2")
    m = d["measure"]
    assert (m["chapter"], m["implementation"], m["implementation_class"]) == ("B.1.3.2", "Projekt P3.1", "Projekt")
    assert m["legal_obligation"] == "§ 1 OZG, § 5 NDIG"
    assert m["responsible_ministry"] == "MS, MI" and m["responsible_authority"] == "MS, IT.N"
    assert d["headings"] == ["B.1 Online-Services", "B.1.3 Ausbau der Onlinedienste"]
    assert list(d["strategic"]["number"]) == [14, 19]
    assert d["objectives"].empty and d["epics"].empty
    assert q.measure_detail(engine, row_key="B.9.9") is None
    assert q.measure_detail(engine, row_key="B.6.2/2")["measure"]["implementation"] == "Neues Projekt"


def test_progress_by_domain_counts_each_objective_once(engine):
    seed_progress(engine)
    p = q.progress(engine, level="domain").set_index(["key", "pi_number"])
    dg = p.loc[("Digital Governance", 17)]
    # O1 (B.1.3.2 → #14) and O2, O3 (B.2.11 → #8, #9): three objectives, not five.
    assert (dg["objectives"], dg["committed"], dg["planned_bv"], dg["scored"]) == (3, 2, 18, 3)
    assert dg["actual_bv"] == pytest.approx(18.0)
    assert dg["bv_share"] == pytest.approx(1.0)
    kom = p.loc[("Zusammenarbeit mit Kommunen", 17)]
    assert kom["objectives"] == 3
    running = p.loc[("Digital Governance", 18)]
    assert running["objectives"] == 1 and running["scored"] == 0 and math.isnan(running["bv_share"])
    # O4 (B.1.6 without link) and O5 (no measure) appear nowhere.
    assert p["objectives"].sum() == 3 + 3 + 1 + 1
    assert bool(p["is_demo"].all())


def test_progress_by_strategic_measure(engine):
    seed_progress(engine)
    p = q.progress(engine, level="strategic").set_index(["key", "pi_number"])
    assert p.loc[(9, 17), "objectives"] == 2
    assert p.loc[(9, 17), "bv_share"] == pytest.approx(12 / 10)  # uncommitted O3 adds to actual only
    assert p.loc[(14, 17), "bv_share"] == pytest.approx(6 / 8)
    rows = q.progress_rows(engine, level="strategic")
    assert len(rows) == 43 and rows.iloc[13]["label"] == "#14 DVN 2.0"
    matrix = q.progress_matrix(q.progress(engine, level="strategic"), rows, value="objectives")
    assert list(matrix.columns) == ["Zeile", "PI 17 (2025-Q1)", "PI 18 (2025-Q2)"]
    assert matrix.set_index("Zeile").loc["#14 DVN 2.0", "PI 18 (2025-Q2)"] == 1
    with pytest.raises(ValueError, match="Unbekannte Ebene"):
        q.progress(engine, level="team")


def test_progress_rows_domains_in_strategy_order(engine):
    rows = q.progress_rows(engine, level="domain")
    assert list(rows["key"])[:2] == ["Digital Governance", "Zusammenarbeit mit Kommunen"]
    assert len(rows) == 10 and rows.iloc[-1]["key"] == "Nachhaltigkeit / GreenIT"


def test_epics_by_stage_and_board(engine):
    empty = q.epics_by_stage(engine)
    assert list(empty["stage"]) == list(q.EPIC_STAGES) and empty["epics"].sum() == 0
    seed_progress(engine)
    st = q.epics_by_stage(engine).set_index("stage")
    assert st.loc["Analyse", "epics"] == 2 and st.loc["Analyse", "budget_eur"] == pytest.approx(2_000_000)
    assert st.loc["Review", "epics"] == 0 and bool(st.loc["Analyse", "is_demo"])
    board = q.epic_board(engine)
    assert list(board["epic_key"]) == ["E1", "E2", "E3"]
    assert board.set_index("epic_key").loc["E2", "row_key"] == "B.2.1"
    d = q.measure_detail(engine, row_key="B.1.3.2")
    assert list(d["objectives"]["pi_number"]) == [17, 18] and d["objectives"]["actual_bv"].isna().iloc[1]
    assert list(q.measure_detail(engine, row_key="B.2.1")["epics"]["epic_key"]) == ["E2"]
