"""Build the boundaries: BKG zip -> region table (one transaction) + simplified GeoJSON and meta.json."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from data_access import counting, summary
from data_access.db import refresh_statistics, transaction
from data_access.models import Region
from data_access.version import bump
from formatting import num
from geo.bkg import (
    ATTRIBUTION_URL,
    LEVELS,
    LICENCE,
    LICENCE_URL,
    BkgSource,
    GeoBuildError,
    is_url,
    local_zip,
    read_source,
)
from geo.geojson import DECIMALS, feature_collection
from geo.load import DEFAULT_BUILD_DIR, FILES, META_FILE

__all__ = ["BuildReport", "GeoBuildError", "build_boundaries", "is_built", "DEFAULT_BUILD_DIR"]

POPULATION_CSV = Path(__file__).resolve().parent.parent / "data_access" / "reference" / "kreise_einwohner.csv"
LAND = {"ars": "03", "ags": "03", "name": "Niedersachsen", "unit_type": "Land", "category": "Land"}


@dataclass
class BuildReport:
    """What a build did: counts per level, Stand, keys that appeared or disappeared, file sizes."""

    product: str
    stand: dt.date
    counts: dict[str, int]
    added: list[str]  # keys new in the region table
    missing: list[str]  # keys in the table that the file no longer has (kept: offers may reference them)
    sizes: dict[str, int]  # bytes of <level>.geojson
    out_dir: Path
    seconds: float = 0.0
    source_text: str = ""
    updated: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """German multi-line summary for the CLI."""
        counts = ", ".join(f"{lvl} {self.counts[lvl]}" for lvl in ("LAN", *LEVELS))
        sizes = ", ".join(f"{lvl} {num(self.sizes[lvl] / 1024)} KB" for lvl in LEVELS)
        lines = [
            f"Grenzen geladen: {self.product}, Stand {self.stand:%d.%m.%Y} – {counts}",
            f"Neu: {len(self.added)}, aktualisiert: {self.updated}, nicht mehr in der Datei (behalten): {len(self.missing)}",
            f"GeoJSON in {self.out_dir}: {sizes} ({num(self.seconds, 1)} s)",
        ]
        if self.missing:
            lines.append(
                "Nicht mehr enthaltene Schlüssel: "
                + ", ".join(self.missing[:20])
                + (" …" if len(self.missing) > 20 else "")
            )
        return "\n".join(lines + self.notes)


def is_built(engine: Engine, out_dir: Path) -> bool:
    """True when the three GeoJSON files exist and the region table already holds Gemeinden."""
    if not all((Path(out_dir) / name).is_file() for name in FILES.values()):
        return False
    try:
        if not inspect(engine).has_table(Region.__tablename__):
            return False
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Region).where(Region.level == "GEM")) > 0
    except SQLAlchemyError:
        return False  # the build itself then reports the database problem in one German sentence


def build_boundaries(source: str | Path, *, engine: Engine, out_dir: Path) -> BuildReport:
    """Read a BKG ebenen zip (path or URL), upsert Niedersachsen's units and write the map files.

    Everything is validated before anything is written; on GeoBuildError the database and out_dir are unchanged.
    """
    started = time.perf_counter()
    source = str(source)
    out_dir = Path(out_dir)
    with local_zip(source) as path:
        bkg = read_source(path)
    population, population_source = read_population()
    payloads = {lvl: feature_collection(bkg.layers[lvl], lvl) for lvl in LEVELS}
    rows = region_rows(bkg, population, population_source)
    _check_database(engine)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GeoBuildError(f"Der Ausgabeordner {out_dir} kann nicht angelegt werden ({exc.strerror}).") from exc

    temps = {lvl: out_dir / f".{FILES[lvl]}.tmp" for lvl in LEVELS}
    try:
        for lvl, tmp in temps.items():
            tmp.write_bytes(payloads[lvl])
        added, missing, updated = _upsert_regions(engine, rows)
        for lvl, tmp in temps.items():
            os.replace(tmp, out_dir / FILES[lvl])
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)

    counts = {"LAN": 1, **{lvl: len(bkg.layers[lvl]) for lvl in LEVELS}}
    sizes = {lvl: len(payloads[lvl]) for lvl in LEVELS}
    meta = {
        "product": bkg.product,
        "title": f"BKG {bkg.product} – Verwaltungsgebiete {bkg.scale}",
        "stand": bkg.stand.isoformat(),
        "year": bkg.year,
        "attribution": bkg.attribution,
        "attribution_url": ATTRIBUTION_URL,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "source": bkg.source_text,
        "source_file": source if is_url(source) else Path(source).name,
        "crs": "EPSG:4326",
        "decimals": DECIMALS,
        "files": dict(FILES),
        "counts": counts,
        "sizes": sizes,
        "built_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    tmp_meta = out_dir / f".{META_FILE}.tmp"
    tmp_meta.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_meta, out_dir / META_FILE)
    return BuildReport(
        product=bkg.product,
        stand=bkg.stand,
        counts=counts,
        added=added,
        missing=missing,
        sizes=sizes,
        out_dir=out_dir,
        seconds=time.perf_counter() - started,
        source_text=bkg.source_text,
        updated=updated,
    )


def read_population(path: Path = POPULATION_CSV) -> tuple[dict[str, int], str]:
    """Einwohner per Kreis key and the source note from the CSV's comment line."""
    import csv

    with path.open(encoding="utf-8") as f:
        lines = f.readlines()
    note = next((ln[1:].strip() for ln in lines if ln.startswith("#")), "")
    note = note.removeprefix("Quelle:").split(";")[0].strip()
    rows = csv.DictReader([ln for ln in lines if not ln.startswith("#")], delimiter=";")
    return {r["ags"].strip(): int(r["einwohner"]) for r in rows}, note


