"""Forecast arithmetic of the eAkte users trend: least squares over the last n months, band, target date."""

import datetime as dt
import math

import pandas as pd
import pytest

from data_access.queries.eakte import BAND_SIGMAS, linear_forecast

D = dt.date


def series(values, start=(2025, 1)):
    """Month-end points from `start`, one per month; None leaves the month out (a gap)."""
    rows = []
    for i, v in enumerate(values):
        y, m = divmod(start[0] * 12 + start[1] - 1 + i, 12)
        nxt = dt.date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1)
        if v is not None:
            rows.append((nxt - dt.timedelta(days=1), v))
    return pd.DataFrame(rows, columns=["date", "value"])


def test_exact_line_slope_level_and_target_month():
    # 1.000 users a month, 24.000 in June 2025: 30.000 in six more months = December 2025
    f = linear_forecast(series([19000, 20000, 21000, 22000, 23000, 24000]), months=6, target=30000)
    assert f["status"] == "ok" and f["n"] == 6
    assert f["slope"] == pytest.approx(1000) and f["level"] == pytest.approx(24000)
    assert f["residual_sd"] == pytest.approx(0)
    assert f["reached"] == f["reached_early"] == f["reached_late"] == D(2025, 12, 31)
    assert f["window_start"] == D(2025, 1, 31) and f["window_end"] == D(2025, 6, 30)
    line = f["line"].set_index("date")
    assert line.loc[D(2025, 12, 31), "trend"] == pytest.approx(30000)
    assert line.index[0] == D(2025, 1, 31)  # the line covers the fitted window, too


def test_window_uses_only_the_last_n_months():
    # flat for a year, then +500 a month over the last three months
    values = [1000] * 12 + [1500, 2000, 2500]
    f = linear_forecast(series(values), months=3, target=5000)
    assert f["n"] == 3 and f["slope"] == pytest.approx(500) and f["level"] == pytest.approx(2500)
    assert f["reached"] == D(2026, 8, 31)  # 2.500 missing ÷ 500 = 5 months after March 2026
    assert linear_forecast(series(values), months=15, target=5000)["slope"] < 500


def test_least_squares_and_band_from_residuals():
    # y = 100, 300, 200, 400 at x = -3..0: slope 80, level 370, residuals -30, 90, -90, 30
    f = linear_forecast(series([100, 300, 200, 400]), months=4, target=1000)
    assert f["slope"] == pytest.approx(80) and f["level"] == pytest.approx(370)
    sd = math.sqrt((30**2 + 90**2 + 90**2 + 30**2) / 2)
    assert f["residual_sd"] == pytest.approx(sd)
    band = BAND_SIGMAS * sd
    row = f["line"].iloc[-1]
    assert row["upper"] - row["trend"] == pytest.approx(band) and row["trend"] - row["lower"] == pytest.approx(band)
    # trend: ceil((1000 - 370) / 80) = 8 months after April 2025; upper band earlier, lower band later
    assert f["reached"] == D(2025, 12, 31)
    # band ≈ 189,7: upper ceil(440,3 / 80) = 6 months (October 2025), lower ceil(819,7 / 80) = 11 (March 2026)
    assert f["reached_early"] == D(2025, 10, 31) and f["reached_late"] == D(2026, 3, 31)


def test_gaps_count_as_calendar_months():
    # Jan and Apr only: 300 in 3 months = 100 a month (not 300 "per point")
    f = linear_forecast(series([1000, None, None, 1300]), months=6, target=2000)
    assert f["n"] == 2 and f["slope"] == pytest.approx(100)
    assert f["residual_sd"] == 0  # two points fit exactly; no spread to estimate
    assert f["reached"] == D(2025, 11, 30)


def test_several_points_in_one_month_count_once():
    df = pd.DataFrame({"date": [D(2025, 1, 15), D(2025, 1, 31), D(2025, 2, 28)], "value": [0, 100, 200]})
    f = linear_forecast(df, months=6, target=1000)
    assert f["n"] == 2 and f["slope"] == pytest.approx(100)


def test_no_history_and_one_point():
    empty = linear_forecast(pd.DataFrame(columns=["date", "value"]), months=6, target=30000)
    assert empty["status"] == "zu wenige Daten" and empty["reached"] is None and empty["line"].empty
    one = linear_forecast(series([21000]), months=6, target=30000)
    assert one["status"] == "zu wenige Daten" and one["n"] == 1 and one["slope"] is None and one["line"].empty
    # a long history with only one month inside the window is "too few", too
    assert linear_forecast(series([1, None, None, None, 5]), months=2, target=10)["status"] == "zu wenige Daten"


def test_flat_or_falling_pace_never_reaches_the_target():
    for values in ([5000, 5000, 5000], [5000, 4900, 4800]):
        f = linear_forecast(series(values), months=6, target=30000)
        assert f["status"] == "kein Anstieg" and f["reached"] is None and f["reached_late"] is None
        assert not f["line"].empty  # the trend is still drawn


def test_target_already_reached():
    f = linear_forecast(series([28000, 30500, 31000]), months=6, target=30000)
    assert f["status"] == "erreicht" and f["reached"] == D(2025, 2, 28)


def test_too_far_away_is_none_not_a_date_decades_ahead():
    f = linear_forecast(series([100, 101, 102]), months=6, target=30000, max_horizon=60)
    assert f["status"] == "ok" and f["reached"] is None
    assert len(f["line"]) == 3 + 60  # window plus the capped horizon


def test_without_target_only_the_trend():
    f = linear_forecast(series([1, 2, 3]), months=6, target=None)
    assert f["status"] == "ok" and f["reached"] is None and len(f["line"]) == 3 + 12
