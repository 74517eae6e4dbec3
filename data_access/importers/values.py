"""Cell converters for imports: German/ISO dates, decimal commas, yes/no, keys; errors carry a German reason."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from data_access.text import clip
from formatting import as_written, num

# Dates outside this window are typing errors (01.01.0001, 31.12.9999), not programme history or plans.
DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
EXPECT_DATE = f"TT.MM.JJJJ oder JJJJ-MM-TT, von {DATE_MIN:%d.%m.%Y} bis {DATE_MAX:%d.%m.%Y}"
# ASCII digits only ([0-9], not \d): "١٢٣" or "²" are not numbers a spreadsheet of the programme holds.
_DATE_DE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]00:00(?::00)?)?")
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+")
# German "1.234,5" / "1234,5", or a plain "1234.5"; no exponent ("1e3"), no sign in the middle, no other digits.
_NUMBER_DE = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
_NUMBER_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# The database's INTEGER (both SQLite and PostgreSQL accept this range); larger counts are typing errors.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Control characters (NUL and friends) are not text: PostgreSQL refuses NUL, SQLite would store it silently.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A telephone number in a contact column ("+49 511 120-0") is not a formula.
_PHONE = re.compile(r"\+[0-9][0-9 ()/-]*")
# Text a spreadsheet would run as a formula (the same prefixes exports escape); a lone "-" means "none".
_FORMULA = re.compile(r"^(?:[=@\t\r]|[+\-].)", re.DOTALL)
TRUE = {"ja", "j", "yes", "y", "true", "wahr", "x", "1"}
FALSE = {"nein", "n", "no", "false", "falsch", "0", "-", ""}


def de_date(day: dt.date | None) -> str:
    """18.03.2025 for messages and the preview; "–" for no date."""
    return day.strftime("%d.%m.%Y") if day else "–"


def fold(key: Any) -> Any:
    """The comparison form of a key: case and runs of spaces do not matter ("PD  h" is "PD H"); other values as given."""
    return " ".join(key.casefold().split()) if isinstance(key, str) else key


def fail(reason: str, expected: str) -> PydanticCustomError:
    """A validation error whose message is the German reason; the expectation travels in ctx."""
    return PydanticCustomError("dvn", "{reason}", {"reason": reason, "expected": expected})


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text: integral floats from Excel lose their '.0', dates become ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value).strip()


def fail_in(column: str, reason: str, expected: str) -> PydanticCustomError:
    """An error found by a whole-row check, attributed to one column."""
    return PydanticCustomError("dvn", "{reason}", {"reason": reason, "expected": expected, "column": column})


def _memo(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    # Columns repeat few distinct values (status, dates, yes/no); caching keeps 100,000 rows at a few seconds.
    return functools.lru_cache(maxsize=4096)(convert)


def optional(convert: Callable[[Any], Any], expected: str, *, empty: Any = None) -> BeforeValidator:
    """Empty cell → `empty` (None unless given), else convert."""
    convert = _memo(convert)
    return BeforeValidator(lambda v: empty if is_empty(v) else convert(v))


def required(convert: Callable[[Any], Any], expected: str) -> BeforeValidator:
    convert = _memo(convert)

    def check(v: Any) -> Any:
        if is_empty(v):
            raise fail("Pflichtangabe fehlt", expected)
        return convert(v)

    return BeforeValidator(check)


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return in_date_range(value.date())
    if isinstance(value, dt.date):
        return in_date_range(value)
    text = as_text(value)
    date = None
    try:
        if m := _DATE_DE.fullmatch(text):
            date = dt.date(int(m[3]), int(m[2]), int(m[1]))
        elif m := _DATE_ISO.fullmatch(text):
            date = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    if date is None:
        raise fail("ist kein gültiges Datum", EXPECT_DATE)
    return in_date_range(date)


# Date columns; a field adds its Column to them: `Annotated[v.OptionalDate, Column("Beginn", …)]`.
Date = Annotated[dt.date, required(to_date, EXPECT_DATE)]
OptionalDate = Annotated[dt.date | None, optional(to_date, EXPECT_DATE)]


def in_date_range(date: dt.date) -> dt.date:
    if not DATE_MIN <= date <= DATE_MAX:
        raise fail("liegt außerhalb des plausiblen Zeitraums", EXPECT_DATE)
    return date


def to_decimal(value: Any, *, expected: str) -> Decimal:
    """German '1.234,5', plain '7.5' or '7,5', or an Excel number."""
    if isinstance(value, bool):
        raise fail("ist keine Zahl", expected)
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = as_text(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    if len(text) > 40:
        raise fail("ist keine Zahl (zu viele Stellen)", expected)
    if "," in text or _THOUSANDS.fullmatch(text):
        if not _NUMBER_DE.fullmatch(text):
            raise fail("ist keine Zahl", expected)
        text = text.replace(".", "").replace(",", ".")
    elif not _NUMBER_PLAIN.fullmatch(text):
        raise fail("ist keine Zahl", expected)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise fail("ist keine Zahl", expected) from None


def integer(lo: int | None = None, hi: int | None = None) -> tuple[Callable[[Any], int], str]:
    """A whole number within [lo, hi]; without a bound the database's INTEGER range is the bound."""
    lo = INT_MIN if lo is None else lo
    hi = INT_MAX if hi is None else hi
    expected = _range_text("ganze Zahl", lo, hi)

    def convert(value: Any) -> int:
        if isinstance(value, str) and "," in value:
            # "1,000" is 1 in German and 1000 in English: a whole-number column never guesses.
            raise fail("ist keine ganze Zahl (Komma)", expected)
        number = to_decimal(value, expected=expected)
        if number != number.to_integral_value():
            raise fail("ist keine ganze Zahl", expected)
        _check_range(number, lo, hi, expected)
        return int(number)

    return convert, expected


