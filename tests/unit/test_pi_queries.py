"""Predictability arithmetic, PI status, drill-down and data-quality checks on a tiny hand-built PI fixture."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from data_access.db import transaction
from data_access.models import Measure, PiObjective, ProgramIncrement, Team
from data_access.queries import pi as q
from data_access.queries.overview import latest_pi_predictability

PROV = dict(source="Testquelle PI", as_of=dt.date(2025, 7, 10), is_demo=True)
TODAY = dt.date(2025, 8, 15)  # PI 19 (2025-Q3) runs


def build_pi_fixture(engine) -> dict:
    """PI 16 empty and ended, 17 and 18 scored, 19 running, 20 planned; teams Alpha, Beta, Gamma; Delta unused.

    PI 18 programme: committed planned 10+5 (Alpha) + 4 (Beta) = 19, actual 8+5+3 (committed) + 2 (Gamma's
    uncommitted) = 18 -> 18/19. Gamma has only an uncommitted objective -> n/a. Returns the team ids by name.
    """
    quarters = {16: ("2024-Q4", 10), 17: ("2025-Q1", 1), 18: ("2025-Q2", 4), 19: ("2025-Q3", 7), 20: ("2025-Q4", 10)}
    with transaction(engine) as s:
        for number, (quarter, month) in quarters.items():
            year = int(quarter[:4])
            end_month = month + 2
            end = dt.date(year, end_month + 1, 1) - dt.timedelta(days=1) if end_month < 12 else dt.date(year, 12, 31)
            s.add(
                ProgramIncrement(
                    number=number, quarter=quarter, start_date=dt.date(year, month, 1), end_date=end, **PROV
                )
            )
        teams = {name: Team(name=name, **PROV) for name in ("Alpha", "Beta", "Gamma", "Delta")}
        s.add_all(teams.values())
        s.flush()
        measure_id = s.scalar(select(Measure.id).where(Measure.row_key == "B.1.1"))
        a, b, g = teams["Alpha"].id, teams["Beta"].id, teams["Gamma"].id

        def obj(key, pi, team, committed, planned, actual, text=None, measure=None):
            s.add(
                PiObjective(
                    objective_key=key,
                    pi_number=pi,
                    team_id=team,
                    text=text or f"Ziel {key}",
                    committed=committed,
                    planned_bv=planned,
                    actual_bv=None if actual is None else Decimal(str(actual)),
                    measure_id=measure,
                    **PROV,
                )
            )

        # PI 17: exactly on plan for Alpha, Beta below the band.
        obj("17-A1", 17, a, True, 8, 8)
        obj("17-B1", 17, b, True, 10, 5)
        # PI 18: committed only plus an achieved uncommitted objective.
        obj("18-A1", 18, a, True, 10, 8, text="Antrag online stellen", measure=measure_id)
        obj("18-A2", 18, a, True, 5, 5)
        obj("18-B1", 18, b, True, 4, 3)
        obj("18-G1", 18, g, False, 6, 2)
        # PI 19 runs: nothing scored yet.
        obj("19-A1", 19, a, True, 7, None)
        obj("19-B1", 19, b, True, 3, None)
    return {name: t.id for name, t in teams.items()}


@pytest.fixture
def pi_engine(engine):
    build_pi_fixture(engine)
    return engine


def test_predictability_arithmetic():
    assert q.predictability(18, 19) == pytest.approx(18 / 19)
    assert q.predictability(12, 10) == pytest.approx(1.2)  # uncommitted achievements can exceed 100 %
    assert q.predictability(0, 10) == 0.0
    assert q.predictability(5, 0) is None  # no committed planned BV: no division by zero
    assert q.predictability(None, None) is None
    assert q.predictability(8, 10, status=q.RUNNING) is None
    assert q.predictability(Decimal("7.5"), Decimal("10")) == pytest.approx(0.75)


def test_pi_status_rules():
    start, end = dt.date(2025, 4, 1), dt.date(2025, 6, 30)
    assert q.pi_status(start, end, objectives=5, scored=0, today=dt.date(2025, 3, 19)) == q.PLANNED
    assert q.pi_status(start, end, objectives=5, scored=3, today=dt.date(2025, 6, 30)) == q.RUNNING
    assert q.pi_status(start, end, objectives=5, scored=0, today=dt.date(2025, 7, 20)) == q.RUNNING
    assert q.pi_status(start, end, objectives=5, scored=1, today=dt.date(2025, 7, 20)) == q.DONE
    assert q.pi_status(start, end, objectives=0, scored=0, today=dt.date(2025, 7, 20)) == q.DONE


def test_programme_predictability_per_pi(pi_engine):
    df = q.programme_predictability(pi_engine, today=TODAY).set_index("pi_number")
    assert list(df.index) == [16, 17, 18, 19, 20]
    assert list(df["status"]) == [q.DONE, q.DONE, q.DONE, q.RUNNING, q.PLANNED]
    pi18 = df.loc[18]
    assert (pi18["committed"], pi18["uncommitted"], pi18["objectives"]) == (3, 1, 4)
    assert pi18["planned_bv_committed"] == 19  # Gamma's uncommitted 6 is not in the denominator
    assert pi18["actual_bv"] == 18  # … but its achieved 2 is in the numerator
    assert pi18["predictability"] == pytest.approx(18 / 19)
    assert df.loc[17, "predictability"] == pytest.approx(13 / 18)
    assert pd.isna(df.loc[16, "predictability"])  # empty PI
    assert df.loc[16, "objectives"] == 0
    assert pd.isna(df.loc[19, "predictability"])  # running, not 0 %
    assert df.loc[19, "planned_bv_committed"] == 10
    assert bool(df.loc[18, "is_demo"]) and df.loc[18, "source"] == "Testquelle PI"


def test_team_predictability(pi_engine):
    df = q.team_predictability(pi_engine, today=TODAY)
    pi18 = df[df["pi_number"] == 18].set_index("team")
    assert list(pi18.index) == ["Alpha", "Beta", "Gamma"]
    assert pi18.loc["Alpha", "predictability"] == pytest.approx(13 / 15)
    assert pi18.loc["Beta", "predictability"] == pytest.approx(0.75)
    gamma = pi18.loc["Gamma"]
    assert (gamma["committed"], gamma["uncommitted"], gamma["actual_bv"]) == (0, 1, 2)
    assert pd.isna(gamma["predictability"])  # no committed objectives -> n/a, not a crash
    running = df[df["pi_number"] == 19]
    assert set(running["status"]) == {q.RUNNING} and running["predictability"].isna().all()
    assert "Delta" not in set(df["team"])
    only18 = q.team_predictability(pi_engine, today=TODAY, pi_number=18)
    assert set(only18["pi_number"]) == {18} and len(only18) == 3


def test_empty_database(engine):
    assert q.programme_predictability(engine, today=TODAY).empty
    assert q.team_predictability(engine, today=TODAY).empty
    assert q.objectives(engine, pi_number=18).empty
    assert q.data_quality(engine, today=TODAY).empty
    assert latest_pi_predictability(engine, today=TODAY) is None


def test_objectives_drill_down(pi_engine):
    df = q.objectives(pi_engine, pi_number=18)
    assert len(df) == 4 and list(df["committed"]) == [True, True, True, False]
    alpha = q.objectives(pi_engine, pi_number=18, team_id=_teams(pi_engine)["Alpha"])
    assert list(alpha["objective_key"]) == ["18-A1", "18-A2"]
    first = alpha.iloc[0]
    assert first["text"] == "Antrag online stellen" and first["planned_bv"] == 10 and first["actual_bv"] == 8.0
    assert first["measure"] == "B.1.1" and first["measure_title"]
    assert pd.isna(alpha.iloc[1]["measure"])


def test_data_quality_checks(pi_engine):
    teams = _teams(pi_engine)
    with transaction(pi_engine) as s:
        s.add_all(
            [
                PiObjective(
                    objective_key="18-X1",
                    pi_number=18,
                    team_id=None,
                    text="Ohne Team",
                    committed=True,
                    planned_bv=3,
                    actual_bv=Decimal("3"),
                    **PROV,
                ),
                PiObjective(
                    objective_key="18-A3",
                    pi_number=18,
                    team_id=teams["Alpha"],
                    text="Ohne Plan-BV",
                    committed=True,
                    planned_bv=None,
                    actual_bv=None,
                    **PROV,
                ),
                PiObjective(
                    objective_key="18-B2",
                    pi_number=18,
                    team_id=teams["Beta"],
                    text="Zu hoch bewertet",
                    committed=True,
                    planned_bv=5,
                    actual_bv=Decimal("12"),
                    **PROV,
                ),
                PiObjective(
                    objective_key="18-A4",
                    pi_number=18,
                    team_id=teams["Alpha"],
                    text="  antrag ONLINE stellen",
                    committed=False,
                    planned_bv=2,
                    actual_bv=Decimal("1"),
                    **PROV,
                ),
            ]
        )
    dq = q.data_quality(pi_engine, today=dt.date(2025, 10, 15))  # PI 19 ended without scores
    found = {(r.check, r.objective_key) for r in dq.itertuples()}
    assert found == {
        (q.CHECK_NO_TEAM, "18-X1"),
        (q.CHECK_NO_PLANNED, "18-A3"),
        (q.CHECK_ACTUAL_MISSING, "18-A3"),
        (q.CHECK_ACTUAL_HIGH, "18-B2"),
        (q.CHECK_DUPLICATE, "18-A1"),
        (q.CHECK_DUPLICATE, "18-A4"),
        (q.CHECK_PI_UNSCORED, None),
    }
    assert dq.iloc[0]["pi_number"] == 19 and "2 Ziele" in dq.iloc[0]["text"]
    # While PI 19 still runs there is nothing to warn about it.
    assert 19 not in set(q.data_quality(pi_engine, today=TODAY)["pi_number"])
    # Objectives without team still count for the programme.
    prog = q.programme_predictability(pi_engine, today=TODAY).set_index("pi_number")
    assert prog.loc[18, "planned_bv_committed"] == 19 + 3 + 5


def test_overview_headline_reuses_predictability(pi_engine):
    latest = latest_pi_predictability(pi_engine, today=TODAY)
    assert set(latest) == {"pi_number", "quarter", "end_date", "predictability", "is_demo", "is_mixed", "source"}
    assert (latest["pi_number"], latest["quarter"]) == (18, "2025-Q2")
    assert latest["predictability"] == pytest.approx(18 / 19)
    assert latest["end_date"] == dt.date(2025, 6, 30) and latest["is_demo"] and not latest["is_mixed"]


def _teams(engine) -> dict[str, int]:
    with transaction(engine) as s:
        return {t.name: t.id for t in s.scalars(select(Team))}
