"""The eAkte seat map (pydeck): positions inside the seat's boundary, layer data, offline, plain-text tooltip."""

from __future__ import annotations

import json

import pandas as pd
from shapely.geometry import Point, shape

from charts import eakte_map

SQUARE = {"type": "Polygon", "coordinates": [[[9.0, 52.0], [10.0, 52.0], [10.0, 53.0], [9.0, 53.0], [9.0, 52.0]]]}
# A U shape: its centroid lies outside, a representative point never does.
U = {
    "type": "Polygon",
    "coordinates": [[[7, 52], [8, 52], [8, 53], [7.8, 53], [7.8, 52.2], [7.2, 52.2], [7.2, 53], [7, 53], [7, 52]]],
}
GEO = {
    "KRS": {"features": [{"id": "03241", "properties": {"ars": "03241"}, "geometry": SQUARE}]},
    "VWG": {"features": [{"id": "034520001", "properties": {"ars": "034520001"}, "geometry": U}]},
}


def test_seat_positions_lie_inside_the_seat_and_unknown_seats_get_none():
    seats = pd.Series(["03241", "034520001", None, "039999999", "03"])
    pos = eakte_map.seat_positions(seats, GEO.get)
    assert shape(SQUARE).contains(Point(pos.loc[0, "lon"], pos.loc[0, "lat"]))
    assert shape(U).contains(Point(pos.loc[1, "lon"], pos.loc[1, "lat"]))
    assert pos.loc[2:].isna().all().all()  # no seat, a key without boundary, the Land itself
    assert eakte_map.seat_positions(seats, lambda level: None).isna().all().all()  # boundaries not built


def test_radius_grows_with_workplaces_within_bounds():
    sizes = [eakte_map.radius(w) for w in (None, float("nan"), 0, 100, 400, 10**6)]
    assert sizes[:3] == [eakte_map.MIN_RADIUS_PX] * 3
    assert eakte_map.MIN_RADIUS_PX <= sizes[3] < sizes[4] <= eakte_map.MAX_RADIUS_PX
    assert sizes[5] == eakte_map.MAX_RADIUS_PX


def test_deck_has_the_points_the_outlines_no_base_map_and_a_text_tooltip():
    points = pd.DataFrame(
        {
            "name": ["Behörde <b>A</b>", "Behörde B"],
            "ministry": ["MI", "MF"],
            "status": ["produktiv", "geplant"],
            "planned_workplaces": [400, None],
            "active_users": [1234, None],
            "lon": [9.5, None],
            "lat": [52.5, None],
        }
    )
    spec = json.loads(eakte_map.deck(points, GEO["KRS"]).to_json())
    outline, dots = spec["layers"]
    assert outline["@@type"] == "GeoJsonLayer" and outline["filled"] is False
    assert dots["@@type"] == "ScatterplotLayer" and dots["pickable"] is True
    assert [d["name"] for d in dots["data"]] == ["Behörde <b>A</b>"]  # without position: not drawn (the table has it)
    first = dots["data"][0]
    assert first["workplaces"] == "400" and first["users"] == "1.234"  # German numbers in the tooltip
    assert first["colour"][:3] == [int(eakte_map.STATUS_COLOURS["produktiv"][i : i + 2], 16) for i in (1, 3, 5)]
    assert dots["radiusUnits"] == "pixels"  # a literal, not an expression (the circles were metres otherwise)
    # Offline: no map provider, a style from the app's own origin (Streamlit would load CARTO's otherwise).
    assert "mapProvider" not in spec and spec["mapStyle"] == eakte_map.BLANK_STYLE and spec["mapStyle"].startswith("/")
    assert set(spec) >= {"initialViewState", "layers"}
    by_address = json.loads(eakte_map.deck(points, "app/static/geo/KRS-0123.geojson").to_json())
    assert by_address["layers"][0]["data"] == "app/static/geo/KRS-0123.geojson"  # deck.gl fetches it itself
    tip = eakte_map.deck(points, None)._tooltip  # Streamlit sends it beside the spec
    assert set(tip) == {"text"} and "{name}" in tip["text"]  # plain text: a name with markup is never rendered
