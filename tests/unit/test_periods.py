"""Month and quarter arithmetic (data_access/periods.py): month ends, shorter months, quarter bounds and ends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access import periods


def test_month_end_knows_leap_years():
    assert periods.month_end(2024, 2) == dt.date(2024, 2, 29)
    assert periods.month_end(2025, 2) == dt.date(2025, 2, 28)
    assert periods.month_end(2025, 12) == dt.date(2025, 12, 31)
    assert periods.month_end_of(periods.month_index(dt.date(2025, 12, 3)) + 1) == dt.date(2026, 1, 31)


@pytest.mark.parametrize(
    ("day", "months"),
    [(dt.date(2025, 5, 31), -3), (dt.date(2024, 5, 31), -3), (dt.date(2025, 1, 15), -3), (dt.date(2025, 11, 30), 3)],
)
def test_add_months_ends_at_the_end_of_a_shorter_month_like_pandas(day, months):
    assert periods.add_months(day, months) == (pd.Timestamp(day) + pd.DateOffset(months=months)).date()


def test_months_from_first_to_last_over_a_year_end():
    assert periods.months((2024, 11), (2025, 2)) == [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
    assert periods.months((2025, 3), (2025, 3)) == [(2025, 3)]


def test_quarters():
    assert periods.quarter_of(dt.date(2025, 4, 1)) == "2025-Q2"
    assert periods.quarter_of(dt.date(2025, 12, 31)) == "2025-Q4"
    assert periods.quarter_bounds(2025, 2) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert periods.quarter_bounds(2025, 4) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


def test_quarter_ends_up_to_a_day_then_that_day():
    assert periods.quarter_ends(dt.date(2024, 12, 31), dt.date(2025, 6, 30)) == (
        dt.date(2024, 12, 31),
        dt.date(2025, 3, 31),
        dt.date(2025, 6, 30),
    )
    assert periods.quarter_ends(dt.date(2025, 4, 2), dt.date(2025, 5, 1)) == (dt.date(2025, 5, 1),)
