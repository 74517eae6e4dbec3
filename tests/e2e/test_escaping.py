"""A URL value in the address is shown as text, never as a live link to another host (checked in Chromium, where
GFM autolinking happens)."""

from __future__ import annotations

import pytest

from tests.e2e import harness

pytestmark = pytest.mark.e2e

PAYLOAD = "%3Cimg%20src%3Dhttp%3A%2F%2Fevil.example%2Fx%3E%20www.evil.example%20a%40evil.example"


def test_url_payload_in_a_hint_is_no_link(visit, app_server):
    harness.open_page(visit, app_server.base, f"karte?reifegrad={PAYLOAD}")
    page = visit.page
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="in der Adresse").first
    assert "evil.example" in alert.inner_text()
    hrefs = alert.evaluate("el => [...el.querySelectorAll('a')].map(a => a.href)")
    assert hrefs == []
    assert not page.query_selector("img[src*='evil']")
    assert visit.hosts == {harness.LOCAL_HOST}, visit.external
