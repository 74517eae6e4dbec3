"""Loading the built boundary files for the maps (light: json only, no geopandas, no streamlit)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUILD_DIR = Path(os.environ.get("DVN_GEO_DIR") or ROOT / "build" / "geo")
FILES = {"KRS": "KRS.geojson", "VWG": "VWG.geojson", "GEM": "GEM.geojson"}
META_FILE = "meta.json"


def resolve_dir(path: str | Path | None = None) -> Path:
    """The folder with the built files: the argument, else env DVN_GEO_DIR (read now, so tests can set it), else build/geo."""
    if path is not None:
        return Path(path)
    env = os.environ.get("DVN_GEO_DIR", "").strip()
    return Path(env) if env else ROOT / "build" / "geo"


def available(build_dir: str | Path | None = None) -> bool:
    """True when all three level files and meta.json exist."""
    folder = resolve_dir(build_dir)
    return all((folder / name).is_file() for name in (*FILES.values(), META_FILE))


def boundaries(level: str, build_dir: str | Path | None = None) -> dict:
    """GeoJSON FeatureCollection of one level (KRS, VWG, GEM); feature id and properties.ars = ARS.

    Raises ValueError for an unknown level and FileNotFoundError (German message) before the first build.
    """
    if level not in FILES:
        raise ValueError(f"Unbekannte Ebene {level!r}; erlaubt sind {', '.join(FILES)}.")
    path = resolve_dir(build_dir) / FILES[level]
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise FileNotFoundError(
            f"Die Kartengrundlage {path} fehlt. Bitte „python -m geo build --source <BKG-Zip>“ ausführen."
        ) from None
    return _read_json(str(path), stamp)


def boundaries_if_built(level: str) -> dict | None:
    """The boundaries of one level for a map, or None before the first build (the page then says so)."""
    if level not in FILES or not available():
        return None
    return boundaries(level)


def meta(build_dir: str | Path | None = None) -> dict | None:
    """Contents of meta.json (product, stand, attribution, licence, counts, sizes) or None before the first build."""
    path = resolve_dir(build_dir) / META_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _read_json(str(path), stamp)


@functools.lru_cache(maxsize=16)
def _read_json(path: str, stamp: int) -> dict:
    # The modification time is part of the key: a rebuild in the same process is picked up,
    # otherwise each file is parsed once per process. Callers must not mutate the result.
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# The browser fetches the boundaries once from the app's own origin instead of receiving them inline in every
# figure (the GEM map sent ~800 KB over the websocket on each rerun). Streamlit serves `static/` beside
# dashboard.py at app/static/ (server.enableStaticServing); it refuses symlinks out of that folder, so the built
# files are copied in under a content-hashed name: a rebuild gets a new address, browsers may cache each forever.
STATIC_DIR = ROOT / "static"
STATIC_SUBDIR = "geo"
STATIC_PREFIX = "app/static/"


def url(level: str) -> str | None:
    """Relative address of one level's GeoJSON for plotly (geojson=URL), or None before the first build."""
    if level not in FILES or not available():
        return None
    path = resolve_dir() / FILES[level]
    return _published(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _published(path: str, stamp: int) -> str:
    data = Path(path).read_bytes()
    name = f"{Path(path).stem}-{hashlib.sha256(data).hexdigest()[:16]}.geojson"
    target = STATIC_DIR / STATIC_SUBDIR / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Several instances may start together: write beside it, then rename (atomic on one file system).
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        _prune(target)
    return f"{STATIC_PREFIX}{STATIC_SUBDIR}/{name}"


def _prune(current: Path, keep_seconds: float = 3600) -> None:
    """Older copies of the same level go after an hour (a browser still loading one finishes first)."""
    level = current.name.split("-", 1)[0]
    cutoff = time.time() - keep_seconds
    for old in current.parent.glob(f"{level}-*.geojson"):
        try:
            if old != current and old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:  # another instance pruned it first
            pass


def from_url(address: str) -> dict:
    """The GeoJSON behind an address from `url` (for renderers without the app's origin, e.g. image export)."""
    name = Path(address).name
    if not address.startswith(f"{STATIC_PREFIX}{STATIC_SUBDIR}/") or not name.endswith(".geojson"):
        raise ValueError(f"Keine Kartengrundlage der App: {address!r}")
    path = STATIC_DIR / STATIC_SUBDIR / name
    return _read_json(str(path), path.stat().st_mtime_ns)


def extent(collection: dict) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees of every coordinate of a FeatureCollection; None when it has none."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords) -> None:
        if coords and isinstance(coords[0], (int, float)):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
        else:
            for c in coords or ():
                walk(c)

    for feature in collection.get("features", []):
        walk((feature.get("geometry") or {}).get("coordinates"))
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def level_extent(level: str) -> tuple[float, float, float, float] | None:
    """The extent of one level's built boundaries (all levels cover the whole state), or None before the build."""
    if level not in FILES or not available():
        return None
    path = resolve_dir() / FILES[level]
    return _extent(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _extent(path: str, stamp: int) -> tuple[float, float, float, float] | None:
    return extent(_read_json(path, stamp))
