"""The map in the browser: drawn at every level, a click opens the Steckbrief, the ranking downloads as German CSV."""

from __future__ import annotations

import io
import json

import pytest

from tests.e2e import harness

pytestmark = pytest.mark.e2e

LEVELS = ["GEM", "VWG", "KRS"]

# Per plotly map on the page: trace type and number of locations over all its traces (units without a value,
# e.g. gemeindefreie Gebiete, are a second, grey trace).
MAP_INFO_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
  .filter(gd => gd._fullLayout && gd._fullLayout.map)
  .map(gd => ({type: gd.data[0].type, n: gd.data.reduce((n, t) => n + (t.locations || []).length, 0)}))"""


@pytest.fixture(scope="module")
def geo(app_data):
    if not app_data.boundaries:
        pytest.skip("; ".join(app_data.notes) or "keine Grenzen gebaut")
    return {lvl: json.loads((app_data.geo_dir / f"{lvl}.geojson").read_text()) for lvl in LEVELS}


def open_karte(visit, app_server, level: str):
    harness.open_page(visit, app_server.base, f"karte?ebene={level}")
    page = visit.page
    if "in Arbeit" in page.inner_text('[data-testid="stMain"]'):
        pytest.skip("pages/karte.py ist noch ein Platzhalter")
    # This page must have a map: wait for it explicitly, then until MapLibre has drawn it.
    page.wait_for_function(f"() => ({MAP_INFO_JS})().length > 0", timeout=60_000)
    page.wait_for_function(harness.MAPS_DRAWN_JS, timeout=30_000)
    return page


def map_canvas(page):
    return page.locator('[data-testid="stPlotlyChart"] canvas.maplibregl-canvas').first


@pytest.mark.parametrize("level", LEVELS)
def test_map_is_drawn_at_each_level(visit, app_server, geo, level):
    from PIL import Image

    page = open_karte(visit, app_server, level)
    maps = page.evaluate(MAP_INFO_JS)
    assert maps, "keine Karte auf der Seite"
    assert maps[0] == {"type": "choroplethmap", "n": len(geo[level]["features"])}
    canvas = map_canvas(page)
    canvas.scroll_into_view_if_needed()
    shot = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    colours = shot.getcolors(maxcolors=1 << 16) or []
    # A drawn choropleth has several class colours plus borders; a blank canvas has one or two colours.
    assert len(colours) > 5, f"{level}: Kartenfläche leer ({len(colours)} Farben)"
    assert "GeoBasis-DE / BKG" in page.inner_text('[data-testid="stMain"]')
    assert not page.query_selector('[data-testid="stException"]')
    assert visit.hosts == {harness.LOCAL_HOST}, visit.external
    page.screenshot(path=str(harness.SCREENSHOTS / f"karte-{level}.png"), full_page=True)


def click_targets(collection: dict, n: int = 40) -> list[tuple[str, float, float]]:
    """ARS and an interior point (lon, lat) of the largest units: the easiest targets for a click."""
    from shapely.geometry import shape

    shapes = sorted(((shape(f["geometry"]), f) for f in collection["features"]), key=lambda p: -p[0].area)[:n]
    return [(str(f.get("id") or f["properties"]["ars"]), *s.representative_point().coords[0]) for s, f in shapes]


# Pixel position (in the map canvas) of the first target that lies well inside the canvas.
PROJECT_JS = """targets => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullLayout.map);
  const m = gd._fullLayout.map._subplot.map, c = m.getCanvas().getBoundingClientRect();
  for (const [ars, lon, lat] of targets) {
    const p = m.project([lon, lat]);
    if (p.x > 15 && p.y > 15 && p.x < c.width - 15 && p.y < c.height - 15) return [ars, p.x, p.y];
  }
  return null;
}"""


def test_click_on_a_region_opens_its_steckbrief(visit, app_server, app_data, geo):
    if not app_data.boundaries.startswith("BKG"):
        pytest.skip("braucht die amtlichen Grenzen (BOUNDARIES=…zip); die Test-Zip-Flächen liegen am Kartenrand")
    page = open_karte(visit, app_server, "VWG")
    canvas = map_canvas(page)
    canvas.scroll_into_view_if_needed()
    page.wait_for_function(harness.MAPS_DRAWN_JS, timeout=30_000)
    target = page.evaluate(PROJECT_JS, click_targets(geo["VWG"]))
    assert target, "keine Verwaltungseinheit sichtbar im Kartenausschnitt"
    ars, x, y = target
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_timeout(300)  # hover first: plotly picks the polygon under the pointer
    page.mouse.click(box["x"] + x, box["y"] + y)
    # st.switch_page changes the URL with the history API (no load event): poll location instead.
    page.wait_for_function(
        "ars => location.pathname.endsWith('/kommune') && location.search.includes('ars=' + ars)",
        arg=ars,
        timeout=30_000,
    )
    harness.wait_ready(page)
    assert not page.query_selector('[data-testid="stException"]')
    name = next(
        f["properties"]["name"] for f in geo["VWG"]["features"] if str(f.get("id") or f["properties"]["ars"]) == ars
    )
    assert name in page.inner_text('[data-testid="stMain"] h1')
    page.screenshot(path=str(harness.SCREENSHOTS / "kommune-nach-klick.png"), full_page=True)


def test_ranking_downloads_as_german_csv(visit, app_server, geo):
    page = open_karte(visit, app_server, "KRS")
    button = (
        page.locator('[data-testid="stDownloadButton"]').filter(has_text="CSV herunterladen").locator("visible=true")
    )
    with page.expect_download() as info:
        button.first.click()
    download = info.value
    assert download.suggested_filename.endswith("_BEISPIELDATEN.csv"), download.suggested_filename
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV ohne BOM: Excel erkennt UTF-8 nicht"
    lines = raw.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert len(header) >= 3 and "Name" in header, header
    assert header[-1] == "Herkunft" and lines[1].endswith("· Beispieldaten"), (header, lines[1])
    assert len(lines) - 1 == len(geo["KRS"]["features"])  # one row per Kreis
    names = {f["properties"].get("name") for f in geo["KRS"]["features"]}
    col = header.index("Name")
    assert {line.split(";")[col] for line in lines[1:]} <= names | {f'"{n}"' for n in names}


def test_map_image_carries_title_stand_badge_and_bkg_attribution(visit, app_server, geo):
    """The camera of plotly's toolbar is gone; the page's own image button renders the map with its provenance."""
    from PIL import Image

    page = open_karte(visit, app_server, "KRS")
    assert not page.locator('.modebar-btn[data-title*="png" i]').count(), "plotly-Kamera noch in der Leiste"
    button = page.get_by_role("button", name="Bild herunterladen (PNG)").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=90_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("karte_krs_")  # level and filters, then the Stand
    assert download.suggested_filename.endswith("_BEISPIELDATEN.png")
    img = Image.open(download.path())
    assert img.format == "PNG" and img.width >= 1000
    assert img.text["Title"].startswith("Onlinedienste je")
    assert "Beispieldaten" in img.text["Source"] and "GeoBasis-DE / BKG" in img.text["Source"]
    assert img.text["Comment"] == "Beispieldaten – keine amtlichen Zahlen"
    colours = img.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "Bild ohne gezeichnete Karte"