def region_rows(bkg: BkgSource, population: dict[str, int], population_source: str) -> list[dict]:
    """Rows for the region table, parents before children (LAN, KRS, VWG, GEM)."""
    common = {"source": bkg.source_text, "as_of": bkg.stand, "is_demo": False}
    rows = [
        {
            **LAND,
            "level": "LAN",
            "parent_ars": None,
            "kreis_ars": None,
            "population": None,
            "population_source": None,
            **common,
        }
    ]
    parent = {"KRS": lambda a: "03", "VWG": lambda a: a[:5], "GEM": lambda a: a[:9]}
    gem = bkg.layers["GEM"]
    children: dict[str, list[str]] = {}
    for ars, unit_type in zip(gem["ars"], gem["unit_type"], strict=True):
        children.setdefault(ars[:9], []).append(unit_type)
    for lvl in LEVELS:
        layer = bkg.layers[lvl]
        for idx, ars, ags, name, unit_type in zip(
            layer.index, layer["ars"], layer["ags"], layer["name"], layer["unit_type"], strict=True
        ):
            row = {
                "ars": ars,
                "ags": ags if lvl != "VWG" else None,
                "name": name,
                "level": lvl,
                "unit_type": unit_type,
                "category": counting.category(lvl, ars, unit_type, tuple(children.get(ars, ()))),
                "parent_ars": parent[lvl](ars),
                "kreis_ars": ars[:5],
                **common,
            }
            ewz = layer["population"].get(idx) if "population" in layer else None
            if ewz is not None and ewz is not pd.NA and ewz == ewz:
                # VG250-EW: the boundaries' own population, at their Stand (compatible dates by construction).
                row |= {
                    "population": int(ewz),
                    "population_source": f"BKG {bkg.product.upper()}-EW (EWZ), Stand {bkg.stand:%d.%m.%Y}",
                    "population_as_of": bkg.stand,
                }
            elif lvl == "KRS":  # Gemeinden keep the population of the "einwohner" import across rebuilds
                pop = population.get(ars)
                row |= {"population": pop, "population_source": population_source if pop is not None else None}
            rows.append(row)
    return rows


def _check_database(engine: Engine) -> None:
    try:
        has_table = inspect(engine).has_table(Region.__tablename__)
    except Exception as exc:
        raise GeoBuildError(f"Die Datenbank ist nicht erreichbar ({exc.__class__.__name__}).") from exc
    if not has_table:
        raise GeoBuildError(
            "Die Datenbank hat noch kein Schema. Bitte zuerst „python -m data_access migrate“ ausführen."
        )


def _upsert_regions(engine: Engine, rows: list[dict]) -> tuple[list[str], list[str], int]:
    wanted = {r["ars"] for r in rows}
    added, updated = [], 0
    with transaction(engine) as s:
        existing = {r.ars: r for r in s.scalars(select(Region))}
        level = None
        for row in rows:
            if row["level"] != level:
                s.flush()  # parents are in the table before their children reference them
                level = row["level"]
            obj = existing.get(row["ars"])
            if obj is None:
                status = counting.CITY_STATUS.get(row["ars"])
                s.add(
                    Region(
                        **row,
                        kommunal_status=status,
                        kommunal_status_source=counting.CITY_STATUS_SOURCE if status else None,
                    )
                )
                added.append(row["ars"])
                continue
            changed = False
            if obj.population_as_of is not None:
                # A population with its Stand comes from the "einwohner" import (Gemeindeverzeichnis): newer and
                # dated, so the undated reference figure per Kreis does not replace it.
                # VG250-EW (EWZ) replaces it only with a newer Stand; the three fields always travel together.
                newer = row.get("population_as_of") and row["population_as_of"] > obj.population_as_of
                if not newer:
                    row = {
                        k: x for k, x in row.items() if k not in ("population", "population_source", "population_as_of")
                    }
            for key, value in row.items():
                if getattr(obj, key) != value:
                    setattr(obj, key, value)
                    changed = True
            updated += changed
        s.flush()
        summary.refresh(s)  # the Kreis of a VWG may have changed: the availability summary follows
        bump(s)
    refresh_statistics(engine)
    missing = sorted(set(existing) - wanted)
    return added, missing, updated
