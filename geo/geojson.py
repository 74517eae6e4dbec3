"""Simplified WGS84 GeoJSON for the maps: shared borders simplified once (coverage), small payloads."""

from __future__ import annotations

import json

import geopandas as gpd
import shapely

METRIC_CRS = "EPSG:25832"  # ETRS89 / UTM 32N: metres, covers all of Niedersachsen
WGS84 = "EPSG:4326"
DECIMALS = 4  # ~10 m, far below what a 1:5 000 000 source can resolve
# Visvalingam tolerance in metres (≈ sqrt of the triangle areas removed) per level.
TOLERANCE_M = {"KRS": 500.0, "VWG": 750.0, "GEM": 1000.0}
MAX_BYTES = 400_000  # the browser downloads each file on every map view; VG250 needs more smoothing than VG5000


def feature_collection(layer: gpd.GeoDataFrame, level: str, *, max_bytes: int = MAX_BYTES) -> bytes:
    """Serialised FeatureCollection (UTF-8) with properties ars, name, unit_type and id = ars."""
    metric = layer.to_crs(METRIC_CRS)
    tolerance = TOLERANCE_M[level]
    for _ in range(8):
        payload = _serialise(layer, _simplify(metric, tolerance))
        if len(payload) <= max_bytes:
            return payload
        tolerance *= 1.5
    return payload


def _simplify(metric: gpd.GeoDataFrame, tolerance: float):
    # coverage_simplify keeps the common border of two neighbours identical: no gaps or slivers
    # as a per-polygon simplify (even preserve_topology=True) would leave between them.
    simplified = shapely.coverage_simplify(metric.geometry.values, tolerance)
    wgs = gpd.GeoSeries(simplified, crs=METRIC_CRS).to_crs(WGS84).values
    # Snapping to the output grid here (not only when printing) keeps rings valid after rounding.
    wgs = shapely.set_precision(wgs, 10**-DECIMALS)
    return shapely.orient_polygons(wgs)  # RFC 7946: exterior rings counter-clockwise


def _serialise(layer: gpd.GeoDataFrame, geometries) -> bytes:
    features = []
    for ars, name, unit_type, geom in zip(layer["ars"], layer["name"], layer["unit_type"], geometries, strict=True):
        if geom is None or geom.is_empty:
            continue
        mapping = shapely.geometry.mapping(geom)
        features.append(
            {
                "type": "Feature",
                "id": ars,
                "properties": {"ars": ars, "name": name, "unit_type": unit_type},
                "geometry": {"type": mapping["type"], "coordinates": _round(mapping["coordinates"])},
            }
        )
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _round(coords):
    if coords and isinstance(coords[0], float | int):
        return [round(c, DECIMALS) for c in coords[:2]]
    return [_round(c) for c in coords]
