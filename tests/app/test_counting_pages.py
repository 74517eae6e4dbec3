"""AppTest of the counting rules as people see them: gap list split by who can act, gemeindefreie Gebiete,
Reifegrad on the map page."""

from __future__ import annotations

import pytest

from tests.app._markdown import seen
from tests.unit.test_counting import build_with_peers


@pytest.fixture
def url(db_url, engine):
    build_with_peers(engine)
    return db_url


def _texts(at) -> str:
    return " ".join(seen(e.value) for e in (*at.markdown, *at.caption, *at.info, *at.subheader))


def test_steckbrief_splits_the_gap_list_by_who_can_act(open_page, url):
    at = open_page(url, "pages/kommune.py", {"ars": "031545401", "stichtag": "2025-06-30"})
    assert not at.exception, at.exception
    text = _texts(at)
    assert "Selbst anbindbar (eigene Zuständigkeit)" in text
    assert "Abhängig vom Landkreis (Einheit 03154)" in text and "beim Landkreis Einheit 03154 nachfragen" in text
    tables = [df.value for df in at.dataframe if "Wer kann anbinden" in df.value.columns]
    assert [set(t["Wer kann anbinden"]) for t in tables] == [{"selbst"}, {"Landkreis"}]
    assert set(tables[0]["Reifegrad"].dropna().astype(int)) == {3}  # Reifegrad column in every service list


def test_forest_has_no_figures_and_points_to_its_kreis(open_page, url):
    at = open_page(url, "pages/kommune.py", {"ars": "031549502"})
    assert not at.exception, at.exception
    assert "gemeindefreies Gebiet" in _texts(at)
    assert not at.metric


def test_map_page_shows_the_reifegrad_and_excludes_the_forest(open_page, url):
    at = open_page(url, "pages/karte.py", {"ebene": "VWG", "stichtag": "2025-06-30"}, timeout=120)
    assert not at.exception, at.exception
    text = _texts(at)
    assert "Reifegrad der Onlinedienste" in text and "ohne bekannten Reifegrad" in text
    assert "gemeindefreie Gebiete" in text
    ranking = next(df.value for df in at.dataframe if "Rang" in df.value.columns)
    assert "031549502" not in set(ranking["ARS"])
