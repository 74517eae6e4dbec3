"""German number, percent and date formats (babel, locale de_DE): the one way to write them.

The bottom layer: pages, charts, reports, messages of data_access and geo all write 1.234,5 · 87 % · 18.03.2025
through these functions (tests/unit/test_layers.py: it imports nothing of the project).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_percent
from pandas.io.formats.style import Styler

LOCALE = "de_DE"
# d3-format locale for plotly figures: decimal comma, thousands point.
PLOTLY_SEPARATORS = ",."


def _missing(value) -> bool:
    """None, NaN, NaT and pandas' NA (nullable integer columns)."""
    return value is None or (not isinstance(value, str | dt.date) and bool(pd.isna(value)))


def num(value, digits: int = 0) -> str:
    """1234.5 -> '1.234,5' (digits fixed); None/NaN -> '–'.

    Rounds the decimal written value half-to-even and groups like babel's de_DE pattern (44.55 -> '44,6'),
    but fast enough for every cell of a large table.
    """
    if _missing(value):
        return "–"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    return f"{rounded:,.{digits}f}".translate(_GERMAN_SEPARATORS)


_GERMAN_SEPARATORS = str.maketrans(",.", ".,")


def as_written(value) -> str:
    """A number with the decimals it was written with: 1234.5 -> '1.234,5', 7 -> '7', Decimal('7.50') -> '7,50'."""
    if _missing(value):
        return "–"
    text = str(value)
    places = len(text.split(".", 1)[1]) if "." in text and "e" not in text.lower() else 0
    return num(value, places)


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


def german_table(df: pd.DataFrame) -> Styler:
    """A table for display with German numbers (1.234,5) and dates (18.03.2025), whatever the browser's locale.

    Only the shown text changes: sorting and the values behind it (downloads, AppTest) stay numeric. Whole-number
    columns get no decimals, others one. Every missing value (None, NaN, NaT, pd.NA) shows "–", in text columns
    too: st.dataframe would print "None". Booleans and other text are left alone.
    """
    formats = {}
    for col in df.columns:
        values = df[col]
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_numeric_dtype(values):
            finite = values.dropna()
            digits = 0 if (finite == finite.round()).all() else 1
            formats[col] = lambda v, d=digits: num(v, d)
        elif pd.api.types.is_datetime64_any_dtype(values):
            formats[col] = lambda v: "–" if pd.isna(v) else date(v.date())
        elif values.map(lambda v: isinstance(v, dt.date)).any():
            formats[col] = lambda v: date(v) if isinstance(v, dt.date) else ("–" if _missing(v) else v)
    return df.style.format(formats, na_rep="–")
