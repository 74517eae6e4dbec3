"""AppTest: the Strategie page on the real annex alone, with PI objectives and epics, and its URL state."""

import datetime as dt

from tests.app._markdown import seen
from tests.app._tables import open_tables
from tests.unit.test_strategy import seed_progress

PAGE = "pages/strategie.py"


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(parts)


def _frames(at) -> list:
    """Every table on the page, the charts' table alternatives opened first."""
    return [d.value for d in open_tables(at).dataframe]


def test_reference_data_only(open_page, db_url):
    at = open_page(db_url, PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Strategische Maßnahmen und Portfolio"
    text = _text(at)
    assert "17 strategische Maßnahmen noch ohne Maßnahme im Handlungsplan" in text
    assert "später" in text and "gesonderten Initiativen" in text  # where the annex says they go
    assert "geschieht nichts" not in text
    assert "haben eine Umsetzung in einem Projekt" in text
    assert "\\#33 Zertifizierungsfähigkeit" in text
    assert "Noch keine PI-Ziele" in text and "Noch keine Epics" in text
    assert "Beispieldaten" not in text  # the annex is real data: no badge
    assert "Stand: 19.03.2024" in text and "Handlungsplan DVN" in text
    assert len(at.get("plotly_chart")) == 3  # coverage, implementation types, runtimes
    matrix = _frames(at)[0]
    assert matrix.shape == (44, 47) and matrix.iloc[-1]["#14 DVN 2.0"] == 17
    assert at.selectbox(key="strategie-massnahme").value is None


def test_measure_from_url_shows_details(open_page, db_url):
    at = open_page(db_url, PAGE, {"massnahme": "B.1.3.2"})
    assert not at.exception, at.exception
    assert at.selectbox(key="strategie-massnahme").value == "B.1.3.2"
    text = _text(at)
    assert "B.1 Online-Services › B.1.3 Ausbau der Onlinedienste" in text.replace("\\", "")
    frames = _frames(at)
    facts = next(f for f in frames if list(f.columns) == ["Angabe", "Wert"]).set_index("Angabe")["Wert"]
    assert facts["Umsetzung"] == "Projekt P3.1 (Art: Projekt)"
    assert facts["Gesetzliche Verpflichtung"] == "§ 1 OZG, § 5 NDIG"
    assert facts["Ressort"] == "MS, MI" and facts["Behörde"] == "MS, IT.N"
    today = dt.date.today().strftime("%d.%m.%Y")
    assert facts["Laufzeit"] == f"2019-2024 (bewilligt laut Anlage, Stand 19.03.2024) · Laufzeit beendet am {today}"
    strategic = next(f for f in frames if "Nr." in f.columns)
    assert list(strategic["Nr."]) == [14, 19]
    assert "Keine PI-Ziele mit Bezug zu dieser Maßnahme." in text


def test_unknown_measure_in_url_is_explained(open_page, db_url):
    at = open_page(db_url, PAGE, {"massnahme": "B.9.9"})
    assert not at.exception, at.exception
    hint = "Der Wert „B.9.9“ in der Adresse ist für die Maßnahme unbekannt; angezeigt wird keine Maßnahme."
    assert hint in [seen(w.value) for w in at.warning]  # the one answer to a bad value (pages/_url.py)
    assert at.selectbox(key="strategie-massnahme").value is None


def test_choosing_a_measure_updates_the_url(open_page, db_url):
    at = open_page(db_url, PAGE)
    at.selectbox(key="strategie-massnahme").select("B.6.2/2").run()
    assert not at.exception, at.exception
    assert at.query_params["massnahme"] == "B.6.2/2"
    facts = next(f for f in _frames(at) if list(f.columns) == ["Angabe", "Wert"]).set_index("Angabe")["Wert"]
    assert facts["Umsetzung"] == "Neues Projekt (Art: Neues Projekt)"


def test_with_objectives_and_epics(open_page, db_url, engine):
    seed_progress(engine)
    at = open_page(db_url, PAGE, {"massnahme": "B.1.3.2"})
    assert not at.exception, at.exception
    text = _text(at)
    assert "Beispieldaten" in text  # badges on the demo-based charts
    assert len(at.get("plotly_chart")) == 5  # + progress heatmap and epic funnel
    frames = _frames(at)
    progress = next(f for f in frames if "Zeile" in f.columns).set_index("Zeile")
    assert progress.loc["Digital Governance", "PI 17 (2025-Q1)"] == 3
    objectives = next(f for f in frames if "Ziel" in f.columns)
    assert list(objectives["PI"]) == [17, 18]
    assert "Stand: 30.06.2025" in text


def test_progress_toggle_from_url(open_page, db_url, engine):
    seed_progress(engine)
    at = open_page(db_url, PAGE, {"wert": "geschaeftswert", "ebene": "massnahme"})
    assert not at.exception, at.exception
    progress = next(f for f in _frames(at) if "Zeile" in f.columns).set_index("Zeile")
    assert len(progress) == 43
    assert progress.loc["#9 Change Management", "PI 17 (2025-Q1)"] == 1.2
    at = open_page(db_url, PAGE, {"wert": "unsinn"})
    assert not at.exception, at.exception
    progress = next(f for f in _frames(at) if "Zeile" in f.columns)
    assert len(progress) == 10  # falls back to count per domain


def test_demo_database(open_page, demo_url):
    at = open_page(demo_url, PAGE, {"massnahme": "B.2.1", "ebene": "massnahme"})
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 5
    assert "Beispieldaten" in _text(at)


def test_b33_shows_lgln_as_affected_not_as_responsible(open_page, db_url):
    at = open_page(db_url, PAGE, {"massnahme": "B.3.3"})
    assert not at.exception, at.exception
    facts = next(f for f in _frames(at) if list(f.columns) == ["Angabe", "Wert"]).set_index("Angabe")["Wert"]
    assert facts["Behörde"] == "–" and facts["Betroffen u. a."] == "LGLN"
