"""Boundary build: BKG zip -> region table + GeoJSON, on a tiny fixture zip and (if present) the real VG5000."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import select

from data_access.db import make_engine, transaction
from data_access.models import Region
from geo import cli
from geo.build import BuildReport, GeoBuildError, build_boundaries, is_built
from tests.fixtures.make_bkg_zip import make_zip

ROOT = Path(__file__).resolve().parents[2]
SOURCE_TEXT = "BKG VG5000 (Verwaltungsgebiete 1:5 000 000), © GeoBasis-DE / BKG 2021 (Daten verändert)"


@pytest.fixture
def fixture_zip(tmp_path) -> Path:
    return make_zip(tmp_path / "vg5000_01-01.gk3.shape.ebenen.zip")


@pytest.fixture
def out_dir(tmp_path) -> Path:
    return tmp_path / "geo"


def regions(engine) -> dict[str, Region]:
    with transaction(engine) as s:
        return {r.ars: r for r in s.scalars(select(Region))}


def snapshot(engine) -> list[tuple]:
    """Every column of every region row, to prove a failed build changed nothing."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(Region.__table__).order_by(Region.ars))]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_build_loads_levels_parents_and_types(engine, fixture_zip, out_dir):
    report = build_boundaries(str(fixture_zip), engine=engine, out_dir=out_dir)

    assert report.counts == {"LAN": 1, "KRS": 2, "VWG": 4, "GEM": 5}
    rows = regions(engine)
    assert len(rows) == 12  # Flensburg (Schleswig-Holstein) is dropped on every level
    assert not any(a.startswith("01") for a in rows)
    by_level = {lvl: sorted(a for a, r in rows.items() if r.level == lvl) for lvl in ("LAN", "KRS", "VWG", "GEM")}
    assert by_level["LAN"] == ["03"]
    assert by_level["KRS"] == ["03101", "03151"]
    assert by_level["VWG"] == ["031010000", "031510009", "031515401", "031519501"]
    assert len(by_level["GEM"]) == 5 and all(len(a) == 12 for a in by_level["GEM"])

    land, bs, gf = rows["03"], rows["03101"], rows["03151"]
    assert (land.name, land.unit_type, land.parent_ars, land.kreis_ars) == ("Niedersachsen", "Land", None, None)
    assert (bs.unit_type, bs.parent_ars, bs.ags) == ("Kreisfreie Stadt", "03", "03101")
    assert (gf.name, gf.unit_type) == ("Gifhorn", "Landkreis")  # the GF 4 row (with water) is ignored

    sg = rows["031515401"]
    assert (sg.name, sg.unit_type, sg.parent_ars, sg.kreis_ars, sg.ags) == (
        "Boldecker Land",
        "Samtgemeinde",
        "03151",
        "03151",
        None,
    )
    members = sorted(r.name for r in rows.values() if r.parent_ars == "031515401")
    assert members == ["Barwedel", "Bokensdorf"]
    giebel = rows["031519501501"]
    assert (giebel.unit_type, giebel.parent_ars, giebel.kreis_ars, giebel.ags) == (
        "Gemeindefreies Gebiet",
        "031519501",
        "03151",
        "03151501",
    )
    for r in rows.values():
        assert r.as_of == dt.date(2021, 1, 1)
        assert r.source == SOURCE_TEXT
        assert r.is_demo is False
        if r.level == "GEM":
            assert rows[r.parent_ars].level == "VWG"
        if r.level == "VWG":
            assert rows[r.parent_ars].level == "KRS"


def test_population_only_on_kreise_with_its_source(engine, fixture_zip, out_dir):
    build_boundaries(str(fixture_zip), engine=engine, out_dir=out_dir)
    rows = regions(engine)
    assert rows["03101"].population == 249406
    assert rows["03151"].population == 176523
    assert "Destatis" in rows["03101"].population_source and "vermutlich" in rows["03101"].population_source
    assert all(r.population is None for r in rows.values() if r.level != "KRS")


