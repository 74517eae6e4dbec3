"""The action-plan annex is loaded exactly: counts, spot checks and a comparison with the seed text."""

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from data_access.db import transaction
from data_access.models import Measure, MeasureStrategicLink, StrategicMeasure
from data_access.reference import (
    affected,
    load_reference,
    read_csv,
    runtime_years,
    split_responsible,
    strategic_numbers,
)
from data_access.reference.extract import parse_annex

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "002_4115c72f5ea3e473.txt"


def _links(engine) -> dict[str, list[int]]:
    with transaction(engine) as s:
        rows = s.execute(
            select(Measure.row_key, MeasureStrategicLink.strategic_number).join(
                MeasureStrategicLink, MeasureStrategicLink.measure_id == Measure.id
            )
        ).all()
    out: dict[str, list[int]] = {}
    for key, n in rows:
        out.setdefault(key, []).append(n)
    return {k: sorted(v) for k, v in out.items()}


def test_counts(engine):
    with transaction(engine) as s:
        assert len(s.scalars(select(Measure)).all()) == 43
        assert len(s.scalars(select(StrategicMeasure)).all()) == 43
        domains = set(s.scalars(select(StrategicMeasure.domain)))
    assert len(domains) == 10
    assert "Nachhaltigkeit / GreenIT" in domains


def test_spot_checks(engine):
    with transaction(engine) as s:
        sm14 = s.get(StrategicMeasure, 14)
        b21 = s.scalars(select(Measure).where(Measure.row_key == "B.2.1")).one()
        b62 = s.scalars(select(Measure).where(Measure.chapter == "B.6.2")).all()
        b211 = s.scalars(select(Measure).where(Measure.chapter == "B.2.11").order_by(Measure.row_no)).all()
    assert (sm14.short_name, sm14.domain) == ("DVN 2.0", "Digital Governance")
    assert b21.title == "Elektronische Aktenführung"
    assert (b21.implementation, b21.runtime, b21.runtime_start, b21.runtime_end) == (
        "Projekt P8",
        "2019-2025",
        2019,
        2025,
    )
    assert b21.legal_obligation == "§§ 10, 12 NDIG"
    assert (b21.responsible_ministry, b21.responsible_authority) == ("MI", "IT.N")
    assert len(b62) == 2 and len(b211) == 2
    assert [m.implementation for m in b211] == ["Projekt Q1", "Neues Projekt"]
    links = _links(engine)
    assert links["B.1.3.2"] == [14, 19]
    assert links["B.2.11"] == [8, 9, 19] and links["B.2.11/2"] == [9, 21]
    assert "B.1.6" not in links  # printed "-": no strategic measure


def test_load_is_idempotent(engine):
    before = _links(engine)
    with transaction(engine) as s:
        ids = dict(s.execute(select(Measure.row_key, Measure.id)).all())
    load_reference(engine)
    with transaction(engine) as s:
        assert dict(s.execute(select(Measure.row_key, Measure.id)).all()) == ids
    assert _links(engine) == before


@pytest.mark.skipif(not SEED.exists(), reason="seed text of the action plan not present")
def test_curated_csvs_match_the_seed_annex():
    chapters, measures, strategic = parse_annex(SEED.read_text(encoding="utf-8"))
    assert read_csv("measures.csv") == measures
    assert [dict(r, number=int(r["number"])) for r in read_csv("strategic_measures.csv")] == strategic
    assert read_csv("measure_chapters.csv") == chapters


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2019-2024", (2019, 2024)), ("ab 2024", (2024, None)), ("offen", (None, None)), ("", (None, None))],
)
def test_runtime_years(text, expected):
    assert runtime_years(text) == expected


def test_parsers():
    assert strategic_numbers("#8, #9, #19") == [8, 9, 19]
    assert strategic_numbers("-") == []
    assert split_responsible("Ressort: MI, Behörde: Kommunen") == ("MI", "Kommunen")
    # "Betroffen u.a." names affected authorities, not the responsible one (B.3.3).
    assert split_responsible("Ressort: MI (federführend), MW, MU, MWK Betroffen u.a.: LGLN") == (
        "MI (federführend), MW, MU, MWK",
        None,
    )
    assert affected("Ressort: MI (federführend), MW, MU, MWK Betroffen u.a.: LGLN") == "LGLN"
    assert affected("Ressort: MI Behörde: IT.N") is None
    assert split_responsible("Ressort: alle") == ("alle", None)


def test_b33_has_no_responsible_authority_but_lgln_affected(engine):
    from data_access.queries import strategy

    with transaction(engine) as s:
        b33 = s.scalars(select(Measure).where(Measure.row_key == "B.3.3")).one()
    assert (b33.responsible_authority, b33.responsible_ministry) == (None, "MI (federführend), MW, MU, MWK")
    assert b33.responsible.endswith("Betroffen u.a.: LGLN")  # the printed wording stays
    m = strategy.measure_detail(engine, row_key="B.3.3")["measure"]
    assert m["affected"] == "LGLN" and pd.isna(m["responsible_authority"])
