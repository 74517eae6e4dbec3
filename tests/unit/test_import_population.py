"""Import kind "einwohner": the GV-ISys "Auszug" workbook and the CSV template on the BKG-derived test regions.

All population and area figures in the fixtures are fictitious test values (tests/fixtures/gv_isys.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.importers import ImportRejected, import_file
from data_access.models import Region
from geo.build import build_boundaries
from tests.fixtures import gv_isys
from tests.fixtures.make_bkg_zip import make_zip
from tests.unit.test_import import dump, log_results

CSV = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "einwohner" / "good.csv"
SOURCE = "Destatis Gemeindeverzeichnis, Stand 31.12.2023"
HEADER = "ARS;Name;Einwohner;Fläche km²;Stand\n"


@pytest.fixture
def regions(engine, tmp_path):
    """The BKG-derived test regions (Braunschweig, Gifhorn with Boldecker Land and the gemeindefreie Giebel)."""
    zip_path = make_zip(tmp_path / "vg5000_01-01.gk3.shape.ebenen.zip")
    build_boundaries(str(zip_path), engine=engine, out_dir=tmp_path / "geo")
    return zip_path


def population(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Region.ars, Region.population, Region.area_km2, Region.population_source, Region.population_as_of)
        )
        return {r.ars: tuple(r[1:]) for r in rows}


def xlsx(rows=gv_isys.ROWS, **kw) -> bytes:
    return gv_isys.workbook_bytes(rows, **kw)


def test_gv_isys_workbook_sets_gemeinden_sums_and_kreise(engine, regions):
    result = import_file(engine, "einwohner", xlsx(), file_name="AuszugGV4QAktuell.xlsx", user="pytest")
    result.raise_for_problems()
    assert result.file_format == "Excel (Blatt „Onlineprodukt_Gemeinden31122023“)"
    assert any("10 Zeilen anderer Länder oder Ebenen" in n for n in result.notes)
    got = population(engine)
    for ars, (pop, area) in gv_isys.EXPECTED.items():
        assert got[ars][:2] == (pop, Decimal(area)), ars
        assert got[ars][3] == dt.date(2023, 12, 31), ars
    assert got["031515401001"][2] == SOURCE
    assert got["03101"][2] == SOURCE  # from the Kreis row
    assert got["03151"][2] == SOURCE + " (Summe der Gemeinden)"  # Kreis row without figure: sum
    assert got["031515401"][2] == SOURCE + " (Summe der Gemeinden)"
    assert got["03"][:2] == (None, None)  # the Land is not summed
    assert "010010000000" not in got  # Flensburg is not Niedersachsen and was skipped, not added


def test_reimport_changes_nothing(engine, regions):
    first = import_file(engine, "einwohner", xlsx(), file_name="a.xlsx").raise_for_problems()
    assert first.new == 9 and first.changed == 2  # 5 GEM + 4 VWG new; both KRS had the reference figure
    before = dump(engine)
    again = import_file(engine, "einwohner", xlsx(), file_name="a.xlsx").raise_for_problems()
    assert (again.new, again.changed) == (0, 0) and again.result == "unverändert"
    assert again.unchanged == 6  # the file's 5 Gemeinde rows and the Kreis row with a figure
    assert dump(engine) == before
    assert log_results(engine) == ["ok", "unverändert"]


def test_csv_template_layout(engine, regions):
    result = import_file(engine, "einwohner", CSV, user="pytest").raise_for_problems()
    assert result.file_format.startswith("CSV (Semikolon")
    got = population(engine)
    assert got["031510009009"][:2] == (22222, Decimal("22.22"))  # "31510009009": Excel's lost 0 restored
    assert got["031519501501"][0] == 0  # "-" = nichts vorhanden
    assert got["03101"][:3] == (11111, Decimal("11.11"), SOURCE + " (Summe der Gemeinden)")
    assert got["03151"][0] == 29999
    again = import_file(engine, "einwohner", CSV).raise_for_problems()
    assert (again.new, again.changed, again.unchanged) == (0, 0, 5)


def test_unknown_ars_is_reported_with_row_and_column(engine, regions):
    before = dump(engine)
    data = HEADER + "031010000000;Braunschweig;11111;11,11;31.12.2023\n031519999999;Niemandsland;1;1;31.12.2023\n"
    result = import_file(engine, "einwohner", data.encode(), file_name="e.csv")
    with pytest.raises(
        ImportRejected,
        match=r"Zeile 3, Spalte „ARS“: „031519999999“ ist keine bekannte Gemeinde \(GEM\) der Gebietstabelle",
    ):
        result.raise_for_problems()
    assert dump(engine) == before
    # In the Gemeindeverzeichnis the key is made of five columns; a Kreis key is not a Gemeinde.
    rows = [*gv_isys.ROWS, ("60", "64", "03", "1", "51", "5401", "099", "Unbekannt", 1.0, 1, 1, 0, 1, None, None, None)]
    result = import_file(engine, "einwohner", xlsx(rows), file_name="g.xlsx")
    assert [p.text() for p in result.problems] == [
        f"Zeile {len(rows) + 6}, Spalte „ARS (Land, RB, Kreis, VB, Gem)“: „031515401099“ ist keine bekannte Gemeinde "
        "(GEM) der Gebietstabelle (erwartet ein Schlüssel aus der Gebietstabelle (Grenzen mit „python -m geo build“ "
        "laden); Grenzen und Einwohnerzahlen müssen zum selben Gebietsstand passen)"
    ]
    bad = import_file(engine, "einwohner", (HEADER + "03151009;Gifhorn;1;1;31.12.2023\n").encode(), file_name="a.csv")
    assert "„03151009“ ist ein 8-stelliger Gemeindeschlüssel (AGS)" in bad.report()
    assert dump(engine) == before


def test_missing_population_is_a_problem(engine, regions):
    before = dump(engine)
    rows = [list(r) for r in gv_isys.ROWS]
    barwedel = next(i for i, r in enumerate(rows) if r[7] == "Barwedel")
    rows[barwedel][9] = None
    result = import_file(engine, "einwohner", xlsx([tuple(r) for r in rows]), file_name="g.xlsx")
    assert [p.text() for p in result.problems] == [
        f"Zeile {barwedel + 7}, Spalte „Einwohner“: Pflichtangabe fehlt "
        "(erwartet ganze Zahl ab 0 (Einwohner insgesamt; „-“ = nichts vorhanden))"
    ]
    csv = HEADER + "031515401001;Barwedel;;3,33;31.12.2023\n"
    assert (
        "Zeile 2, Spalte „Einwohner“: Pflichtangabe fehlt"
        in import_file(engine, "einwohner", csv.encode(), file_name="e.csv").report()
    )
    assert dump(engine) == before


def test_stand_from_title_sheet_or_column_and_one_per_file(engine, regions):
    # Title without a date: the sheet name carries it.
    ok = import_file(engine, "einwohner", xlsx(title="Gemeindeverzeichnis"), file_name="g.xlsx").raise_for_problems()
    assert ok.new and population(engine)["031010000000"][3] == dt.date(2023, 12, 31)
    nothing = import_file(engine, "einwohner", xlsx(title="Gemeinden", sheet="Gemeindedaten"), file_name="g.xlsx")
    assert "Spalte „Stand“: fehlt: weder eine Spalte „Stand“ noch ein Datum im Titel" in nothing.report()
    mixed = HEADER + "031010000000;A;1;1;31.12.2023\n031510009009;B;2;2;30.09.2023\n"
    report = import_file(engine, "einwohner", mixed.encode(), file_name="m.csv").report()
    assert "Zeile 3, Spalte „Stand“: „30.09.2023“ weicht vom Stand in Zeile 2 (31.12.2023) ab" in report
    no_stand = "ARS;Einwohner\n031010000000;1\n"
    assert (
        "fehlt: weder eine Spalte „Stand“"
        in import_file(engine, "einwohner", no_stand.encode(), file_name="n.csv").report()
    )


def test_incomplete_units_are_not_summed(engine, regions):
    """Only Bokensdorf of Boldecker Land: the Samtgemeinde and the Kreis keep their values; the preview says why."""
    data = HEADER + "031515401002;Bokensdorf;4444;4,44;31.12.2023\n"
    result = import_file(engine, "einwohner", data.encode(), file_name="b.csv").raise_for_problems()
    got = population(engine)
    assert got["031515401002"][0] == 4444
    assert got["031515401"][0] is None and got["03151"][0] == 176523  # reference figure kept
    assert any("Boldecker Land (031515401): 1 von 2 Gemeinden fehlen" in n for n in result.notes)


def test_area_column_missing_leaves_areas(engine, regions):
    import_file(engine, "einwohner", CSV).raise_for_problems()
    data = "ARS;Einwohner;Stand\n031515401001;3000;31.12.2023\n031515401002;4000;31.12.2023\n"
    import_file(engine, "einwohner", data.encode(), file_name="x.csv").raise_for_problems()
    got = population(engine)
    assert got["031515401001"][:2] == (3000, Decimal("3.33"))
    assert got["031515401"][:2] == (7000, Decimal("7.77"))


def test_geo_rebuild_keeps_imported_populations(engine, regions, tmp_path):
    import_file(engine, "einwohner", xlsx(), file_name="a.xlsx").raise_for_problems()
    imported = population(engine)
    build_boundaries(str(regions), engine=engine, out_dir=tmp_path / "geo2")
    assert population(engine) == imported
    assert imported["03151"][0] == 29999 and imported["031515401"][0] == 7777
