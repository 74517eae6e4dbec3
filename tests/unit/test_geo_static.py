"""The boundaries are served once from the app's origin (issue 16): a content-hashed copy under static/geo, its
relative address in the figure, and the way back for renderers without the origin (image export)."""

from __future__ import annotations

import json
import os
import time

import pytest

from geo import load


@pytest.fixture
def built(tmp_path, monkeypatch):
    geo_dir, static = tmp_path / "geo", tmp_path / "static"
    geo_dir.mkdir()
    for level in load.FILES:
        feature = {"type": "Feature", "id": level, "properties": {"ars": level}, "geometry": None}
        (geo_dir / load.FILES[level]).write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    (geo_dir / load.META_FILE).write_text("{}")
    monkeypatch.setenv("DVN_GEO_DIR", str(geo_dir))
    monkeypatch.setattr(load, "STATIC_DIR", static)
    load._published.cache_clear()
    yield geo_dir, static
    load._published.cache_clear()


def test_url_names_a_hashed_copy_that_holds_the_same_bytes(built):
    geo_dir, static = built
    address = load.url("GEM")
    assert address.startswith("app/static/geo/GEM-") and address.endswith(".geojson")
    served = static / address.removeprefix("app/static/")
    assert served.read_bytes() == (geo_dir / "GEM.geojson").read_bytes()
    assert load.url("GEM") == address  # stable while the build is unchanged
    assert load.from_url(address)["features"][0]["id"] == "GEM"


def test_a_rebuild_gets_a_new_address_and_old_copies_are_pruned_later(built):
    geo_dir, static = built
    first = load.url("KRS")
    old = static / first.removeprefix("app/static/")
    past = time.time() - 7200
    os.utime(old, (past, past))
    (geo_dir / "KRS.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    second = load.url("KRS")
    assert second != first
    assert not old.exists()  # older than an hour: gone
    assert load.from_url(second) == {"type": "FeatureCollection", "features": []}


def test_no_address_before_the_first_build_or_for_unknown_levels(tmp_path, monkeypatch):
    monkeypatch.setenv("DVN_GEO_DIR", str(tmp_path / "nothing"))
    assert load.url("GEM") is None
    assert load.url("XYZ") is None


@pytest.mark.parametrize("address", ["../etc/passwd", "app/static/geo/../../x.geojson", "http://evil/x.geojson"])
def test_from_url_reads_only_the_apps_own_boundary_copies(built, address):
    with pytest.raises((ValueError, FileNotFoundError)):
        load.from_url(address)
