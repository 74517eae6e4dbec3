"""AppTest: the PI-Ziele page on an empty database and on the hand-built PI fixture (PI 18 scored, PI 19 open)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app._markdown import seen
from tests.unit.test_pi_queries import build_pi_fixture

PAGE = "pages/pi-ziele.py"


def _open(open_page, url, params=None) -> AppTest:
    at = open_page(url, PAGE, params)
    assert not at.exception, at.exception
    return at


def _objectives(at: AppTest):
    """The drill-down table is the one naming the action-plan measure."""
    (df,) = [d.value for d in at.dataframe if "Maßnahme Handlungsplan" in d.value.columns]
    return df


def test_empty_database_points_to_import(open_page, db_url):
    at = _open(open_page, db_url)
    assert at.title[0].value == "PI-Ziele und Vorhersagbarkeit"
    assert "Noch keine PI-Ziele geladen" in at.info[0].value
    assert not at.get("plotly_chart")


def test_default_view(open_page, db_url, engine):
    build_pi_fixture(engine)
    at = _open(open_page, db_url)
    metrics = {seen(m.label): m.value for m in at.metric}
    assert metrics["Vorhersagbarkeit PI 18 (2025-Q2)"] == "95 %"
    assert metrics["PI 19 (2025-Q3) läuft"] == "2 Ziele"  # running, never 0 %
    assert metrics["PIs im Zielband 80–100 %"] == "1 von 2"
    assert len(at.get("plotly_chart")) == 2
    assert any("Beispieldaten" in m.value for m in at.markdown)
    assert at.selectbox(key="pi_pick").value == "18" and at.query_params["pi"] == "18"
    assert at.selectbox(key="team_pick").value == "Alle Teams"
    assert set(_objectives(at)["Ziel-ID"]) == {"18-A1", "18-A2", "18-B1", "18-G1"}
    teams = next(d.value for d in at.dataframe if "Vorhersagbarkeit" in d.value.columns and len(d.value) == 3)
    assert list(teams["Vorhersagbarkeit"]) == ["87 %", "75 %", "n/a"]  # Gamma: only uncommitted -> n/a
    # PI 19 ended long ago (real today) without any score: one PI-level finding.
    assert metrics["Hinweise zur Datenqualität"] == "1"


def test_selection_from_url(open_page, db_url, engine):
    build_pi_fixture(engine)
    at = _open(open_page, db_url, {"pi": "17", "team": "Beta"})
    assert at.selectbox(key="pi_pick").value == "17" and at.selectbox(key="team_pick").value == "Beta"
    df = _objectives(at)
    assert list(df["Ziel-ID"]) == ["17-B1"] and list(df["Ist-BV"]) == ["5"]
    assert any(s.value == "Ziele: PI 17, Beta" for s in at.subheader)


def test_unknown_pi_in_url_falls_back_with_message(open_page, db_url, engine):
    build_pi_fixture(engine)
    at = _open(open_page, db_url, {"pi": "99"})
    assert any("„99“" in w.value for w in at.warning)
    assert at.selectbox(key="pi_pick").value == "18"


def test_choosing_a_team_updates_url_and_list(open_page, db_url, engine):
    build_pi_fixture(engine)
    at = _open(open_page, db_url)
    at.selectbox(key="team_pick").set_value("Alpha").run()
    assert not at.exception
    assert at.query_params["team"] == "Alpha"
    assert list(_objectives(at)["Ziel-ID"]) == ["18-A1", "18-A2"]
    at.selectbox(key="pi_pick").set_value("19").run()
    df = _objectives(at)
    assert list(df["Ziel-ID"]) == ["19-A1"] and list(df["Ist-BV"]) == ["–"]
    assert at.query_params["pi"] == "19"


def test_overview_shows_the_same_predictability(open_page, db_url, engine):
    build_pi_fixture(engine)
    at = open_page(db_url)
    assert not at.exception, at.exception
    assert {seen(m.label): m.value for m in at.metric}["Vorhersagbarkeit PI 18 (2025-Q2)"] == "95 %"
