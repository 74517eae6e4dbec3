"""The Steckbrief in the browser: the gap list split by who can act and the published reference marker,
at a desktop and a phone width (screenshots in test-artifacts/screenshots)."""

from __future__ import annotations

import pytest

from tests.e2e import harness

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_steckbrief_shows_split_gaps_and_published_marker(browser, app_server, app_data, width, height):
    ars = _samtgemeinde(app_data.url)
    if not ars:
        pytest.skip("keine Samtgemeinde in der Datenbank")
    visit = harness.new_visit(browser, width=width, height=height)
    try:
        harness.open_page(visit, app_server.base, f"kommune?ars={ars}")
        page = visit.page
        text = page.inner_text('[data-testid="stMain"]')
        assert not page.query_selector('[data-testid="stException"]')
        assert "Selbst anbindbar (eigene Zuständigkeit)" in text
        assert "Abhängig vom Landkreis" in text, text[:3000]
        assert "veröffentlicht:" in text and "Quelle" in text
        harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(harness.SCREENSHOTS / f"steckbrief-{width}x{height}.png"), full_page=True)
        assert not visit.external, visit.external
    finally:
        visit.context.close()


def test_link_kopieren_copies_the_address_with_its_filters(browser, app_server, app_data):
    ars = app_data.vwg_ars
    visit = harness.new_visit(browser)
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.base)
    try:
        harness.open_page(visit, app_server.base, f"kommune?ars={ars}&stichtag=2025-06-30")
        frame = visit.page.frame_locator('iframe[title="st.iframe"], [data-testid="stIFrame"]').first
        button = frame.get_by_role("button", name="Link kopieren")
        button.focus()
        visit.page.keyboard.press("Enter")  # by keyboard, as the button is a real <button>
        frame.get_by_text("Link kopiert").wait_for(timeout=10_000)
        copied = visit.page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(app_server.base) and f"ars={ars}" in copied and "stichtag=2025-06-30" in copied
        assert not visit.external, visit.external
    finally:
        visit.context.close()


def _samtgemeinde(url: str) -> str | None:
    """A Samtgemeinde (its Kreis tasks depend on the Landkreis), the first by key."""
    from sqlalchemy import select

    from data_access.db import make_engine
    from data_access.models import Region

    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return c.scalar(select(Region.ars).where(Region.category == "Samtgemeinde").order_by(Region.ars).limit(1))
    finally:
        engine.dispose()
