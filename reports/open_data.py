"""Open-data package of the public coverage figures: online services per Gemeinde and Kreis on a Stichtag.

CSV (comma, decimal point, ISO dates, UTF-8: what open-data portals and scripts read), the same rows as
JSON, and a metadata file (title, description, Stand, source, licence, attribution), zipped together.
Demo data is never exported as if real: a column and the metadata say Beispieldaten.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd
from sqlalchemy import Engine

from data_access.queries import services
from data_access.text import escape_formulas
from data_access.units import Level

LICENCE = "Datenlizenz Deutschland – Namensnennung 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
PUBLISHER = "Land Niedersachsen, Programm Digitale Verwaltung Niedersachsen (DVN)"
LEVELS = (Level.GEM, Level.KRS)  # the files: per Gemeinde and per Kreis
COLUMNS = {  # export column -> (availability column, description)
    "ars": ("ars", "Amtlicher Regionalschlüssel (12 Stellen bei Gemeinden, 5 bei Kreisen)"),
    "name": ("name", "Name der Gebietseinheit"),
    "typ": ("unit_type", "Art der Gebietseinheit"),
    "vergleichsgruppe": ("group", "Vergleichsgruppe (gleichartige Einheiten)"),
    "kreis_ars": ("kreis_ars", "Schlüssel des Kreises"),
    "kreis_name": ("kreis_name", "Name des Kreises"),
    "onlinedienste": (
        "n_services",
        "Onlinedienste, die die Einwohnerinnen und Einwohner nutzen können (Gemeinde, "
        "Kreis und Land; bei Kreisen flächendeckend, d. h. in jeder Kommune)",
    ),
    "fokusleistungen": ("n_focus", "davon Fokusleistungen"),
    "fokusleistungen_gesamt": ("focus_total", "Zahl der Fokusleistungen im Katalog"),
    "anteil_fokusleistungen": ("share_focus", "Anteil der Fokusleistungen (0–1)"),
    "in_mindestens_einer_kommune": (
        "n_mindestens_eine",
        "nur Kreise: Onlinedienste in mindestens einer Kommune des Kreises nutzbar",
    ),
}
EXTRA = {
    "stichtag": "Stichtag (ISO 8601): Angebote, die an diesem Tag galten",
    "ebene": "GEM = Gemeinde, KRS = Kreis",
    "beispieldaten": "true = synthetische Beispieldaten, keine amtlichen Zahlen",
}


def coverage(engine: Engine, *, as_of: dt.date) -> pd.DataFrame:
    """One row per Gemeinde and per Kreis: live online services usable there on `as_of` (services.availability).

    Columns: stichtag, ebene, the keys of COLUMNS, beispieldaten. Counts are integers; a Gemeinde without a
    serving Verwaltungseinheit has empty counts.
    """
    meta = services.offers_meta(engine) or {}
    frames = []
    for level in LEVELS:
        df = services.availability(engine, level=level, as_of=as_of)
        out = pd.DataFrame({"stichtag": as_of.isoformat(), "ebene": level}, index=df.index)
        for col, (src, _) in COLUMNS.items():
            out[col] = df[src] if src in df else pd.NA
        frames.append(out)
    out = pd.concat(frames, ignore_index=True)
    for col in ("onlinedienste", "fokusleistungen", "fokusleistungen_gesamt", "in_mindestens_einer_kommune"):
        out[col] = pd.to_numeric(out[col]).round().astype("Int64")
    out["anteil_fokusleistungen"] = pd.to_numeric(out["anteil_fokusleistungen"]).round(4)
    out["beispieldaten"] = bool(meta.get("is_demo", False))
    return out


def metadata(engine: Engine, *, as_of: dt.date, rows: int, attribution: str | None = None) -> dict:
    """The metadata file: title, description, Stand, source, licence, attribution, columns, demo flag."""
    meta = services.offers_meta(engine) or {}
    demo = bool(meta.get("is_demo", False))
    title = "Onlinedienste je Gemeinde und Kreis in Niedersachsen"
    description = (
        "Zahl der Onlinedienste, die Einwohnerinnen und Einwohner einer Gemeinde bzw. eines Kreises am Stichtag "
        "nutzen können: was ihre Gemeinde oder Samtgemeinde, ihr Kreis und das Land anbieten (Zuständigkeit). "
        "Kreise: flächendeckend = in jeder Verwaltungseinheit des Kreises nutzbar."
    )
    if demo:
        title = f"BEISPIELDATEN – {title}"
        description = (
            "ACHTUNG: synthetische Beispieldaten, keine amtlichen Zahlen; nicht veröffentlichen. " + description
        )
    source = meta.get("source") or "–"
    return {
        "title": title,
        "description": description,
        "stichtag": as_of.isoformat(),
        "stand": (meta.get("as_of") or as_of).isoformat(),
        "source": source,
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": f"{PUBLISHER}, {source}" + (f"; {attribution}" if attribution else ""),
        "beispieldaten": demo,
        "rows": rows,
        "format": "CSV: Trennzeichen Komma, Dezimalpunkt, UTF-8; JSON: Liste von Objekten mit denselben Feldern",
        "columns": {
            **{"stichtag": EXTRA["stichtag"], "ebene": EXTRA["ebene"]},
            **{k: d for k, (_, d) in COLUMNS.items()},
            "beispieldaten": EXTRA["beispieldaten"],
        },
    }


def package(engine: Engine, *, as_of: dt.date) -> tuple[bytes, str]:
    """The zip (CSV, JSON, metadata) and its file name; demo exports are named and marked as Beispieldaten."""
    df = coverage(engine, as_of=as_of)
    meta = metadata(engine, as_of=as_of, rows=len(df))
    base = f"onlinedienste_niedersachsen_{as_of.isoformat()}" + ("_BEISPIELDATEN" if meta["beispieldaten"] else "")
    flat = df.assign(beispieldaten=df["beispieldaten"].map({True: "true", False: "false"}))  # as in the JSON
    csv = escape_formulas(flat).to_csv(index=False).encode("utf-8")
    records = json.loads(df.to_json(orient="records", force_ascii=False))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{base}.csv", csv)
        z.writestr(f"{base}.json", json.dumps({"metadata": meta, "data": records}, ensure_ascii=False, indent=1))
        z.writestr(f"{base}_metadaten.json", json.dumps(meta, ensure_ascii=False, indent=2))
    return buf.getvalue(), f"{base}.zip"
