"""Import kind "kommunalstatus" on the BKG-derived test regions (plus the two statuses set by law)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.db import transaction
from data_access.importers import ImportRejected, import_file
from data_access.models import Region
from geo.build import build_boundaries
from tests.fixtures.make_bkg_zip import make_zip
from tests.unit.test_import import dump, log_results

GOOD = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "kommunalstatus" / "good.csv"
HEADER = "ARS;Status\n"


@pytest.fixture
def regions(engine, tmp_path):
    build_boundaries(str(make_zip(tmp_path / "z.zip")), engine=engine, out_dir=tmp_path / "geo")


def status(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Region.ars, Region.kommunal_status, Region.kommunal_status_source, Region.kommunal_status_as_of)
        )
        return {r.ars: tuple(r[1:]) for r in rows}


def imp(engine, text: str, name: str = "s.csv"):
    return import_file(engine, "kommunalstatus", text.encode(), file_name=name, today=dt.date(2025, 4, 2))


def test_good_file_sets_and_reimport_changes_nothing(engine, regions):
    first = import_file(engine, "kommunalstatus", GOOD, today=dt.date(2025, 4, 2)).raise_for_problems()
    assert (first.new, first.changed, first.unchanged) == (1, 0, 1)  # Braunschweig: empty stays empty
    got = status(engine)
    assert got["031510009"] == ("große selbständige Stadt", "Testquelle (fiktiv)", dt.date(2025, 1, 1))
    before = dump(engine)
    again = import_file(engine, "kommunalstatus", GOOD).raise_for_problems()
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2) and again.result == "unverändert"
    assert dump(engine) == before
    assert log_results(engine) == ["ok", "unverändert"]


@pytest.mark.parametrize(
    "value", ["gr. selbst. Stadt", "GSS", "große selbstständige Stadt", "Große Selbständige Stadt"]
)
def test_synonyms(engine, regions, value):
    imp(engine, HEADER + f"031510009;{value}\n").raise_for_problems()
    assert status(engine)["031510009"][0] == "große selbständige Stadt"


def test_empty_status_clears_it_with_import_provenance(engine, regions):
    imp(engine, HEADER + "031510009;selbständige Gemeinde\n").raise_for_problems()
    result = imp(engine, HEADER + "031510009;\n", "leer.csv").raise_for_problems()
    assert result.changed == 1 and result.changes[0].detail == "Status: selbständige Gemeinde → –"
    assert status(engine)["031510009"] == (None, "Import leer.csv (kommunalstatus)", dt.date(2025, 4, 2))


@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        ("031519999;GSS", r"Zeile 2, Spalte „ARS“: „031519999“ ist keine bekannte Verwaltungsgemeinschaft"),
        ("03151;GSS", r"Zeile 2, Spalte „ARS“: „03151“ hat 5 Stellen"),
        ("031515401;GSS", r"„031515401“ ist eine Samtgemeinde \(Boldecker Land\); der Status gilt nur für"),
        ("031519501;GSS", r"„031519501“ ist ein gemeindefreies Gebiet \(Giebel\)"),
        ("031510009;Kreisstadt", r"Zeile 2, Spalte „Status“: „Kreisstadt“ ist kein erlaubter Wert"),
        ("031510009;Landeshauptstadt", r"„Landeshauptstadt“ passt nicht zu Gifhorn"),
    ],
)
def test_bad_rows_are_rejected_and_nothing_written(engine, regions, line, pattern):
    before = dump(engine)
    with pytest.raises(ImportRejected, match=pattern):
        imp(engine, HEADER + line + "\n").raise_for_problems()
    assert dump(engine) == before


def test_statuses_set_by_law_stay_with_their_city(engine):
    prov = {"source": "Test", "as_of": dt.date(2025, 1, 1)}
    with transaction(engine) as s:
        s.add(Region(ars="03", name="Niedersachsen", level="LAN", unit_type="Land", category="Land", **prov))
        s.flush()
        s.add(Region(ars="03241", name="Region Hannover", level="KRS", unit_type="Region", parent_ars="03", **prov))
        s.flush()
        s.add(
            Region(
                ars="032410001",
                name="Hannover, Landeshauptstadt",
                level="VWG",
                unit_type="Einheitsgemeinde",
                category="Einheitsgemeinde",
                parent_ars="03241",
                kommunal_status="Landeshauptstadt",
                **prov,
            )
        )
    assert imp(engine, HEADER + "032410001;LHS\n").raise_for_problems().unchanged == 1
    with pytest.raises(ImportRejected, match=r"„\(leer\)“ passt nicht zu Hannover.*erwartet „Landeshauptstadt“"):
        imp(engine, HEADER + "032410001;\n").raise_for_problems()
