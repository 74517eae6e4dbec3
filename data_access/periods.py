"""Month and quarter arithmetic on dates: the one place queries, importers and the demo data count calendar periods."""

from __future__ import annotations

import calendar
import datetime as dt


def month_index(day: dt.date) -> int:
    """Months since year 0 (January 2025 → 24300): consecutive months are consecutive numbers."""
    return day.year * 12 + day.month - 1


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month (month_end(2024, 2) → 29.02.2024)."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_end_of(index: int) -> dt.date:
    """The last day of the month with this month_index."""
    year, month = divmod(index, 12)
    return month_end(year, month + 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier); the end of the month where that month is shorter (31.05. − 3 → 28./29.02.)."""
    year, month = divmod(month_index(day) + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, month) from `first` to `last`, both included."""
    return [(i // 12, i % 12 + 1) for i in range(first[0] * 12 + first[1] - 1, last[0] * 12 + last[1])]


def quarter_of(day: dt.date) -> str:
    """The quarter a day falls in, as the programme writes it: 2025-Q2."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter (2025, 2 → 01.04.2025, 30.06.2025)."""
    return dt.date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)


def quarter_ends(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    """The quarter ends from `start` up to before `end`, then `end` itself."""
    ends = [
        month_end(year, month)
        for year in range(start.year, end.year + 1)
        for month in (3, 6, 9, 12)
        if start <= month_end(year, month) < end
    ]
    return (*ends, end)
