"""eAkte figures and page texts: traces, titles, colour-blind-safe styling, German deadline and forecast texts."""

import datetime as dt

import pandas as pd
import pytest

from charts import eakte as charts
from charts import theme
from data_access.queries.eakte import linear_forecast
from pages import _eakte_widgets as w

D = dt.date
SERIES = pd.DataFrame(
    {"snapshot_date": [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31)], "active_users": [20000, 20500, 21000]}
)
MILESTONES = pd.DataFrame(
    {
        "date": [D(2022, 5, 25), D(2025, 3, 31)],
        "value": [5713.0, 41.0],
        "unit": ["Nutzende", "Behörden"],
        "label": ["5.713 eAkte-Nutzende", "41 von 53"],
        "source": ["IT.N", "IT.N"],
    }
)


def _forecast(months=6):
    return linear_forecast(
        SERIES.rename(columns={"snapshot_date": "date", "active_users": "value"}), months=months, target=30000
    )


def _authorities():
    return pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "name": ["Amt A", "Amt B", "Amt C"],
            "ministry_code": ["MI", "MI", "MF"],
            "status": ["produktiv", "in Einführung", "geplant"],
            "planned_go_live": [D(2024, 1, 1), D(2025, 1, 1), D(2025, 9, 1)],
            "go_live_date": [D(2024, 2, 1), None, None],
            "late": [False, True, False],
        }
    )


def test_users_chart_traces_labels_and_target():
    fig = charts.users_chart(
        SERIES, _forecast(3), MILESTONES, months=3, target=30000, target_date=D(2025, 12, 31), deadline=D(2026, 1, 1)
    )
    names = [t.name for t in fig.data]
    assert "Prognose (linearer Trend der letzten 3 Monate, keine Planung)" in names
    assert "Aktive Nutzende (Ist)" in names
    published = next(t for t in fig.data if t.name == "Veröffentlichte Zahl")
    assert list(published.y) == [5713.0]  # only user figures, not the authority count
    # Users are not workplaces incl. justice: the title says what the target counts instead of "x von 30.000".
    assert (
        fig.layout.title.text == "eAkte-Nutzende: 21.000 (Ziel ca. 30.000 Arbeitsplätze inkl. Justiz), Stand März 2025"
    )
    assert fig.layout.yaxis.title.text == "Aktive Nutzende (Anzahl)"
    assert fig.layout.separators == ",."
    assert any(a.text == "Ziel ca. 30.000 Arbeitsplätze inkl. Justiz bis 31.12.2025" for a in fig.layout.annotations)
    assert any(a.text == "NDIG § 10: 01.01.2026" for a in fig.layout.annotations)
    trend = next(t for t in fig.data if t.name.startswith("Prognose ("))
    assert trend.line.dash == "dash"  # forecast differs from the actual line by dash, not colour only


def test_users_chart_without_forecast_or_data():
    fig = charts.users_chart(
        SERIES.iloc[:1], _forecast(1), MILESTONES.iloc[:0], months=1, target=30000, target_date=None, deadline=None
    )
    assert not any((t.name or "").startswith("Prognose") for t in fig.data)
    empty = charts.users_chart(
        SERIES.iloc[:0], _forecast(), MILESTONES, months=6, target=None, target_date=None, deadline=None
    )
    assert empty.layout.title.text == "eAkte-Nutzende: noch keine Daten"


def test_timeline_marks_late_authorities_by_symbol():
    fig = charts.timeline_chart(_authorities(), as_of=D(2025, 3, 31), deadline=D(2026, 1, 1))
    late = next(t for t in fig.data if t.name.startswith("Verzug"))
    assert late.marker.symbol == "x" and len(late.y) == 1 and "(B)" in late.y[0]
    assert fig.layout.title.text == "Einführungstermine: 1 Behörde mit überfälligem Start"
    order = list(fig.layout.yaxis.categoryarray)
    assert order[-1].startswith("MF · ")  # sorted by ministry, first at the top
    gap = next(t for t in fig.data if t.name == "Abweichung vom Plan")
    assert D(2025, 3, 31) in list(gap.x)  # the late one's line runs to the Stand


