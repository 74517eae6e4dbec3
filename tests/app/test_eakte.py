"""AppTest: the eAkte page renders KPIs, forecast and the authority section; filters live in the URL."""

import datetime as dt

import pytest

from data_access.db import transaction
from data_access.models import Authority, EakteSnapshot
from tests.app._markdown import seen

PAGE = "pages/eakte.py"
D = dt.date
PROV = dict(source="Testquelle", as_of=D(2025, 3, 31), is_demo=True)
# code, ministry, status, planned go-live, go-live, planned workplaces, users per month Dec..Mar
ROWS = [
    ("A1", "MI", "produktiv", D(2024, 1, 1), D(2024, 1, 1), 100, [50, 60, 70, 80]),
    ("A2", "MI", "in Einführung", D(2025, 1, 1), None, 200, [0, 5, 10, 20]),
    ("B1", "MF", "produktiv", D(2024, 6, 1), D(2024, 6, 1), 100, [10, 20, 25, 30]),
    ("B2", "MF", "geplant", D(2025, 9, 1), None, None, [0, 0, 0, 0]),
]
MONTHS = [D(2024, 12, 31), D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31)]


@pytest.fixture
def rollout(engine, db_url):
    with transaction(engine) as s:
        for code, ministry, status, plan, live, wp, users in ROWS:
            a = Authority(code=code, name=f"Behörde {code}", ministry_code=ministry, **PROV)
            s.add(a)
            s.flush()
            for d, u in zip(MONTHS, users, strict=True):
                s.add(
                    EakteSnapshot(
                        authority_id=a.id,
                        snapshot_date=d,
                        status=status,
                        planned_go_live=plan,
                        go_live_date=live,
                        planned_workplaces=wp,
                        active_users=u,
                        **PROV,
                    )
                )
    return db_url


def _open(open_page, url, params=None):
    at = open_page(url, PAGE, params)
    assert not at.exception, at.exception
    return at


def _table(at):
    """The authority overview (the charts' table alternatives come as dataframes, too)."""
    return next(d.value for d in at.dataframe if "Im Verzug" in d.value.columns and "Nutzung %" in d.value.columns)


def _text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_empty_database_explains_what_to_do(open_page, db_url):
    at = _open(open_page, db_url)
    assert at.title[0].value == "eAkte-Rollout in den Landesbehörden"
    assert "Noch keine eAkte-Daten" in at.info[0].value
    assert len(at.metric) == 0


def test_kpis_forecast_and_demo_badge(open_page, rollout):
    at = _open(open_page, rollout)
    values = {m.label: m.value for m in at.metric}
    assert values["Behörden produktiv"] == "2 von 4"
    assert values["Aktive Nutzende"] == "130"
    assert values["Zuwachs letztes Quartal"] == "+70"  # 130 on 31.03.2025 − 60 on 31.12.2024
    assert values["Behörden ohne eAkte"] == "2"
    text = _text(at)
    assert "Beispieldaten – keine amtlichen Zahlen" in text
    assert "Stand: 31.03.2025" in text and "Quelle: Testquelle" in text
    assert "Prognose (linearer Trend der letzten 6 Monate, keine Planung)" in text
    assert "NDIG § 10, alle Landesbehörden ab 01.01.2026:" in text  # days: see test_eakte_charts
    assert "4 Behörden" in text and "2 im Verzug" in text  # A2 late, B1 under 50 %


def test_months_choice_from_url_changes_the_forecast(open_page, rollout):
    at = _open(open_page, rollout, {"monate": "3"})
    assert "letzten 3 Monate" in _text(at)
    at = _open(open_page, rollout, {"monate": "abc"})
    assert any("Prognosezeitraum" in w.value for w in at.warning)
    assert "letzten 6 Monate" in _text(at)


def test_ressort_and_status_filters_from_url(open_page, rollout):
    at = _open(open_page, rollout, {"ressort": "MF"})
    assert at.selectbox(key="w_ressort").value == "MF"
    table = _table(at)
    assert list(table["Kürzel"]) == ["B1", "B2"]
    at = _open(open_page, rollout, {"status": "produktiv"})
    assert list(_table(at)["Kürzel"]) == ["B1", "A1"]


