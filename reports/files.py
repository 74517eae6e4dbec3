"""Table and chart files for download and the CLI: CSV with ';' and decimal comma, Excel; safe against formula
injection; every file carries its provenance.

One rule for all downloads (docs/IMPORT.md, "Herkunft in Downloads"):
- the file name ends with the Stand date and, where demo rows contribute, "_BEISPIELDATEN" or
  "_TEILWEISE-BEISPIELDATEN" (`file_name`);
- a CSV file has a last column "Herkunft" holding "Stand: … · Quelle: … [· Beispieldaten]" in every row, so the label
  survives filtering, sorting and copying rows;
- what the table holds (unit, filters, Stichtag) leads that text where the page knows it ("Inhalt: …", `content`),
  and the page puts the same into the file name (`slug`);
- an Excel file has the same text as a note above the header;
- a chart image has it drawn below the chart (reports.images).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd

from data_access.provenance import FILE_SUFFIX, Stand
from data_access.text import escape_formulas, neutralise

PROVENANCE_COLUMN = "Herkunft"
_UNSAFE = re.compile(r"[^0-9A-Za-zÄÖÜäöüß._-]+")


def to_csv_bytes(df: pd.DataFrame, *, stand: Stand | None = None, content: str | None = None) -> bytes:
    """CSV as German Excel opens it: ';' separator, decimal comma, UTF-8 with BOM; with `stand`, the "Herkunft"
    column (led by `content`)."""
    if stand is not None:
        df = with_provenance(df, stand, content=content)
    return escape_formulas(df).to_csv(index=False, sep=";", decimal=",", date_format="%d.%m.%Y").encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, *, sheet: str = "Daten", note: str | None = None) -> bytes:
    """An .xlsx file with the table on one sheet and, if given, a note (Stand, Quelle) above it."""
    buf = io.BytesIO()
    start = 2 if note else 0
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        escape_formulas(df).to_excel(writer, sheet_name=sheet[:31], index=False, startrow=start)
        if note:
            writer.sheets[sheet[:31]].cell(row=1, column=1, value=neutralise(note))
    return buf.getvalue()


def provenance_text(stand: Stand, content: str | None = None) -> str:
    """'Inhalt: … · Stand: … · Quelle: … [· Beispieldaten]' – the note of every table file."""
    return f"Inhalt: {content} · {stand.text()}" if content else stand.text()


def with_provenance(df: pd.DataFrame, stand: Stand, *, content: str | None = None) -> pd.DataFrame:
    """The table with the "Herkunft" column last (replacing one of that name)."""
    out = df.drop(columns=[PROVENANCE_COLUMN], errors="ignore").copy()
    out[PROVENANCE_COLUMN] = provenance_text(stand, content)
    return out


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def slug(*parts: object) -> str:
    """File-name part from German text: 'Samtgemeinde Sickte', 'Gesundheit' -> 'samtgemeinde-sickte_gesundheit'."""
    out = []
    for part in parts:
        text = re.sub(r"[^0-9a-z]+", "-", str(part or "").translate(_TRANSLIT).lower()).strip("-")
        if text:
            out.append(text[:60])
    return "_".join(out)


def file_name(basename: str, stand: Stand, ext: str) -> str:
    """'rangliste_2025-03-18_BEISPIELDATEN.csv': the Stand date (ISO, sorts by date) and the demo suffix."""
    parts = [_UNSAFE.sub("-", basename).strip("-") or "dvn"]
    when = stand.as_of
    if isinstance(when, dt.datetime):
        when = when.date()
    if isinstance(when, dt.date):
        parts.append(when.isoformat())
    elif when:
        parts.append(_UNSAFE.sub("-", str(when)).strip("-"))
    return "_".join(p for p in parts if p) + FILE_SUFFIX.get(stand.label, "") + f".{ext}"