def decimal(lo: float | None = None, hi: float | None = None, places: int = 2) -> tuple[Callable[[Any], Decimal], str]:
    expected = _range_text(f"Zahl mit höchstens {places} Nachkommastelle{'n' if places > 1 else ''}", lo, hi)

    def convert(value: Any) -> Decimal:
        number = to_decimal(value, expected=expected)
        if number.as_tuple().exponent < -places and number != round(number, places):
            raise fail("hat zu viele Nachkommastellen", expected)
        _check_range(number, lo, hi, expected)
        return round(number, places)

    return convert, expected


def _range_text(what: str, lo, hi) -> str:
    if lo is not None and hi is not None:
        return f"{what} von {as_written(lo)} bis {as_written(hi)}"
    if lo is not None:
        return f"{what} ab {as_written(lo)}"
    return what


def _check_range(number: Decimal, lo, hi, expected: str) -> None:
    if (lo is not None and number < Decimal(str(lo))) or (hi is not None and number > Decimal(str(hi))):
        raise fail("liegt außerhalb des erlaubten Bereichs", expected)


EXPECT_MONTH = (
    f"Monat als JJJJ-MM, MM.JJJJ, MM/JJJJ oder ein Datum darin (TT.MM.JJJJ), von {DATE_MIN:%m/%Y} bis {DATE_MAX:%m/%Y}"
)
_MONTH_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_MONTH_DE = re.compile(r"([0-9]{1,2})[./]([0-9]{4})")


def to_month(value: Any) -> dt.date:
    """The calendar month a cell names, as its first day: "2025-03", "03.2025", "3/2025" or any date in it."""
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return in_month_range(day.replace(day=1))
    text = as_text(value)
    m = _MONTH_ISO.fullmatch(text)
    year, month = (int(m[1]), int(m[2])) if m else (None, None)
    if m is None and (m := _MONTH_DE.fullmatch(text)):
        year, month = int(m[2]), int(m[1])
    if year is None:
        try:
            return in_month_range(to_date(text).replace(day=1))
        except PydanticCustomError:
            raise fail("ist kein Monat", EXPECT_MONTH) from None
    if not 1 <= month <= 12:
        raise fail("ist kein Monat", EXPECT_MONTH)
    return in_month_range(dt.date(year, month, 1))


def in_month_range(first: dt.date) -> dt.date:
    if not DATE_MIN <= first <= DATE_MAX:
        raise fail("liegt außerhalb des plausiblen Zeitraums", EXPECT_MONTH)
    return first


EXPECT_BOOL = "ja/nein, yes/no, true/false oder x"


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).casefold()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise fail("ist kein Ja/Nein-Wert", EXPECT_BOOL)


def text(max_len: int, *, contact: bool = False) -> tuple[Callable[[Any], str], str]:
    """Free text up to `max_len`; `contact` columns (a person, a phone number) may start with "+49 …"."""
    expected = f"Text mit höchstens {num(max_len)} Zeichen, ohne führendes =, +, -, @"

    def convert(value: Any) -> str:
        s = as_text(value)
        if _CONTROL.search(s):
            raise fail("enthält ein Steuerzeichen (z. B. NUL), das kein Text ist", expected)
        if _FORMULA.match(s.lstrip()) and not (contact and _PHONE.fullmatch(s)):
            raise fail("sieht aus wie eine Tabellenformel und wird nicht übernommen", expected)
        if len(s) > max_len:
            raise fail(f"ist zu lang ({num(len(s))} Zeichen)", expected)
        return s

    return convert, expected


EXPECT_URL = "Adresse mit http:// oder https://, höchstens 500 Zeichen, z. B. https://dienste.example.org/antrag"


