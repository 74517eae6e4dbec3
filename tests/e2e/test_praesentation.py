"""Präsentationsmodus in Chromium: step through every slide with the keyboard, one screenshot per slide."""

from __future__ import annotations

import pytest

from tests.e2e import harness

pytestmark = pytest.mark.e2e

SLIDES = 5  # reports.slides.deck: Kennzahlen, Karte, eAkte, PI, Strategie
PROJECTOR = dict(width=1920, height=1080)


def _h1(page) -> str:
    return page.inner_text('[data-testid="stMain"] h1').strip()


def _step(page, key: str) -> None:
    # A clicker types into whatever has focus: take it off any widget, as after a click on the slide.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)
    page.wait_for_timeout(300)
    harness.wait_ready(page)


def test_keyboard_steps_through_all_slides(browser, app_server):
    v = harness.new_visit(browser, **PROJECTOR)
    try:
        harness.open_page(v, app_server.base, "?praesentation=1")
        page = v.page
        assert not page.query_selector('[data-testid="stSidebarNav"]'), "Navigation im Präsentationsmodus sichtbar"
        harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        titles = []
        for n in range(1, SLIDES + 1):
            assert f"folie={n}" in page.url or n == 1, f"Folie {n} nicht in der URL: {page.url}"
            assert f"Folie {n} von {SLIDES}" in page.inner_text('[data-testid="stMain"]')
            assert "Stand:" in page.inner_text('[data-testid="stMain"]')
            titles.append(_h1(page))
            page.screenshot(path=str(harness.SCREENSHOTS / f"praesentation-folie{n}.png"))
            _step(page, "PageDown" if n % 2 else "ArrowRight")  # clicker and keyboard keys alike
        assert len(set(titles)) == SLIDES, f"nicht jede Folie hat einen eigenen Titel: {titles}"
        assert "folie=1" in page.url, "nach der letzten Folie geht es wieder zur ersten"
        _step(page, "ArrowLeft")
        assert _h1(page) == titles[-1]
        _step(page, "PageUp")
        assert _h1(page) == titles[-2]
        assert not v.page_errors, v.page_errors
        assert v.hosts == {harness.LOCAL_HOST}, f"Anfragen an fremde Hosts: {v.external}"
    finally:
        v.context.close()


def test_page_path_hides_navigation(browser, app_server):
    v = harness.new_visit(browser, **PROJECTOR)
    try:
        harness.open_page(v, app_server.base, "praesentation?folie=3")
        assert "praesentation=1" in v.page.url
        assert not v.page.query_selector('[data-testid="stSidebarNav"]')
        assert "Folie 3 von 5" in v.page.inner_text('[data-testid="stMain"]')
    finally:
        v.context.close()
