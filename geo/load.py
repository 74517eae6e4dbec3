"""Loading the built boundary files for the maps (light: json only, no geopandas, no streamlit)."""

from __future__ import annotations

import functools
import json
import os
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
