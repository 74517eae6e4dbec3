"""AppTest: the Kommune Steckbrief by link (KPIs, fair comparison, gaps, history) and with bad keys."""

from __future__ import annotations

import pytest

from tests.unit.test_services import build


@pytest.fixture
def url(db_url, engine):
    build(engine)
    return db_url


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_steckbrief_of_a_gemeinde_in_a_samtgemeinde(open_page, url):
    at = open_page(url, "pages/kommune.py", {"ars": "031515401001"})
    assert not at.exception, at.exception
    assert at.title[0].value == "Einheit 031515401001"
    metrics = _metrics(at)
    assert metrics["Nutzbare Onlinedienste"] == "3"  # Samtgemeinde + Landkreis + Land
    assert metrics["Fokusleistungen nutzbar"] == "2 von 2"
    assert metrics["Rang unter 2 (Mitgliedsgemeinde)"] == "1"
    text = " ".join(m.value for m in at.markdown)
    assert "Verwaltungseinheit [Einheit 031515401](/kommune?ars=031515401)" in text
    assert "Fairer Vergleich" in text and "Beispieldaten" in text
    assert len(at.get("plotly_chart")) == 1  # timeline


def test_steckbrief_of_a_kreis_with_gaps(open_page, url):
    at = open_page(url, "pages/kommune.py", {"ars": "03151", "stichtag": "2025-06-30"})
    assert not at.exception, at.exception
    metrics = _metrics(at)
    assert metrics["Nutzbare Onlinedienste (flächendeckend)"] == "2"
    # The same label wherever the figure appears: flächendeckend, with the others as "weitere".
    assert metrics["Fokusleistungen flächendeckend"] == "1 von 2"
    assert any("weitere in mind. einer Kommune" in (m.delta or "") for m in at.metric)
    captions = " ".join(c.value for c in at.caption)
    assert "Keine Lücke in eigener Zuständigkeit" in captions  # the own part is always shown, even when empty


@pytest.mark.parametrize("ars", ["abc", "031515401001' OR 1=1", "099999", "0399"])
def test_unknown_or_malformed_key(open_page, url, ars):
    at = open_page(url, "pages/kommune.py", {"ars": ars})
    assert not at.exception, at.exception
    assert at.title[0].value == "Steckbrief einer Kommune"
    # The one answer to a bad value in the address (pages/_url.py): the German hint, here with how an ARS looks.
    hint = at.warning[0].value
    assert "in der Adresse ist für den Regionalschlüssel (ARS) unbekannt; angezeigt wird die Suche" in hint
    assert "gibt es keine Kommune" in hint
    assert at.selectbox(key="search") is not None


def test_without_key_offers_search(open_page, url):
    at = open_page(url, "pages/kommune.py")
    assert not at.exception, at.exception
    assert not at.error and at.info
    at.selectbox(key="search").set_value("03101").run()
    assert at.title[0].value == "Einheit 03101"


def test_downloads_name_the_unit_and_the_stichtag(open_page, url, monkeypatch):
    from pages import _widgets

    calls = []
    real = _widgets.downloads
    monkeypatch.setattr(
        _widgets,
        "downloads",
        lambda df, basename, **kw: calls.append((basename, kw.get("content"))) or real(df, basename, **kw),
    )
    at = open_page(url, "pages/kommune.py", {"ars": "03151", "stichtag": "2025-06-30"})
    assert not at.exception, at.exception
    gaps = dict(calls)
    name = next(b for b in gaps if b.startswith("luecken_"))
    assert name == "luecken_einheit-03151_03151"
    assert "(ARS 03151), Stichtag 30.06.2025" in gaps[name] and gaps[name].startswith("Lücken: ")