def to_url(value: Any) -> str:
    """The address of an online service: http or https, a host name, no credentials, spaces or control characters."""
    s = as_text(value)
    if len(s) > 500:
        raise fail(f"ist zu lang ({num(len(s))} Zeichen)", EXPECT_URL)
    if _CONTROL.search(s) or re.search(r"\s", s):
        raise fail("enthält Leer- oder Steuerzeichen", EXPECT_URL)
    try:
        parts = urlsplit(s)
        parts.port  # noqa: B018 (raises ValueError for a port that is no number)
    except ValueError:
        raise fail("ist keine gültige Internetadresse", EXPECT_URL) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise fail("beginnt nicht mit http:// oder https://", EXPECT_URL)
    if not parts.hostname or "@" in parts.netloc:
        raise fail("nennt keinen Rechner (oder enthält Zugangsdaten)", EXPECT_URL)
    return s


def choice(allowed: tuple[str, ...], synonyms: dict[str, str] | None = None) -> tuple[Callable[[Any], str], str]:
    """One of the allowed values; case and '&'/'und' spelling do not matter."""
    expected = "einer von: " + ", ".join(allowed)
    lookup = {_fold(a): a for a in allowed}
    lookup.update({_fold(k): v for k, v in (synonyms or {}).items()})

    def convert(value: Any) -> str:
        s = as_text(value)
        if _fold(s) in lookup:
            return lookup[_fold(s)]
        raise fail("ist kein erlaubter Wert", expected)

    return convert, expected


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace(" und ", " & ").casefold()).strip()


def pattern(regex: str, expected: str, *, upper: bool = False) -> Callable[[Any], str]:
    compiled = re.compile(regex)

    def convert(value: Any) -> str:
        s = as_text(value)
        s = s.upper() if upper else s
        if not compiled.fullmatch(s):
            raise fail("hat nicht das erwartete Format", expected)
        return s

    return convert


EXPECT_ARS = (
    "Regionalschlüssel (ARS) Niedersachsens: 03 (Land), 5 Stellen (Kreis) oder 9 Stellen (Verwaltungsgemeinschaft)"
)


def to_ars(value: Any) -> str:
    """ARS of the offering unit. Excel drops the leading zero of '03…', so 4/8-digit keys starting with 3 get it back."""
    s = as_text(value).replace(" ", "")
    if not re.fullmatch(r"[0-9]+", s):
        raise fail("ist kein Regionalschlüssel (nur Ziffern)", EXPECT_ARS)
    if len(s) in (1, 4, 8, 11) and s.startswith("3"):
        s = "0" + s
    if not s.startswith("03"):
        raise fail("liegt nicht in Niedersachsen (Schlüssel beginnt nicht mit 03)", EXPECT_ARS)
    if len(s) == 8:
        raise fail("ist ein 8-stelliger Gemeindeschlüssel (AGS), kein ARS", EXPECT_ARS)
    if len(s) == 12:
        raise fail("ist ein Gemeinde-ARS; Angebote gelten für Land, Kreis oder Verwaltungsgemeinschaft", EXPECT_ARS)
    if len(s) not in (2, 5, 9):
        raise fail(f"hat {len(s)} Stellen", EXPECT_ARS)
    return s


EXPECT_LEIKA = "LeiKa-Schlüssel mit genau 14 Ziffern, mehrere durch Komma getrennt"


def to_leika_keys(value: Any) -> tuple[str, ...]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        parts = [as_text(value)]
    else:
        parts = [p for p in re.split(r"[,;|\s]+", as_text(value)) if p]
    for p in parts:
        if not re.fullmatch(r"[0-9]{14}", p):
            raise fail(f"enthält einen ungültigen LeiKa-Schlüssel („{clip(p, 20)}“ hat {len(p)} Zeichen)", EXPECT_LEIKA)
    return tuple(sorted(set(parts)))


EXPECT_PI = "PI-Nummer (18, PI 18) oder Quartal (2025-Q2, PI 2025-2)"


def to_pi(value: Any) -> tuple[str, int | str]:
    """('number', 18) or ('quarter', '2025-Q2'); resolved against program_increment later."""
    s = as_text(value).upper().replace("PI", "").strip().rstrip(".").strip()
    if re.fullmatch(r"[0-9]{1,3}", s):
        return ("number", int(s))
    if m := re.fullmatch(r"(\d{4})\s*[-/.]\s*Q?([1-4])", s):
        return ("quarter", f"{m[1]}-Q{m[2]}")
    raise fail("ist keine PI-Angabe", EXPECT_PI)


EXPECT_MEASURE = "Zeilenschlüssel einer Maßnahme des Handlungsplans, z. B. B.2.1 oder B.2.11/2"


def to_measure_key(value: Any) -> str:
    s = as_text(value)
    if m := re.match(r"^([A-Z]\.\d+(?:\.\d+)*(?:/\d+)?)(?:\s|$)", s):
        return m[1]
    raise fail("ist kein Maßnahmenschlüssel", EXPECT_MEASURE)
