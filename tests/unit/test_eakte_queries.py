"""eAkte queries on a tiny hand-built rollout: adoption, behind-plan rule, carry-forward, KPIs, ministries."""

import datetime as dt

import pandas as pd
import pytest

from data_access.db import transaction
from data_access.models import Authority, EakteSnapshot
from data_access.queries import eakte as q
from data_access.queries import overview

D = dt.date
STAND = D(2025, 3, 31)
PROV = dict(source="Testquelle", as_of=STAND, is_demo=False)

# code, ministry, in scope, snapshots: (date, status, planned_go_live, go_live, planned_workplaces, users)
AUTHORITIES = {
    # productive, adoption 80 %; no report on the Stand: its February row is carried forward
    "A1": (
        "MI",
        True,
        [
            (D(2025, 1, 31), "produktiv", D(2024, 1, 1), D(2024, 1, 1), 100, 70),
            (D(2025, 2, 28), "produktiv", D(2024, 1, 1), D(2024, 1, 1), 100, 80),
        ],
    ),
    # planned go-live passed before the Stand, still rolling out: late
    "A2": (
        "MI",
        True,
        [
            (D(2025, 1, 31), "in Einführung", D(2025, 1, 1), None, 200, 10),
            (D(2025, 3, 31), "in Einführung", D(2025, 1, 1), None, 200, 20),
        ],
    ),
    # planned go-live in the future, no planned workplaces: adoption undefined, not late
    "B1": ("MF", True, [(D(2025, 3, 31), "geplant", D(2025, 6, 1), None, None, 0)]),
    # productive, 0 planned workplaces: adoption undefined (no division by zero), not low
    "B2": ("MF", True, [(D(2025, 3, 31), "produktiv", D(2023, 1, 1), D(2023, 2, 1), 0, 40)]),
    # productive, adoption 30 %: low at the default threshold of 50 %
    "B3": (
        "MF",
        True,
        [
            (D(2025, 1, 31), "produktiv", D(2024, 6, 1), D(2024, 6, 1), 100, 20),
            (D(2025, 3, 31), "produktiv", D(2024, 6, 1), D(2024, 6, 1), 100, 30),
        ],
    ),
    # planned go-live exactly on the Stand: due, not yet passed
    "B4": ("MF", True, [(D(2025, 3, 31), "geplant", STAND, None, 50, 0)]),
    # in scope, never reported
    "A3": ("MI", True, []),
    # out of scope: never counted
    "X1": ("MI", False, [(D(2025, 3, 31), "produktiv", D(2022, 1, 1), D(2022, 1, 1), 10, 999)]),
}


@pytest.fixture
def rollout(engine):
    with transaction(engine) as s:
        for code, (ministry, scope, snaps) in AUTHORITIES.items():
            a = Authority(code=code, name=f"Behörde {code}", ministry_code=ministry, in_eakte_scope=scope, **PROV)
            s.add(a)
            s.flush()
            for d, status, plan, live, wp, users in snaps:
                s.add(
                    EakteSnapshot(
                        authority_id=a.id,
                        snapshot_date=d,
                        status=status,
                        planned_go_live=plan,
                        go_live_date=live,
                        planned_workplaces=wp,
                        active_users=users,
                        **PROV,
                    )
                )
    return engine


def test_stand_is_newest_in_scope_snapshot(rollout):
    assert q.stand(rollout) == STAND


def test_authorities_adoption_and_plan_check(rollout):
    df = q.authorities(rollout).set_index("code")
    assert list(df.index) == ["B1", "B2", "B3", "B4", "A1", "A2", "A3"]  # MF before MI, then name; X1 out of scope
    assert df.loc["A1", "adoption"] == pytest.approx(0.8)
    assert df.loc["A1", "snapshot_date"] == D(2025, 2, 28)  # carried forward
    assert pd.isna(df.loc["B1", "adoption"]) and pd.isna(df.loc["B2", "adoption"])
    assert pd.isna(df.loc["B1", "planned_workplaces"])
    assert df.loc["A3", "status"] == q.NO_DATA and pd.isna(df.loc["A3", "active_users"])
    assert df.loc[df["late"]].index.tolist() == ["A2"]
    assert df.loc[df["low_adoption"]].index.tolist() == ["B3"]
    assert df.loc[df["behind_plan"]].index.tolist() == ["B3", "A2"]
    assert df.loc["A2", "reason"] == q.REASON_LATE and df.loc["B1", "reason"] == ""
    assert df.loc["A2", "ministry"].startswith("Niedersächsisches Ministerium für Inneres")


