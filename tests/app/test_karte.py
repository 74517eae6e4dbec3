"""AppTest: the Onlinedienste map page on a hand-built Kreis (levels, filters in the URL, search → Steckbrief)."""

from __future__ import annotations

import json

import pytest

from tests.app._markdown import seen
from tests.unit.test_services import REGIONS, build


def _square(ars: str, i: int) -> dict:
    x, y = 7 + (i % 5) * 0.5, 52 + (i // 5) * 0.5
    ring = [[x, y], [x + 0.4, y], [x + 0.4, y + 0.4], [x, y + 0.4], [x, y]]
    return {
        "type": "Feature",
        "id": ars,
        "properties": {"ars": ars, "name": ars, "unit_type": "x"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def geo_dir(tmp_path, monkeypatch):
    """Boundary files for the fixture regions; GEM gets one extra shape without data (stale key)."""
    for level in ("KRS", "VWG", "GEM"):
        keys = [ars for ars, lvl, _, _ in REGIONS if lvl == level] + (["031519999999"] if level == "GEM" else [])
        features = [_square(a, i) for i, a in enumerate(keys)]
        (tmp_path / f"{level}.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    (tmp_path / "meta.json").write_text(
        json.dumps(
            {
                "attribution": "© GeoBasis-DE / BKG 2021 (Daten verändert)",
                "attribution_url": "https://www.bkg.bund.de",
                "stand": "2021-01-01",
            }
        )
    )
    monkeypatch.setenv("DVN_GEO_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def url(db_url, engine):
    build(engine)
    return db_url


def _text(at) -> str:
    return " ".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [w.value for w in at.warning]
        + [i.value for i in at.info]
    )


def test_map_page_default_gemeinden(open_page, url, geo_dir):
    at = open_page(url, "pages/karte.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Onlinedienste je Kommune"
    assert at.radio(key="w_ebene").value == "GEM"
    text = _text(at)
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert)](https://www.bkg.bund.de)" in seen(text)
    assert "Beispieldaten" in text and "Stand: 30.06.2025" in text
    assert "031519999999" in text  # boundary without data is listed in the data-quality note
    ranking = at.dataframe[0].value
    assert len(ranking) == 4 and set(ranking["ARS"]) == {a for a, lvl, _, _ in REGIONS if lvl == "GEM"}


def test_switch_level_and_filters_go_to_url(open_page, url, geo_dir):
    at = open_page(url, "pages/karte.py")
    at.radio(key="w_ebene").set_value("KRS").run()
    assert not at.exception, at.exception
    assert at.query_params["ebene"] == "KRS"
    ranking = at.dataframe[0].value.set_index("ARS")
    assert ranking.loc["03151", "Onlinedienste"] == 2  # flächendeckend by default at Kreis level
    assert "flächendeckend" in _text(at)
    at.selectbox(key="w_abdeckung").set_value("mindestens_eine").run()
    assert at.dataframe[0].value.set_index("ARS").loc["03151", "Onlinedienste"] == 4
    assert "in mindestens einer Kommune" in _text(at)
    at.selectbox(key="w_themenfeld").set_value("Familie & Kind").run()
    assert at.query_params["themenfeld"] == "Familie & Kind"
    assert at.dataframe[0].value.set_index("ARS").loc["03151", "Onlinedienste"] == 2  # S1, S3


def test_link_restores_view_and_stichtag(open_page, url, geo_dir):
    at = open_page(url, "pages/karte.py", {"ebene": "VWG", "stichtag": "2023-06-30", "status": "live"})
    assert not at.exception, at.exception
    assert at.radio(key="w_ebene").value == "VWG"
    ranking = at.dataframe[0].value.set_index("ARS")
    assert ranking.loc["031515401", "Onlinedienste"] == 2


def test_bad_params_fall_back(open_page, url, geo_dir):
    at = open_page(url, "pages/karte.py", {"ebene": "XYZ", "stichtag": "gestern", "kennzahl": "'; drop"})
    assert not at.exception, at.exception
    assert at.radio(key="w_ebene").value == "GEM"
    assert at.selectbox(key="w_kennzahl").value == "anzahl"
    hints = " ".join(seen(w.value) for w in at.warning)
    for value, what in (("XYZ", "die Ebene"), ("gestern", "den Stichtag"), ("'; drop", "die Kennzahl")):
        assert f"Der Wert „{value}“ in der Adresse ist für {what}" in hints
    assert "ebene" not in at.query_params and "stichtag" not in at.query_params  # synchronised back to defaults


def test_without_boundaries_ranking_still_works(open_page, url, tmp_path, monkeypatch):
    monkeypatch.setenv("DVN_GEO_DIR", str(tmp_path / "missing"))
    at = open_page(url, "pages/karte.py")
    assert not at.exception, at.exception
    assert any("python -m geo build" in i.value for i in at.info)
    assert len(at.dataframe[0].value) == 4


def test_search_opens_steckbrief(open_page, url, geo_dir):
    at = open_page(url, "pages/karte.py")
    at.selectbox(key="search").set_value("031515401").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Einheit 031515401"
    assert at.query_params["ars"] == "031515401"
