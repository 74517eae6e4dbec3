"""German number, percent and date formats (babel, locale de_DE) shared by charts, pages and exports."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALE = "de_DE"
# d3-format locale for plotly figures: decimal comma, thousands point.
PLOTLY_SEPARATORS = ",."


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def num(value, digits: int = 0) -> str:
    """1234.5 -> '1.234,5' (digits fixed); None/NaN -> '–'."""
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def pct(share, digits: int = 0) -> str:
    """0.873 -> '87 %' (a share between 0 and 1, may exceed 1); None -> 'n/a'."""
    if _missing(share):
        return "n/a"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + " %"
    return format_percent(share, format=pattern, locale=LOCALE).replace("\xa0", " ")


def date(value: dt.date | dt.datetime | None) -> str:
    """date(2025, 3, 18) -> '18.03.2025'; None -> '–'."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, format="dd.MM.yyyy", locale=LOCALE)


def month(value: dt.date) -> str:
    """date(2025, 3, 1) -> 'März 2025'."""
    return format_date(value, format="MMMM yyyy", locale=LOCALE)


def stand(as_of, source: str) -> str:
    """The caption every figure carries: 'Stand: 18.03.2025 · Quelle: …'."""
    return f"Stand: {date(as_of)} · Quelle: {source}"
