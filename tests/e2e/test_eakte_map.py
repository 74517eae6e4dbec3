"""The eAkte seat map in Chromium: deck.gl draws the authorities without a request beyond 127.0.0.1."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from data_access.db import make_engine, transaction
from data_access.models import Authority
from geo.load import boundaries
from tests.e2e import harness

pytestmark = pytest.mark.e2e


def test_seat_map_draws_offline(browser, app_server, app_data):
    if not app_data.boundaries:
        pytest.skip("; ".join(app_data.notes))
    seat = boundaries("KRS", app_data.geo_dir)["features"][0]["id"]
    engine = make_engine(app_data.url)
    try:
        with transaction(engine) as s:  # demo data has no seats (it invents none): give every authority one
            s.execute(update(Authority).values(seat_ars=seat))
        v = harness.new_visit(browser, width=1366, height=900)
        try:
            outlines: list[int] = []  # status of each request for the Kreis outlines (by address, cached)
            v.page.on("response", lambda r: "/app/static/geo/KRS-" in r.url and outlines.append(r.status))
            harness.open_page(v, app_server.base, "eakte")
            page = v.page
            page.get_by_role("tab", name="Karte").click()
            chart = page.locator('[data-testid="stDeckGlJsonChart"]')
            chart.wait_for(timeout=90_000)
            chart.scroll_into_view_if_needed()
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-testid=\"stDeckGlJsonChart\"] canvas')]"
                ".some(c => c.width > 0 && c.height > 0)",
                timeout=90_000,
            )
            page.wait_for_timeout(1500)
            harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(harness.SCREENSHOTS / "eakte_karte.png"))
            assert v.hosts == {harness.LOCAL_HOST}, v.external  # no CARTO style, no tiles
            assert outlines and set(outlines) <= {200, 304}, outlines  # deck.gl loaded the outlines from the app
            assert not v.page_errors, v.page_errors
        finally:
            v.context.close()
    finally:
        with transaction(engine) as s:
            s.execute(update(Authority).values(seat_ars=None))
        engine.dispose()