def test_ministry_chart_shows_shares_in_the_given_order_with_counts_in_the_hover():
    df = pd.DataFrame(
        {
            "ministry_code": ["MF", "MI"],  # by_ministry's order: most left to do first
            "ministry": ["Finanzen", "Inneres"],
            "authorities": [4, 2],
            "productive": [1, 1],
            "in_rollout": [0, 1],
            "planned": [3, 0],
            "no_data": [0, 0],
            "active_users": [30, 900],
            "planned_workplaces": [150, 1000],
            "adoption": [0.2, 0.9],
        }
    )
    fig = charts.ministry_chart(df)
    assert [t.name for t in fig.data] == ["produktiv", "in Einführung", "geplant"]  # no empty "keine Daten"
    assert fig.layout.barmode == "stack"
    assert fig.data[0].marker.color == theme.GOOD and fig.data[1].marker.color == theme.WARN
    assert fig.layout.title.text == "eAkte je Ressort, am meisten zu tun oben: 2 von 6 Behörden produktiv"
    productive = fig.data[0]
    assert list(productive.y) == ["MF (4)", "MI (2)"]
    assert list(productive.x) == [25.0, 50.0]  # shares of the Ressort's authorities, not counts
    assert list(productive.text) == ["25 %", "50 %"]
    assert list(fig.layout.yaxis.categoryarray) == ["MI (2)", "MF (4)"]  # plotly draws the last on top: MF first
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    mf = productive.customdata[0]
    assert mf[1] == "produktiv: 1 von 4 Behörden (25 %)"
    assert mf[2] == "Nutzung: 30 aktive Nutzende bei 150 geplanten Arbeitsplätzen (20 %)"
    # each stack adds up to 100 %
    assert [sum(t.x[i] for t in fig.data) for i in range(2)] == [100.0, 100.0]


@pytest.mark.parametrize(
    ("as_of", "today", "without", "expected"),
    [
        # March 2025 data seen in November 2026: judged at the Stand, the age shown, no "überschritten seit".
        (
            D(2025, 3, 31),
            D(2026, 11, 22),
            12,
            "am Datenstand 31.03.2025 noch **276 Tage**, 12 Behörden ohne eAkte. Die Daten sind 601 Tage alt "
            "(heute 22.11.2026); die Frist ist seitdem verstrichen – ob sie eingehalten wurde, zeigen erst neuere Daten.",
        ),
        (D(2025, 12, 1), D(2025, 12, 1), 12, "am Datenstand 01.12.2025 noch **31 Tage**, 12 Behörden ohne eAkte."),
        (D(2026, 1, 1), D(2026, 1, 5), 12, "am Datenstand 01.01.2026 **fällig**"),
        (D(2026, 2, 28), D(2026, 3, 1), 3, "am Datenstand 28.02.2026 **nicht eingehalten**: 3 Behörden ohne eAkte"),
        (D(2025, 3, 31), D(2026, 11, 22), 0, "am Datenstand 31.03.2025 alle Behörden im Rollout produktiv"),
    ],
)
def test_deadline_text_is_judged_at_the_stand(as_of, today, without, expected):
    deadline = D(2026, 1, 1)
    k = dict(
        deadline=deadline,
        as_of=as_of,
        days_to_deadline=(deadline - as_of).days,
        data_age_days=(today - as_of).days,
        deadline_passed_since_stand=as_of < deadline <= today,
        without=without,
    )
    text = w.deadline_text(k, today)
    assert expected in text and text.startswith("NDIG § 10, alle Landesbehörden ab 01.01.2026: ")
    assert "überschritten seit" not in text and "gerechnet bis heute" not in text


def test_target_text_says_what_the_target_counts():
    text = w.target_text(dict(target=30000, target_date=D(2025, 12, 31), users=21000))
    assert "ca. 30.000 Arbeitsplätze bis 31.12.2025, einschließlich des Justizbereichs" in text
    assert "rechnerisch 70 %" in text and "nur näherungsweise vergleichbar" in text


def test_forecast_text_german_and_explained():
    text = w.forecast_text(_forecast(), months=6, target=30000)
    assert text.startswith("**Prognose (linearer Trend der letzten 6 Monate, keine Planung).**")
    assert "+500 Nutzende je Monat" in text and "Januar 2025 bis März 2025" in text
    assert "etwa im **September 2026** erreicht" in text  # 9.000 ÷ 500 = 18 months after March 2025
    too_few = w.forecast_text(
        linear_forecast(pd.DataFrame(columns=["date", "value"]), months=6, target=1), months=6, target=1
    )
    assert "mindestens zwei" in too_few
