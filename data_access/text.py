"""Text that comes from files or users: bounds for messages, the import log and the page; inert in spreadsheets."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from formatting import num

QUOTE_CHARS = 80  # a cell value or header quoted in a message
LISTED = 20  # items named in one message before "und N weitere"


def clip(value: str, limit: int = QUOTE_CHARS) -> str:
    """`value` cut to at most `limit` characters, ending with "…" when something was cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def listing(items: Iterable[str], *, limit: int = LISTED, quote: bool = True) -> str:
    """„a“, „b“ … und 7 weitere – each item clipped, at most `limit` named."""
    items = list(items)
    shown = [f"„{clip(i)}“" if quote else clip(i) for i in items[:limit]]
    rest = len(items) - limit
    return ", ".join(shown) + (f" und {num(rest)} weitere" if rest > 0 else "")


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
