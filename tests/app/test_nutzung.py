"""AppTest: the usage sections (Nutzungszahlen) below the map and in the Steckbrief, on the hand-built offers of
tests/unit/test_usage.py, without figures, and labelled "Beispieldaten" on the demo data."""

from __future__ import annotations

import json

import pytest

from tests.app._tables import open_tables
from tests.unit import test_services
from tests.unit.test_usage import build

MAP_TIMEOUT = 180  # the map page renders the availability of every level first


@pytest.fixture
def url(db_url, engine):
    build(engine)
    return db_url


def _text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def _table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_map_page_shows_one_service_per_month_and_its_units(open_page, url):
    at = open_page(url, "pages/karte.py", timeout=MAP_TIMEOUT)
    assert not at.exception, at.exception
    assert "Nutzung der Onlinedienste" in [s.value for s in at.subheader]
    choice = at.selectbox(key="w_dienst")
    assert choice.value == "LAND"  # the most used service first
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any("Anträge je Monat: Dienst LAND" in t for t in titles)
    units = _table(at, "kaum genutzt")
    assert list(units["Anbietende Einheit"]) == ["Einheit 03"]
    assert list(units["Einwohner"]) == [300_000]  # the Land: the sum of its Kreise
    text = _text(at)
    assert "Juli 2025 bis Dezember 2025" in text and "Live, aber kaum genutzt:" in text
    assert "Quelle: Testquelle" in text and "Beispieldaten" not in text
    assert any(e.label == "Alle Angebote „live, aber kaum genutzt“: 3" for e in at.expander)
    hardly = next(d.value for d in open_tables(at).dataframe if "Dienst EXACT" in set(d.value.get("Onlinedienst", [])))
    assert set(hardly["Onlinedienst"]) == {"Dienst EXACT", "Dienst BELOW", "Dienst NO_POP_9"}


def test_map_page_service_from_the_address(open_page, url):
    at = open_page(url, "pages/karte.py", {"dienst": "BELOW"}, timeout=MAP_TIMEOUT)
    assert not at.exception, at.exception
    units = _table(at, "kaum genutzt")
    row = units.iloc[0]
    assert (row["Onlinedienst"], row["Anbietende Einheit"], row["kaum genutzt"]) == (
        "Dienst BELOW",
        "Einheit 03152",
        "Ja",
    )
    assert row["Anträge in 6 Monaten"] == 99 and row["live seit"] == "01.01.2024"
    months = _table(open_tables(at), "Monat")  # the chart's table alternative, built while open
    assert list(months["Monat"])[:2] == ["06/2025", "07/2025"] and list(months["Anträge"])[-1] == 19


def test_steckbrief_shows_the_use_of_the_own_services(open_page, url):
    at = open_page(url, "pages/kommune.py", {"ars": "031515401001"})  # a Gemeinde: its Samtgemeinde's services
    assert not at.exception, at.exception
    assert "Nutzung der eigenen Onlinedienste" in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Anträge, Juli 2025 bis Dezember 2025"] == "44"  # EXACT 18 + A_DAY_LATE 6 + EQUAL 20
    assert metrics["je 1.000 Einwohner"] == "2,2"  # 44 per 20.000 residents
    assert metrics["Angebote live, aber kaum genutzt"] == "1"
    table = _table(at, "kaum genutzt")
    verdicts = dict(zip(table["Onlinedienst"], table["kaum genutzt"], strict=True))
    assert verdicts == {"Dienst EXACT": "Ja", "Dienst EQUAL": "Nein", "Dienst A_DAY_LATE": "nicht beurteilt"}


def test_steckbrief_without_usage_figures(open_page, db_url, engine):
    test_services.build(engine)
    at = open_page(db_url, "pages/kommune.py", {"ars": "03151"})
    assert not at.exception, at.exception
    assert "Noch keine Nutzungszahlen geladen" in _text(at)


def test_demo_usage_is_labelled_beispieldaten(open_page, demo_url, demo_geo_dir, monkeypatch):
    monkeypatch.setenv("DVN_GEO_DIR", str(demo_geo_dir))
    at = open_page(demo_url, "pages/kommune.py", {"ars": "03"})
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption if "Quelle: Beispieldaten" in c.value]
    assert captions and all("**Beispieldaten**" in c for c in captions)
    assert {m.label for m in at.metric} >= {"Anträge, Juli 2025 bis Dezember 2025", "je 1.000 Einwohner"}
