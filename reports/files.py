"""Table files for download and the CLI: CSV with ';' and decimal comma, Excel; safe against formula injection."""

from __future__ import annotations

import io

import pandas as pd

from data_access.text import escape_formulas, neutralise


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV as German Excel opens it: ';' separator, decimal comma, UTF-8 with BOM."""
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
