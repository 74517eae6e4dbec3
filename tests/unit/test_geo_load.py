"""Loading the built boundary files: levels, caching per process, rebuilds, DVN_GEO_DIR, missing build."""

from __future__ import annotations

import json
import os

import pytest

from geo import load
from geo.build import build_boundaries
from tests.fixtures.make_bkg_zip import make_zip


@pytest.fixture
def built(engine, tmp_path):
    out_dir = tmp_path / "geo"
    build_boundaries(str(make_zip(tmp_path / "bkg.zip")), engine=engine, out_dir=out_dir)
    return out_dir


def test_boundaries_per_level(built):
    assert load.available(built)
    for level, n in (("KRS", 2), ("VWG", 4), ("GEM", 5)):
        doc = load.boundaries(level, built)
        assert doc["type"] == "FeatureCollection" and len(doc["features"]) == n
    ids = {f["id"] for f in load.boundaries("KRS", built)["features"]}
    assert ids == {"03101", "03151"}


def test_boundaries_are_read_once_and_reread_after_a_rebuild(built):
    first = load.boundaries("GEM", built)
    assert load.boundaries("GEM", built) is first  # cached per process
    path = built / "GEM.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"] = doc["features"][:1]
    path.write_text(json.dumps(doc), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert len(load.boundaries("GEM", built)["features"]) == 1


def test_meta(built):
    meta = load.meta(built)
    assert meta["attribution"] == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
    assert meta["attribution_url"] == "https://www.bkg.bund.de"
    assert meta["stand"] == "2021-01-01"
    assert meta["counts"]["GEM"] == 5


def test_env_dvn_geo_dir_is_the_default(built, monkeypatch):
    monkeypatch.setenv("DVN_GEO_DIR", str(built))
    assert load.resolve_dir() == built
    assert load.available()
    assert load.meta()["product"] == "VG5000"
    assert len(load.boundaries("VWG")["features"]) == 4


def test_before_the_first_build(tmp_path, monkeypatch):
    monkeypatch.setenv("DVN_GEO_DIR", str(tmp_path / "leer"))
    assert not load.available()
    assert load.meta() is None
    with pytest.raises(FileNotFoundError, match="python -m geo build"):
        load.boundaries("GEM")


def test_unknown_level():
    with pytest.raises(ValueError, match="Unbekannte Ebene"):
        load.boundaries("LAN")


def test_default_without_env_is_build_geo_in_the_repo(monkeypatch):
    monkeypatch.delenv("DVN_GEO_DIR", raising=False)
    assert load.resolve_dir() == load.ROOT / "build" / "geo"
