"""Präsentationsmodus with AppTest: slide from ?folie, Weiter/Zurück, wrap-around, empty database, options."""

from __future__ import annotations

from tests.app._markdown import seen

PAGE = "pages/praesentation.py"


def _h1(at) -> str:
    return seen(at.title[0].value)


def _badge(at) -> bool:
    return any("Beispieldaten – keine amtlichen Zahlen" in m.value for m in at.markdown)


def _counter(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Folie "))


def test_slide_from_url_and_forward(open_page, demo_url):
    at = open_page(demo_url, PAGE, {"praesentation": "1", "folie": "2"})
    assert not at.exception
    assert _h1(at) == "Fokusleistungen: Anteil je Landkreis und kreisfreier Stadt"
    assert _counter(at) == "**Folie 2 von 5**"
    assert _badge(at)
    assert any(seen(c.value).startswith("Stand: ") for c in at.caption)
    at.button(key="next").click().run()
    assert not at.exception
    assert at.query_params["folie"] == "3"
    assert _h1(at) == "eAkte: Nutzende, Ziel und Prognose"
    at.button(key="prev-arrow").click().run()
    assert _h1(at).startswith("Fokusleistungen")


def test_back_from_the_first_slide_wraps_to_the_last(open_page, demo_url):
    at = open_page(demo_url, PAGE, {"praesentation": "1"})
    assert _h1(at) == "Digitale Verwaltung Niedersachsen: Stand des Programms"
    at.button(key="prev").click().run()
    assert _h1(at) == "Strategie 2030: Abdeckung durch den Handlungsplan"
    assert _counter(at) == "**Folie 5 von 5**"


def test_bad_slide_numbers_fall_back(open_page, demo_url):
    # The one answer to a bad value in the address (pages/_url.py): the default (slide 1) and the German hint.
    at = open_page(demo_url, PAGE, {"praesentation": "1", "folie": "99"})
    assert not at.exception and _counter(at) == "**Folie 1 von 5**"
    hints = [seen(w.value) for w in at.warning]
    assert "Der Wert „99“ in der Adresse ist für die Folie unbekannt; angezeigt wird Folie 1." in hints
    at = open_page(demo_url, PAGE, {"praesentation": "1", "folie": "x", "auto": "7"})
    assert not at.exception and _counter(at) == "**Folie 1 von 5**"
    assert at.selectbox(key="w_auto").value == 0  # an unknown interval is off
    hints = [seen(w.value) for w in at.warning]
    assert sum("„7“ in der Adresse ist für das Weiterblättern unbekannt" in h for h in hints) == 1  # once


def test_page_path_sets_the_presentation_flag(open_page, demo_url):
    at = open_page(demo_url, PAGE, {"folie": "4"})
    assert not at.exception
    assert _h1(at) == "Vorhersagbarkeit der letzten 8 PIs"


def test_empty_database_shows_notes_not_errors(open_page, db_url):
    at = open_page(db_url, PAGE, {"praesentation": "1"})
    assert not at.exception
    assert any("Noch keine Daten" in i.value for i in at.info)
    assert not _badge(at)
    at = open_page(db_url, PAGE, {"praesentation": "1", "folie": "5"})  # reference data only: real, no badge
    assert not at.exception and _h1(at) == "Strategie 2030: Abdeckung durch den Handlungsplan"
    assert not _badge(at)
    assert any(seen(c.value).startswith("Stand: 19.03.2024 · Quelle: Handlungsplan") for c in at.caption)


def test_auto_advance_setting_goes_into_the_url(open_page, demo_url):
    at = open_page(demo_url, PAGE, {"praesentation": "1"})
    at.selectbox(key="w_auto").set_value(30).run()
    assert not at.exception
    assert "30" in str(at.query_params["auto"])


def test_first_slide_shows_published_figures_beside_the_demo_figures(open_page, demo_url):
    at = open_page(demo_url, PAGE, {"praesentation": "1"})
    assert not at.exception
    captions = [seen(c.value) for c in at.caption]
    assert any("veröffentlicht: 41 von 53" in c and "Quelle: IT.Niedersachsen" in c for c in captions)
    assert any("574 Anbindungen" in c and "Stand: Ende 2025" in c for c in captions)
    assert _badge(at)


def test_deck_files_are_built_once_per_data_version(open_page, demo_url, monkeypatch):
    """The first request builds PowerPoint and PDF with its steps shown; the next session gets the same files."""
    from charts import slides as charts
    from pages import _slides

    _slides._built.clear()
    calls = []

    def fake_images(deck, *, geojson=None):  # no Chromium here: one tiny PNG per chart slide, counted
        calls.append([s.key for s in deck])
        return {}

    monkeypatch.setattr(charts, "images", fake_images)
    at = open_page(demo_url, PAGE, {"praesentation": "1"})
    assert not at.exception
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("Foliensatz")]
    at.button(key="build-deck").click().run()
    assert not at.exception
    assert len(calls) == 4  # one step per chart slide
    assert [s.proto.label for s in at.status][-1].startswith("Foliensatz erstellt")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Foliensatz herunterladen (PowerPoint)" in labels and "Foliensatz herunterladen (PDF)" in labels
    at.button(key="next").click().run()  # later runs (and other sessions of the process) find the files
    assert "Foliensatz herunterladen (PowerPoint)" in [b.proto.label for b in at.get("download_button")]
    assert "build-deck" not in [b.key for b in at.button]
    assert len(calls) == 4, "rebuilt for the same data version"
    assert len(_slides._built()) == 1


def test_ending_the_presentation_clears_the_address(open_page, demo_url):
    at = open_page(demo_url, PAGE, {"praesentation": "1", "folie": "2"})
    at.button(key="end").click().run()
    assert not at.exception
    assert "praesentation" not in at.query_params and "folie" not in at.query_params