def test_behind_plan_only_and_threshold(open_page, rollout):
    at = _open(open_page, rollout, {"verzug": "1"})
    table = _table(at)
    assert list(table["Kürzel"]) == ["B1", "A2"]
    assert list(table["Im Verzug"]) == ["⚠ Nutzung unter Schwelle", "⚠ Start überfällig"]
    at = _open(open_page, rollout, {"verzug": "1", "schwelle": "20"})
    assert list(_table(at)["Kürzel"]) == ["A2"]  # B1 at 30 % is above a 20 % threshold


def test_unknown_ressort_gets_a_german_hint(open_page, rollout):
    at = _open(open_page, rollout, {"ressort": "XY"})
    assert any("Der Wert „XY“ in der Adresse ist für das Ressort unbekannt" in w.value for w in at.warning)
    assert len(_table(at)) == 4


def test_choosing_a_filter_writes_the_url(open_page, rollout):
    at = _open(open_page, rollout)
    at.selectbox(key="w_ressort").select("MI").run()
    assert not at.exception
    assert at.query_params["ressort"] == "MI"
    assert list(_table(at)["Kürzel"]) == ["A1", "A2"]
    at.selectbox(key="w_ressort").select("alle").run()
    assert "ressort" not in at.query_params


def test_empty_selection_says_so(open_page, rollout):
    at = _open(open_page, rollout, {"ressort": "MI", "status": "geplant"})
    assert any("Keine Behörde passt" in i.value for i in at.info)
    assert "0 Behörden" in _text(at)


def test_deadline_at_the_stand_and_published_figures_beside_the_kpis(open_page, rollout):
    at = _open(open_page, rollout)
    text = seen(_text(at))
    assert "am Datenstand 31.03.2025 noch 276 Tage" in text.replace("**", "")
    assert "Die Daten sind" in text and "Tage alt" in text
    assert "überschritten seit" not in text
    assert "veröffentlicht: 41 von 53 niedersächsischen Behörden haben die eAkte eingeführt" in text
    assert "rund 20.000 Arbeitsplätzen in der Kernverwaltung" in text and "eGovernment-Bilanz" in text
    assert "einschließlich des Justizbereichs" in text and "nur näherungsweise vergleichbar" in text


def test_map_tab_without_seats_says_where_they_come_from(open_page, rollout):
    at = _open(open_page, rollout)
    assert not at.exception, at.exception
    assert any("Für keine Behörde der Auswahl ist ein Sitz bekannt" in i.value for i in at.info)
    assert not at.get("deck_gl_json_chart")


def test_map_tab_shows_the_authorities_at_their_seat(open_page, rollout, engine, demo_url, demo_geo_dir, monkeypatch):
    import json

    from sqlalchemy import update

    from geo.load import boundaries

    monkeypatch.setenv("DVN_GEO_DIR", str(demo_geo_dir))
    kreis = boundaries("KRS", demo_geo_dir)["features"][0]["id"]
    with transaction(engine) as s:
        s.execute(update(Authority).where(Authority.code.in_(["A1", "B1"])).values(seat_ars=kreis))
        s.execute(update(Authority).where(Authority.code == "A2").values(seat_ars="039999999"))  # no boundary
    at = _open(open_page, rollout)
    assert not at.exception, at.exception
    (chart,) = at.get("deck_gl_json_chart")
    spec = json.loads(chart.proto.json)
    dots = next(layer for layer in spec["layers"] if layer["@@type"] == "ScatterplotLayer")
    assert sorted(d["name"] for d in dots["data"]) == ["Behörde A1", "Behörde B1"]
    # The outlines go by address (the browser caches them), not inline in every rerun.
    (outline,) = (layer for layer in spec["layers"] if layer["@@type"] == "GeoJsonLayer")
    assert outline["data"].startswith("app/static/geo/KRS-") and outline["data"].endswith(".geojson")
    assert len(chart.proto.json) < 20_000
    tooltip = json.loads(chart.proto.tooltip)
    assert set(tooltip) == {"text"} and "{name}" in tooltip["text"]  # plain text, never HTML
    texts = " ".join(c.value for c in at.caption)
    assert "2 von 4 Behörden mit Sitz auf der Karte" in texts
    assert "Ohne Sitz auf der Karte: 2 Behörden" in texts
