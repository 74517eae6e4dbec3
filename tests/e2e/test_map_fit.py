"""The whole state on the map at every screen size: the Onlinedienste map and the Präsentation's map slide.

The extent comes from the built GeoJSON (not from the figure), is projected with the page's own MapLibre map and
must lie inside the map canvas, filling it; the page must not scroll sideways.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e import harness

pytestmark = pytest.mark.e2e

SIZES = [(1024, 768), (1366, 768), (1920, 1080), (390, 844)]
PAGES = {"karte": "karte?ebene=KRS", "folie": "?praesentation=1&folie=2"}

# Per map on the page: the canvas size and the extent's corners in canvas pixels.
EXTENT_JS = """bbox => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
  .filter(gd => gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot)
  .map(gd => {
    const m = gd._fullLayout.map._subplot.map, r = m.getCanvas().getBoundingClientRect();
    const nw = m.project([bbox[0], bbox[3]]), se = m.project([bbox[2], bbox[1]]);
    return {w: r.width, h: r.height, left: nw.x, top: nw.y, right: se.x, bottom: se.y};
  })"""
INSIDE_JS = (
    "bbox => (" + EXTENT_JS + ")(bbox).some(e => e.left >= -1 && e.top >= -1 && e.right <= e.w + 1 "
    "&& e.bottom <= e.h + 1 && Math.max((e.right - e.left) / e.w, (e.bottom - e.top) / e.h) > 0.85)"
)
# Sideways scrolling: the document and Streamlit's own scroll container.
SCROLL_JS = """() => [document.documentElement, document.querySelector('[data-testid="stMain"]')]
  .filter(Boolean).map(el => [el.scrollWidth, el.clientWidth])"""


@pytest.fixture(scope="module")
def extent(app_data):
    if not app_data.boundaries:
        pytest.skip("; ".join(app_data.notes) or "keine Grenzen gebaut")
    from geo.load import extent as of

    return list(of(json.loads((app_data.geo_dir / "KRS.geojson").read_text())))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("name", list(PAGES))
def test_whole_state_inside_the_map_and_no_sideways_scroll(browser, app_server, extent, name, size):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    width, height = size
    v = harness.new_visit(browser, width=width, height=height)
    try:
        page = v.page
        harness.open_page(v, app_server.base, PAGES[name])
        page.wait_for_function(f"() => ({EXTENT_JS})([0, 0, 0, 0]).length > 0", timeout=60_000)
        page.wait_for_function(harness.MAPS_DRAWN_JS, timeout=30_000)
        try:  # the browser fits the view after the first draw
            page.wait_for_function(INSIDE_JS, arg=extent, timeout=10_000)
        except PlaywrightTimeout:
            pass
        found = page.evaluate(EXTENT_JS, extent)[0]
        harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        chart.scroll_into_view_if_needed()
        page.screenshot(path=str(harness.SCREENSHOTS / f"passform-{name}-{width}x{height}.png"))
        assert found["left"] >= -1 and found["right"] <= found["w"] + 1, f"Westen/Osten abgeschnitten: {found}"
        assert found["top"] >= -1 and found["bottom"] <= found["h"] + 1, f"Norden/Süden abgeschnitten: {found}"
        fill = max((found["right"] - found["left"]) / found["w"], (found["bottom"] - found["top"]) / found["h"])
        assert fill > 0.85, f"Land füllt die Karte nicht ({fill:.0%}): {found}"
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"Karte ragt aus dem Fenster: {box}"
        for scroll, client in page.evaluate(SCROLL_JS):
            assert scroll <= client + 1, f"Seite scrollt seitwärts ({scroll} > {client} px)"
        assert not page.query_selector('[data-testid="stException"]')
        assert v.hosts == {harness.LOCAL_HOST}, v.external
    finally:
        v.context.close()