def test_threshold_is_a_user_choice(rollout):
    low = q.authorities(rollout, threshold=0.85)
    assert low.loc[low["low_adoption"], "code"].tolist() == ["B3", "A1"]
    assert not q.authorities(rollout, threshold=0.2)["low_adoption"].any()


def test_filters(rollout):
    assert q.authorities(rollout, ministry="MF")["code"].tolist() == ["B1", "B2", "B3", "B4"]
    assert q.authorities(rollout, status="produktiv")["code"].tolist() == ["B2", "B3", "A1"]
    assert q.authorities(rollout, status=q.NO_DATA)["code"].tolist() == ["A3"]
    assert q.authorities(rollout, ministry="MK").empty


def test_users_series_carries_missing_reports_forward(rollout):
    df = q.users_series(rollout)
    assert df["snapshot_date"].tolist() == [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31)]
    # Jan: A1 70 + A2 10 + B3 20; Feb: A1 80, A2 and B3 carried; Mar: A1 carried 80 + 20 + 0 + 40 + 30 + 0
    assert df["active_users"].tolist() == [100, 110, 170]
    assert df["authorities"].tolist() == [3, 3, 6]
    assert q.users_series(rollout, ministry="MF")["active_users"].tolist() == [20, 20, 70]


def test_kpis(rollout):
    k = q.kpis(rollout, today=D(2026, 11, 22))
    assert (k["scope"], k["productive"], k["without"]) == (7, 3, 4)
    assert k["users"] == 170  # equals the last point of the series
    assert k["target"] == 30000 and k["deadline"] == D(2026, 1, 1)
    # Judged at the Stand (31.03.2025), not today: 276 days were left then, whatever today's date is.
    assert k["days_to_deadline"] == 276 and k["data_age_days"] == 601 and k["deadline_passed_since_stand"]
    early = q.kpis(rollout, today=D(2025, 12, 31))
    assert early["days_to_deadline"] == 276 and not early["deadline_passed_since_stand"]
    assert k["users_added"] is None  # series shorter than a quarter
    assert k["as_of"] == STAND and k["source"] == "Testquelle" and k["is_demo"] is False


def test_users_added_over_a_quarter():
    series = pd.DataFrame(
        {
            "snapshot_date": [D(2024, 11, 30), D(2024, 12, 31), D(2025, 1, 31), D(2025, 3, 31)],
            "active_users": [900, 1000, 1100, 1500],
        }
    )
    assert q.users_added(series) == (500, D(2024, 12, 31))
    assert q.users_added(series.iloc[:0]) == (None, None)


def test_by_ministry(rollout):
    df = q.by_ministry(rollout).set_index("ministry_code")
    assert df.loc["MI", ["authorities", "productive", "in_rollout", "no_data", "late"]].tolist() == [3, 1, 1, 1, 1]
    assert df.loc["MF", ["authorities", "productive", "planned", "late"]].tolist() == [4, 2, 2, 0]
    # MF adoption counts only authorities with planned workplaces: B3 30 + B4 0 over 100 + 50
    assert df.loc["MF", "adoption"] == pytest.approx(30 / 150)
    assert df.loc["MF", "active_users"] == 70
    assert df.loc["MI", ["not_productive", "productive_share"]].tolist() == [2, pytest.approx(1 / 3)]
    assert df.loc["MF", ["not_productive", "productive_share"]].tolist() == [2, pytest.approx(2 / 4)]


def test_by_ministry_puts_the_most_to_do_first(rollout):
    """Lowest share of productive authorities first (MI 1 of 3 before MF 2 of 4), not alphabetical."""
    assert q.by_ministry(rollout)["ministry_code"].tolist()[:2] == ["MI", "MF"]


def test_empty_database(engine):
    assert q.kpis(engine) is None
    assert q.authorities(engine).empty and q.users_series(engine).empty and q.by_ministry(engine).empty
    assert q.users_forecast(engine)["status"] == "zu wenige Daten"


def test_overview_headline_uses_the_same_figures(rollout):
    head, k = overview.eakte_headline(rollout), q.kpis(rollout)
    assert (head["productive"], head["scope"], head["users"], head["target"]) == (
        k["productive"],
        k["scope"],
        k["users"],
        k["target"],
    )


def test_milestones_are_the_published_eakte_figures(engine):
    m = q.milestones(engine).set_index("key")
    assert m.loc["eakte_users_2022_05", "value"] == 5713
    assert m.loc["eakte_target_2025", "value"] == 30000
    assert set(m["unit"]) >= {"Nutzende", "Behörden"}