def test_vg250_ew_population_comes_with_the_boundaries(engine, tmp_path, out_dir):
    """VG250-EW carries EWZ: every unit gets its population at the boundaries' Stand, with BKG as source."""
    zip_path = make_zip(tmp_path / "vg250_01-01.gk3.shape.ebenen.zip", layout="vg250", ewz=True, stand="31.12.2023")
    build_boundaries(str(zip_path), engine=engine, out_dir=out_dir)
    rows = regions(engine)
    gem = [r for r in rows.values() if r.level == "GEM"]
    assert gem and all(r.population and r.population % 1_000 == 0 for r in gem)
    assert all(r.population_as_of == dt.date(2023, 12, 31) for r in gem)
    assert all(r.population_source == "BKG VG250-EW (EWZ), Stand 31.12.2023" for r in gem)


def test_build_is_idempotent_and_reports_keys_that_disappear_or_appear(engine, tmp_path, out_dir):
    full = make_zip(tmp_path / "full.zip")
    first = build_boundaries(str(full), engine=engine, out_dir=out_dir)
    assert len(first.added) == 12 and first.missing == []
    before = snapshot(engine)

    again = build_boundaries(str(full), engine=engine, out_dir=out_dir)
    assert (again.added, again.missing, again.updated) == ([], [], 0)
    assert snapshot(engine) == before

    # A merger: Bokensdorf disappears from the file, but offers may still reference it, so it stays.
    shrunk = make_zip(tmp_path / "shrunk.zip", exclude=("031515401002",), stand="01.01.2022")
    report = build_boundaries(str(shrunk), engine=engine, out_dir=out_dir)
    assert report.missing == ["031515401002"]
    assert report.counts["GEM"] == 4
    rows = regions(engine)
    assert "031515401002" in rows
    assert rows["031515401002"].as_of == dt.date(2021, 1, 1)  # untouched
    assert rows["031515401001"].as_of == dt.date(2022, 1, 1)
    assert "BKG 2022" in rows["03"].source
    gem = json.loads((out_dir / "GEM.geojson").read_text(encoding="utf-8"))
    assert "031515401002" not in {f["id"] for f in gem["features"]}

    back = build_boundaries(str(full), engine=engine, out_dir=out_dir)
    assert back.added == [] and back.missing == []  # the kept row is simply updated again


def test_new_keys_are_reported_as_added(engine, tmp_path, out_dir):
    build_boundaries(str(make_zip(tmp_path / "a.zip", exclude=("031515401002",))), engine=engine, out_dir=out_dir)
    report = build_boundaries(str(make_zip(tmp_path / "b.zip")), engine=engine, out_dir=out_dir)
    assert report.added == ["031515401002"]


