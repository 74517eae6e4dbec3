"""Reading the BKG "Verwaltungsgebiete" ebenen shapefile zip (VG5000, VG250 …) exactly as BKG ships it."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import urllib.error
import urllib.request
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

NI_PREFIX = "03"
LAND_AREA = 9  # BKG "GF": 9 = land area only (4 would include the sea and lakes)
LEVELS = ("KRS", "VWG", "GEM")
ARS_LENGTH = {"LAN": 2, "KRS": 5, "VWG": 9, "GEM": 12}
REQUIRED_COLUMNS = ("ARS", "GEN", "BEZ", "GF")
DOWNLOAD_TIMEOUT_S = 20
ATTRIBUTION_URL = "https://www.bkg.bund.de"
LICENCE = "Datenlizenz Deutschland – Namensnennung 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"

_LAYER = re.compile(r"(?:^|/)(VG(\d+))_(LAN|KRS|VWG|GEM)\.shp$", re.IGNORECASE)
_STAND = re.compile(r"(?:^|/)aktualitaet\.txt$", re.IGNORECASE)


class GeoBuildError(Exception):
    """A problem with the boundary source; the message is one clear German sentence for the user."""


@dataclass(frozen=True)
class BkgSource:
    """The Niedersachsen part of one BKG distribution: one GeoDataFrame per level plus its metadata."""

    product: str  # "VG5000", "VG250"
    stand: dt.date
    layers: dict[str, gpd.GeoDataFrame]  # level -> columns ars, ags, name, unit_type, geometry (source CRS)

    @property
    def year(self) -> int:
        return self.stand.year

    @property
    def scale(self) -> str:
        """'VG5000' -> '1:5 000 000' (the product number is the scale in thousands)."""
        denominator = int(self.product[2:]) * 1000
        return "1:" + f"{denominator:,}".replace(",", " ")

    @property
    def attribution(self) -> str:
        return f"© GeoBasis-DE / BKG {self.year} (Daten verändert)"

    @property
    def source_text(self) -> str:
        return f"BKG {self.product} (Verwaltungsgebiete {self.scale}), {self.attribution}"


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


@contextmanager
def local_zip(source: str):
    """Yield a local path to the zip; a URL is downloaded to a temporary file first (only then)."""
    if not is_url(source):
        yield Path(source)
        return
    with tempfile.TemporaryDirectory(prefix="dvn-geo-") as tmp:
        target = Path(tmp) / "bkg.zip"
        try:
            with urllib.request.urlopen(source, timeout=DOWNLOAD_TIMEOUT_S) as resp, target.open("wb") as out:  # noqa: S310 - http(s) only, checked above
                while chunk := resp.read(1 << 20):
                    out.write(chunk)
        except urllib.error.HTTPError as exc:
            raise GeoBuildError(
                f"Die Grenzdaten konnten nicht geladen werden: {source} antwortet mit HTTP {exc.code}. "
                "Bitte die Adresse prüfen oder --source auf eine lokale BKG-Zip-Datei setzen."
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GeoBuildError(
                f"Die Grenzdaten konnten nicht von {source} geladen werden ({reason}). "
                "Bitte Netzwerkverbindung prüfen oder --source auf eine lokale BKG-Zip-Datei setzen."
            ) from exc
        yield target


def read_source(path: Path) -> BkgSource:
    """Read and validate the Niedersachsen layers of a BKG ebenen zip; raises GeoBuildError on any problem."""
    if not path.exists():
        raise GeoBuildError(f"Die Grenzdatei {path} wurde nicht gefunden. Bitte den Pfad zur BKG-Zip-Datei prüfen.")
    if not path.is_file() or not zipfile.is_zipfile(path):
        raise GeoBuildError(
            f"{path} ist keine Zip-Datei. Erwartet wird die BKG-Datei „…shape.ebenen.zip“ (VG5000 oder VG250)."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.namelist()
            stand_member = next((m for m in members if _STAND.search(m)), None)
            stand_text = zf.read(stand_member).decode("utf-8", "replace") if stand_member else ""
    except (zipfile.BadZipFile, OSError) as exc:
        raise GeoBuildError(f"{path} ist keine lesbare Zip-Datei ({exc}).") from exc

    found: dict[str, tuple[str, str]] = {}
    for m in members:
        if match := _LAYER.search(m):
            found.setdefault(match[3].upper(), (m, match[1].upper()))
    missing = [lvl for lvl in LEVELS if lvl not in found]
    if missing:
        raise GeoBuildError(
            f"{path.name} hat nicht den Aufbau der BKG-Verwaltungsgebiete: es fehlen die Ebenen {', '.join(missing)} "
            "(z. B. VG5000_KRS.shp). Erwartet wird die Datei „…shape.ebenen.zip“ von VG5000 oder VG250."
        )
    products = {found[lvl][1] for lvl in LEVELS}
    if len(products) != 1:
        raise GeoBuildError(f"{path.name} mischt verschiedene BKG-Produkte ({', '.join(sorted(products))}).")
    stand = _parse_stand(stand_text, path)
    layers = {lvl: _read_layer(path, found[lvl][0], lvl) for lvl in LEVELS}
    _check_hierarchy(layers)
    return BkgSource(product=products.pop(), stand=stand, layers=layers)


def _parse_stand(text: str, path: Path) -> dt.date:
    match = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", text)
    if not match:
        raise GeoBuildError(f"In {path.name} fehlt der Stand (aktualitaet.txt mit Datum TT.MM.JJJJ).")
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise GeoBuildError(f"Der Stand in aktualitaet.txt ({match[0]}) ist kein gültiges Datum.") from exc


def _read_layer(path: Path, member: str, level: str) -> gpd.GeoDataFrame:
    import pyogrio

    uri = f"/vsizip/{path.resolve()}/{member}"
    name = member.rsplit("/", 1)[-1]
    try:
        info = pyogrio.read_info(uri)
        fields = {str(f).upper(): str(f) for f in info["fields"]}
        absent = [c for c in REQUIRED_COLUMNS if c not in fields]
        if absent:
            raise GeoBuildError(
                f"Der Ebene {name} fehlen die Spalten {', '.join(absent)}; das ist keine BKG-Verwaltungsgebiete-Datei."
            )
        wanted = [fields[c] for c in (*REQUIRED_COLUMNS, "AGS", "EWZ") if c in fields]  # EWZ: VG250-EW only
        # No OGR "where" filter: it silently returns nothing for columns left out of `columns`.
        df = gpd.read_file(uri, engine="pyogrio", columns=wanted)
    except GeoBuildError:
        raise
    except Exception as exc:  # pyogrio raises several DataSourceError flavours for broken shapefiles
        raise GeoBuildError(f"Die Ebene {name} in {path.name} ist nicht lesbar ({exc}).") from exc
    if df.crs is None:
        raise GeoBuildError(f"Die Ebene {name} hat kein Koordinatensystem (.prj fehlt).")
    df = df.rename(columns={v: k for k, v in fields.items()})
    df["ARS"] = df["ARS"].astype("string").str.strip()
    df = df[df["ARS"].str.startswith(NI_PREFIX, na=False) & (df["GF"] == LAND_AREA)]
    if df.empty:
        raise GeoBuildError(f"Die Ebene {name} enthält keine Gebiete Niedersachsens (ARS 03…, GF 9).")
    bad = df.loc[~df["ARS"].str.fullmatch(rf"\d{{{ARS_LENGTH[level]}}}"), "ARS"]
    if not bad.empty:
        raise GeoBuildError(
            f"Die Ebene {name} enthält ungültige Regionalschlüssel (erwartet {ARS_LENGTH[level]} Ziffern), z. B. {bad.iloc[0]!r}."
        )
    if df["GEN"].isna().any() or df["BEZ"].isna().any():
        raise GeoBuildError(f"In der Ebene {name} fehlen bei einigen Gebieten Name (GEN) oder Bezeichnung (BEZ).")
    ags = df["AGS"].astype("string").str.strip() if "AGS" in df else None
    out = gpd.GeoDataFrame(
        {
            "ars": df["ARS"].astype(str),
            # VWG rows carry '--------' instead of an AGS: the Verwaltungsgemeinschaft has none.
            "ags": [a if isinstance(a, str) and a.isdigit() else None for a in ags] if ags is not None else None,
            "name": df["GEN"].astype(str).str.strip(),
            "unit_type": df["BEZ"].astype(str).str.strip(),
            # VG250-EW carries the population (EWZ) of each unit, at the Stand of the boundaries.
            "population": pd.to_numeric(df["EWZ"], errors="coerce").astype("Int64") if "EWZ" in df else pd.NA,
        },
        geometry=df.geometry.values,
        crs=df.crs,
    )
    if not out["ars"].is_unique:
        # Islands may come as several rows of one unit: one feature per key.
        out = out.dissolve(by="ars", as_index=False, aggfunc="first")
    return out.sort_values("ars").reset_index(drop=True)


def _check_hierarchy(layers: dict[str, gpd.GeoDataFrame]) -> None:
    krs, vwg = set(layers["KRS"]["ars"]), set(layers["VWG"]["ars"])
    orphans = sorted(set(layers["VWG"]["ars"].str[:5]) - krs)
    if orphans:
        raise GeoBuildError(f"Die Datei ist unvollständig: Verwaltungsgemeinschaften ohne Kreis, z. B. {orphans[0]}.")
    orphans = sorted(set(layers["GEM"]["ars"].str[:9]) - vwg)
    if orphans:
        raise GeoBuildError(f"Die Datei ist unvollständig: Gemeinden ohne Verwaltungsgemeinschaft, z. B. {orphans[0]}.")
