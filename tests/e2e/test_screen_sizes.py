"""Every page at the screen sizes people use: desktop, projector, tablet, phone.

A page must never scroll sideways (the document or Streamlit's main area), never show an error, a dialog or
"None" for an empty value, and never leave 127.0.0.1. Screenshots land in test-artifacts/screenshots/sizes/ so a
person can look at them. The layout does not depend on the database, so this runs on SQLite only.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.e2e import harness

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgresql"),
        reason="Layout hängt nicht an der Datenbank: läuft nur im SQLite-Durchgang",
    ),
]

SIZES = [(1024, 768), (1366, 768), (1920, 1080), (768, 1024), (390, 844)]
SHOTS = harness.SCREENSHOTS / "sizes"

# scrollWidth beyond clientWidth of the document and of Streamlit's scrolling main area (1 px rounding allowed).
SIDEWAYS_JS = """() => {
  const els = [document.scrollingElement, document.querySelector('[data-testid="stMain"]')].filter(Boolean);
  return els.map(el => [el.scrollWidth, el.clientWidth]);
}"""

NONE_WORD = re.compile(r"(?<![\w-])None(?![\w-])")


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("name", list(harness.PAGES))
def test_page_fits_the_screen(browser, app_server, app_data, name, width, height):
    path = harness.page_path(name, app_data)
    v = harness.new_visit(browser, width=width, height=height)
    try:
        harness.open_page(v, app_server.base, path)
        page = v.page
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}_{width}x{height}.png"), full_page=True)
        widths = page.evaluate(SIDEWAYS_JS)
        exceptions = [e.inner_text()[:300] for e in page.query_selector_all('[data-testid="stException"]')]
        dialogs = [d.inner_text()[:200] for d in page.query_selector_all('[role="dialog"]')]
        text = page.inner_text('[data-testid="stMain"]')
    finally:
        v.context.close()
    assert widths, "keine Breiten gemessen: die Messung selbst ist defekt"
    for scroll, client in widths:
        assert scroll <= client + 1, f"{name} bei {width}×{height}: seitlicher Bildlauf ({scroll} px > {client} px)"
    assert not exceptions, f"{name} bei {width}×{height}: Fehlerelement sichtbar: {exceptions}"
    assert not dialogs, f"{name} bei {width}×{height}: Dialog über der Seite: {dialogs}"
    assert not NONE_WORD.search(text), f"{name} bei {width}×{height}: »None« im Text"
    assert v.hosts == {harness.LOCAL_HOST}, f"{name}: Anfragen an fremde Hosts: {v.external}"