def test_geojson_is_wgs84_simplified_and_meta_complete(engine, fixture_zip, out_dir):
    report = build_boundaries(str(fixture_zip), engine=engine, out_dir=out_dir)
    assert isinstance(report, BuildReport)
    for level, n in (("KRS", 2), ("VWG", 4), ("GEM", 5)):
        path = out_dir / f"{level}.geojson"
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection"
        assert len(doc["features"]) == n
        assert report.sizes[level] == path.stat().st_size
        for f in doc["features"]:
            assert f["id"] == f["properties"]["ars"]
            assert set(f["properties"]) == {"ars", "name", "unit_type"}
            geom = shape(f["geometry"])
            assert geom.is_valid and not geom.is_empty
            minx, miny, maxx, maxy = geom.bounds
            # The fixture lies near Braunschweig: WGS84 degrees, not Gauß-Krüger metres.
            assert 10.3 < minx < maxx < 10.8 and 52.1 < miny < maxy < 52.6
            ring = (
                f["geometry"]["coordinates"][0]
                if f["geometry"]["type"] == "Polygon"
                else f["geometry"]["coordinates"][0][0]
            )
            assert all(round(c, 4) == c for pt in ring for c in pt)
            assert shapely.LinearRing(ring).is_ccw  # RFC 7946 winding
    meta = json.loads((out_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["product"] == "VG5000"
    assert meta["stand"] == "2021-01-01" and meta["year"] == 2021
    assert meta["attribution"] == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
    assert meta["attribution_url"] == "https://www.bkg.bund.de"
    assert meta["licence"] == "Datenlizenz Deutschland – Namensnennung 2.0"
    assert meta["counts"] == {"LAN": 1, "KRS": 2, "VWG": 4, "GEM": 5}
    assert meta["sizes"] == report.sizes
    assert not list(out_dir.glob(".*.tmp"))


def test_vg250_layout_is_found_by_pattern(engine, tmp_path, out_dir):
    report = build_boundaries(str(make_zip(tmp_path / "vg250.zip", layout="vg250")), engine=engine, out_dir=out_dir)
    assert report.product == "VG250"
    assert report.counts == {"LAN": 1, "KRS": 2, "VWG": 4, "GEM": 5}
    assert regions(engine)["03"].source.startswith("BKG VG250 (Verwaltungsgebiete 1:250 000), © GeoBasis-DE / BKG 2021")


def test_download_from_url(engine, fixture_zip, out_dir):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(fixture_zip.parent), **kwargs)

        def log_message(self, *args):  # keep the test output clean
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{fixture_zip.name}"
        report = build_boundaries(url, engine=engine, out_dir=out_dir)
    finally:
        server.shutdown()
        server.server_close()
    assert report.counts["GEM"] == 5
    assert json.loads((out_dir / "meta.json").read_text(encoding="utf-8"))["source_file"] == url


BAD_SOURCES = {
    "missing file": (lambda tmp: str(tmp / "gibt-es-nicht.zip"), r"wurde nicht gefunden"),
    "not a zip": (lambda tmp: _write(tmp / "kaputt.zip", b"kein zip"), r"keine Zip-Datei"),
    "other layout": (lambda tmp: str(make_zip(tmp / "anders.zip", layout="other")), r"fehlen die Ebenen KRS, VWG, GEM"),
    "no ARS column": (lambda tmp: str(make_zip(tmp / "ohne_ars.zip", layout="no_ars")), r"fehlen die Spalten ARS"),
    "unreachable URL": (
        lambda tmp: f"http://127.0.0.1:{closed_port()}/x.zip",
        r"konnten nicht von http://127\.0\.0\.1:\d+/x\.zip geladen werden",
    ),
}


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("case", list(BAD_SOURCES))
def test_bad_source_raises_one_german_message_and_changes_nothing(case, engine, fixture_zip, tmp_path, out_dir):
    build_boundaries(str(fixture_zip), engine=engine, out_dir=out_dir)
    before, files_before = snapshot(engine), {p.name: p.read_bytes() for p in out_dir.iterdir()}
    make_source, message = BAD_SOURCES[case]
    source = make_source(tmp_path)

    started = time.process_time()  # CPU time: bounded work, whatever the load of the machine
    with pytest.raises(GeoBuildError, match=message) as info:
        build_boundaries(source, engine=engine, out_dir=out_dir)
    assert time.process_time() - started < 25
    assert "\n" not in str(info.value) and "Traceback" not in str(info.value)
    assert snapshot(engine) == before
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == files_before


@pytest.mark.parametrize("case", list(BAD_SOURCES))
def test_cli_prints_message_and_exits_2(case, db_url, tmp_path, out_dir, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    engine = make_engine(db_url)
    before = snapshot(engine)
    source = BAD_SOURCES[case][0](tmp_path)

    code = cli.main(["build", "--source", source, "--out", str(out_dir)])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("Fehler: ") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    assert snapshot(engine) == before == []
    assert not out_dir.exists() or not any(out_dir.iterdir())
    engine.dispose()


def test_missing_schema_is_a_clear_error(tmp_path, fixture_zip, out_dir):
    engine = make_engine(f"sqlite:///{tmp_path / 'leer.sqlite'}")
    with pytest.raises(GeoBuildError, match="python -m data_access migrate"):
        build_boundaries(str(fixture_zip), engine=engine, out_dir=out_dir)
    engine.dispose()


def test_if_missing_skips_only_when_files_and_gemeinden_exist(db_url, fixture_zip, out_dir, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    engine = make_engine(db_url)
    args = ["build", "--source", str(fixture_zip), "--out", str(out_dir), "--if-missing"]
    assert not is_built(engine, out_dir)
    assert cli.main(args) == 0
    assert "GEM 5" in capsys.readouterr().out
    assert is_built(engine, out_dir)

    # Now even a broken source is not touched: nothing to do.
    assert cli.main(["build", "--source", "/gibt/es/nicht.zip", "--out", str(out_dir), "--if-missing"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "bereits vorhanden" in out

    (out_dir / "VWG.geojson").unlink()
    assert not is_built(engine, out_dir)
    assert cli.main(args) == 0
    assert (out_dir / "VWG.geojson").is_file()
    engine.dispose()


def test_module_entry_point(db_url, fixture_zip, out_dir):
    env = {**os.environ, "DATABASE_URL": db_url}
    ok = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--source", str(fixture_zip), "--out", str(out_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Stand 01.01.2021" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--source", str(out_dir / "KRS.geojson"), "--out", str(out_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert (
        bad.stderr.strip().startswith("Fehler:") and "keine Zip-Datei" in bad.stderr and "Traceback" not in bad.stderr
    )


BOUNDARIES = os.environ.get("BOUNDARIES", "").strip()


@pytest.mark.slow
@pytest.mark.skipif(not (BOUNDARIES and Path(BOUNDARIES).is_file()), reason="BOUNDARIES zeigt auf keine BKG-Zip-Datei")
def test_full_vg5000_build(engine, out_dir):

    started = time.perf_counter()
    report = build_boundaries(BOUNDARIES, engine=engine, out_dir=out_dir)
    elapsed = time.perf_counter() - started
    print(f"Voller Aufbau: {elapsed:.1f} s, GEM {report.sizes['GEM']} Bytes")

    assert report.counts == {"LAN": 1, "KRS": 45, "VWG": 430, "GEM": 967}
    rows = regions(engine)
    levels = {lvl: {a: r for a, r in rows.items() if r.level == lvl} for lvl in ("KRS", "VWG", "GEM")}
    assert all(r.parent_ars in levels["VWG"] for r in levels["GEM"].values())
    assert all(r.parent_ars in levels["KRS"] for r in levels["VWG"].values())
    assert all(r.parent_ars == "03" for r in levels["KRS"].values())
    assert sum(r.unit_type == "Kreisfreie Stadt" for r in levels["KRS"].values()) == 8
    assert sum(r.unit_type == "Samtgemeinde" for r in levels["VWG"].values()) == 116
    assert sum(r.unit_type == "Einheitsgemeinde" for r in levels["VWG"].values()) == 314
    assert sum(r.unit_type == "Gemeindefreies Gebiet" for r in levels["GEM"].values()) == 25
    assert sum(r.population or 0 for r in levels["KRS"].values()) == 7_993_608
    assert all(r.population for r in levels["KRS"].values())
    assert rows["03241"].name == "Region Hannover"
    # Counting categories (data_access.counting): the 25 gemeindefreie Gebiete and their 25 BKG "Einheitsgemeinden"
    # are not municipalities; Lohheide and Osterheide are the inhabited ones; Region Hannover is no Landkreis.
    from collections import Counter

    cats = {lvl: Counter(r.category for r in levels[lvl].values()) for lvl in levels}
    assert cats["KRS"] == {"Landkreis": 36, "kreisfreie Stadt": 8, "Region": 1}
    assert cats["VWG"] == {"Einheitsgemeinde": 289, "Samtgemeinde": 116, "gemeindefrei": 23, "gemeindefrei bewohnt": 2}
    assert cats["GEM"]["gemeindefrei"] == 23 and cats["GEM"]["gemeindefrei bewohnt"] == 2
    assert {r.name for r in levels["VWG"].values() if r.category == "gemeindefrei bewohnt"} == {
        "Lohheide",
        "Osterheide",
    }
    assert rows["032410001"].kommunal_status == "Landeshauptstadt"
    assert rows["031590016"].kommunal_status == "Stadt Göttingen"
    assert report.sizes["GEM"] < 500_000
    gem = json.loads((out_dir / "GEM.geojson").read_text(encoding="utf-8"))
    assert {f["id"] for f in gem["features"]} == set(levels["GEM"])
    assert all(shape(f["geometry"]).is_valid for f in gem["features"])
