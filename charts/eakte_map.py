"""The eAkte map: the state authorities at their seat on the Kreis outlines, with pydeck (deck.gl, no base map).

53 points are well within what deck.gl picks reliably in Chromium (its picking failed above ~100 polygons, which is
why the municipal maps use plotly). `map_provider=None`: no tiles, no token, nothing leaves 127.0.0.1. The tooltip
is deck.gl's plain-text form ("text", not "html"), so names from the database are never rendered as markup.
"""

from __future__ import annotations

import math

import pandas as pd
import pydeck as pdk
from shapely.geometry import shape

from charts.eakte import STATUS_COLOURS
from charts.maps import BOUNDS
from formatting import num

LEVEL_BY_LENGTH = {5: "KRS", 9: "VWG", 12: "GEM"}
MIN_RADIUS_PX, MAX_RADIUS_PX = 5, 22
OUTLINE = [110, 110, 110, 255]
# Without a map style Streamlit's frontend falls back to CARTO's tiles from the internet: a style of our own origin
# with nothing but a white background (static/blank_map_style.json; no sources, no glyphs, no requests).
BLANK_STYLE = "/app/static/blank_map_style.json"


def _rgb(hex_colour: str) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i : i + 2], 16) for i in (0, 2, 4)] + [235]


def seat_positions(seats: pd.Series, geojson_of) -> pd.DataFrame:
    """lon/lat of each seat ARS: a point inside its unit's boundary (shapely's representative_point, never outside
    a concave or split unit). `geojson_of(level)` gives a level's FeatureCollection (or None); a key without a
    boundary gets no position (the page lists those authorities)."""
    wanted = {str(a) for a in seats.dropna()}
    found: dict[str, tuple[float, float]] = {}
    for level in sorted({LEVEL_BY_LENGTH.get(len(a)) for a in wanted} - {None}):
        for f in (geojson_of(level) or {}).get("features", []):
            key = str(f.get("id") or f.get("properties", {}).get("ars"))
            if key in wanted:
                p = shape(f["geometry"]).representative_point()
                found[key] = (round(p.x, 5), round(p.y, 5))
    return pd.DataFrame(
        {
            "lon": [found[a][0] if a in found else None for a in seats],
            "lat": [found[a][1] if a in found else None for a in seats],
        },
        index=seats.index,
        dtype=float,
    )


def radius(workplaces) -> float:
    """Area ∝ planned workplaces (radius ∝ √), between MIN and MAX pixels; unknown workplaces get the minimum."""
    if workplaces is None or pd.isna(workplaces) or workplaces <= 0:
        return MIN_RADIUS_PX
    return round(min(MAX_RADIUS_PX, max(MIN_RADIUS_PX, 0.6 * math.sqrt(float(workplaces)))), 1)


def deck(points: pd.DataFrame, outlines: str | dict | None) -> pdk.Deck:
    """points: name, ministry, status, planned_workplaces, active_users, lon, lat (rows without position dropped).

    outlines: the Kreis GeoJSON's address on the app's own origin (geo.load.url: deck.gl fetches it once and the
    browser caches it, so a rerun sends only the 53 points), or a FeatureCollection inline, or None."""
    data = points.dropna(subset=["lon", "lat"]).assign(
        colour=lambda d: d["status"].map(lambda s: _rgb(STATUS_COLOURS.get(s, STATUS_COLOURS["keine Daten"]))),
        radius=lambda d: d["planned_workplaces"].map(radius),
        workplaces=lambda d: d["planned_workplaces"].map(lambda v: "unbekannt" if pd.isna(v) else num(v)),
        users=lambda d: d["active_users"].map(lambda v: "–" if pd.isna(v) else num(v)),
    )[["name", "ministry", "status", "workplaces", "users", "lon", "lat", "colour", "radius"]]
    layers = []
    if outlines:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                outlines,
                stroked=True,
                filled=False,
                get_line_color=OUTLINE,
                line_width_min_pixels=1,
                pickable=False,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            data,
            id="behoerden",
            get_position=["lon", "lat"],
            get_fill_color="colour",
            get_radius="radius",
            radius_units="'pixels'",  # quoted: pydeck turns a bare string into an expression (@@=pixels)
            stroked=True,
            get_line_color=[255, 255, 255, 255],
            line_width_min_pixels=1,
            pickable=True,
        )
    )
    west, south, east, north = BOUNDS
    view = pdk.ViewState(longitude=(west + east) / 2, latitude=(south + north) / 2, zoom=6.2, min_zoom=5, max_zoom=11)
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        map_style=BLANK_STYLE,
        tooltip={
            "text": "{name}\n{ministry}\nStatus: {status}\nArbeitsplätze geplant: {workplaces}\nNutzende: {users}"
        },
    )
