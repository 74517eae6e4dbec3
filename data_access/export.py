"""Table exports (CSV with ';' and decimal comma, Excel) safe against formula injection."""

from __future__ import annotations

import io
import re

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# "-5" or "+1,5" is a number as text (German display tables), not a formula; "-1+A1" is one.
_NUMBER = re.compile(r"[+-]?[0-9][0-9.]*(,[0-9]+)?( ?%)?")


def neutralise(value):
    """A text a spreadsheet would execute, made inert with a leading apostrophe; other values unchanged.

    Leading blanks and line breaks do not protect: Excel and LibreOffice strip them and run " =1+1" as well.
    """
    if not isinstance(value, str):
        return value
    stripped = value.lstrip(" \n\u00a0")
    if stripped.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(stripped):
        return "'" + value
    return value


def escape_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and every column header that a spreadsheet would execute, prefixed with an apostrophe."""
    out = df.copy()
    out.columns = [neutralise(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


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
