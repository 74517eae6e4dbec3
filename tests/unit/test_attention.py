"""The Übersicht's changes, trends and Handlungsbedarf rules on hand-built data (each rule can fire and stay quiet)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import summary
from data_access.db import transaction
from data_access.models import (
    Authority,
    EakteSnapshot,
    Offer,
    OnlineService,
    PiObjective,
    ProgramIncrement,
    Region,
    Team,
)
from data_access.queries import attention, overview, services

PROV = dict(source="Testquelle", as_of=dt.date(2025, 6, 30), is_demo=False)
STAND = dt.date(2025, 6, 30)
SINCE = dt.date(2025, 3, 30)  # steckbrief.quarter_before(STAND)


def _regions(s, vwgs: int = 3):
    s.add(Region(ars="03", name="Niedersachsen", level="LAN", unit_type="Land", **PROV))
    s.add(Region(ars="03151", name="Kreis A", level="KRS", unit_type="Landkreis", parent_ars="03", **PROV))
    s.flush()
    for i in range(1, vwgs + 1):
        vwg = f"03151000{i}"
        s.add(
            Region(
                ars=vwg,
                name=f"Gemeinde {i}",
                level="VWG",
                unit_type="Einheitsgemeinde",
                parent_ars="03151",
                kreis_ars="03151",
                **PROV,
            )
        )
        s.flush()
        s.add(
            Region(
                ars=vwg + "001",
                name=f"Gemeinde {i}",
                level="GEM",
                unit_type="Gemeinde",
                parent_ars=vwg,
                kreis_ars="03151",
                **PROV,
            )
        )
    s.flush()


def _services(s, n: int) -> list[int]:
    ids = []
    for i in range(1, n + 1):
        svc = OnlineService(
            service_key=f"S{i}",
            name=f"Dienst {i}",
            model="EfA",
            themenfeld="Familie & Kind",
            is_focus=i == 1,
            responsible_level="Gemeinde",
            maturity_level=3,
            maturity_model="1.x",
            **PROV,
        )
        s.add(svc)
        s.flush()
        ids.append(svc.id)
    return ids


def _offer(s, service_id, ars, start, end=None, status="live"):
    s.add(Offer(service_id=service_id, region_ars=ars, status=status, valid_from=start, valid_to=end, **PROV))


@pytest.fixture
def offers(engine):
    """Gemeinde 1 and 2 offer Dienst 1–4, Gemeinde 3 only Dienst 1 (far below its group's median of 4);
    Dienst 5 goes live after SINCE (new), Dienst 6 is live at SINCE but not at STAND (withdrawn),
    Dienst 7 is offered by the Kreis all along (flächendeckend)."""
    with transaction(engine) as s:
        _regions(s)
        ids = _services(s, 7)
        old = dt.date(2024, 1, 1)
        for vwg in ("031510001", "031510002"):
            for sid in ids[:4]:
                _offer(s, sid, vwg, old)
        _offer(s, ids[0], "031510003", old)
        _offer(s, ids[4], "031510002", dt.date(2025, 5, 1))
        _offer(s, ids[5], "031510001", old, dt.date(2025, 4, 15))
        _offer(s, ids[6], "03151", old)
        summary.refresh(s)
    return engine


def test_land_services_are_the_sets_behind_the_land_figures(offers):
    reach = services.land_services(offers, dates=(SINCE, STAND))
    for day in (SINCE, STAND):
        land = services.availability(offers, level="LAN", as_of=day).iloc[0]
        today = reach[reach["d"] == day]
        assert len(today) == land["n_mindestens_eine"]
        assert int(today["full"].sum()) == land["n_flaechendeckend"]


def test_new_and_withdrawn_services(offers):
    found = {f.title: f for f in attention.service_changes(offers)}
    assert set(found) == {
        "1 Onlinedienst seit 30.03.2025 neu in mindestens einer Kommune nutzbar",
        "1 Onlinedienst seit 30.03.2025 nirgends mehr nutzbar (zurückgezogen)",
    }
    new, gone = sorted(found.values(), key=lambda f: "zurück" in f.title)
    assert new.detail == "Dienst 5" and gone.detail == "Dienst 6"
    assert new.stand == STAND and new.links[0].page == "pages/karte.py"


def test_no_service_change_without_one(engine):
    with transaction(engine) as s:
        _regions(s)
        ids = _services(s, 2)
        for sid in ids:
            _offer(s, sid, "031510001", dt.date(2024, 1, 1))
        summary.refresh(s)
    assert attention.service_changes(engine) == []
    assert attention.far_below_peers(engine) is None  # two of three VWGs offer nothing: the median is 0


def test_far_below_the_peer_group(offers):
    f = attention.far_below_peers(offers)
    assert f is not None
    assert f.title.startswith("1 Kommune bietet weniger als die Hälfte")
    # Gemeinde 3: Dienst 1 + the Kreis's Dienst 7 = 2 of a median 5 (Gemeinde 1: 1–4 + 7; Gemeinde 2: 1–5 + 7 = 6).
    assert f.detail == "Gemeinde 3 (2 statt Median 5)"
    assert f.links[0].page == "pages/kommune.py" and dict(f.links[0].query) == {"ars": "031510003"}
    assert f.links[-1].page == "pages/karte.py"


def _eakte(engine, rows):
    """rows: (name, status, planned_go_live, active, planned_workplaces) at STAND, each also 'geplant' earlier."""
    with transaction(engine) as s:
        for i, (name, status, planned, active, workplaces) in enumerate(rows):
            a = Authority(code=f"A{i}", name=name, ministry_code="MI", **PROV)
            s.add(a)
            s.flush()
            for day, st, users in ((dt.date(2025, 1, 31), "geplant", 0), (STAND, status, active)):
                s.add(
                    EakteSnapshot(
                        authority_id=a.id,
                        snapshot_date=day,
                        status=st,
                        planned_go_live=planned,
                        planned_workplaces=workplaces,
                        active_users=users,
                        **PROV,
                    )
                )


def test_authorities_behind_plan(engine):
    assert attention.behind_plan(engine) is None  # no eAkte data
    _eakte(
        engine,
        [
            ("Amt Pünktlich", "produktiv", dt.date(2025, 1, 1), 90, 100),
            ("Amt Spät", "geplant", dt.date(2025, 4, 1), 0, 100),
            ("Amt Wenig", "produktiv", dt.date(2025, 1, 1), 10, 100),
            ("Amt Später", "geplant", dt.date(2025, 12, 1), 0, 100),
        ],
    )
    f = attention.behind_plan(engine)
    assert f.title == "2 Behörden im Verzug"
    assert f.detail == "Start überfällig: 1, Nutzung unter 50 %: 1 – Amt Spät, Amt Wenig"
    assert f.stand == STAND and dict(f.links[0].query) == {"verzug": "1"}


def test_no_finding_when_every_authority_is_on_plan(engine):
    _eakte(engine, [("Amt Pünktlich", "produktiv", dt.date(2025, 1, 1), 90, 100)])
    assert attention.behind_plan(engine) is None


def test_names_are_cut_after_five(engine):
    _eakte(engine, [(f"Amt {i}", "geplant", dt.date(2025, 1, 1), 0, 10) for i in range(7)])
    f = attention.behind_plan(engine)
    assert f.detail.endswith("Amt 4 und 2 weitere") and f.title == "7 Behörden im Verzug"


def _pis(engine, results):
    """One finished PI per entry: (planned BV, actual BV) of one committed objective of team T."""
    with transaction(engine) as s:
        team = Team(name="Team T", **PROV)
        s.add(team)
        s.flush()
        for n, (planned, actual) in enumerate(results, start=1):
            start = dt.date(2024, 1, 1) + dt.timedelta(days=91 * (n - 1))
            s.add(
                ProgramIncrement(
                    number=n, quarter=f"2024-Q{n}", start_date=start, end_date=start + dt.timedelta(days=84), **PROV
                )
            )
            s.flush()
            s.add(
                PiObjective(
                    objective_key=f"PI{n}-1",
                    pi_number=n,
                    team_id=team.id,
                    text=f"Ziel {n}",
                    committed=True,
                    planned_bv=planned,
                    actual_bv=actual,
                    **PROV,
                )
            )


def test_predictability_outside_the_band(engine):
    _pis(engine, [(10, 9), (10, 6)])
    found = attention.pi_warnings(engine, today=dt.date(2025, 6, 1))
    assert [f.title for f in found] == ["Vorhersagbarkeit PI 2: 60 %, unter dem Zielband 80–100 %"]
    assert found[0].links[0].page == "pages/pi-ziele.py"
    trend = overview.pi_trend(engine, today=dt.date(2025, 6, 1))
    assert trend["previous"] == 1 and trend["change"] == pytest.approx(-0.3) and trend["values"] == [0.9, 0.6]


def test_predictability_in_band_and_data_quality(engine):
    _pis(engine, [(10, 9)])
    assert attention.pi_warnings(engine, today=dt.date(2025, 6, 1)) == []
    with transaction(engine) as s:
        s.add(PiObjective(objective_key="PI1-2", pi_number=1, text="Ohne Team", committed=False, **PROV))
    found = attention.pi_warnings(engine, today=dt.date(2025, 6, 1))
    assert len(found) == 1 and found[0].title == "3 Hinweise zur Datenqualität der PI-Ziele"
    assert found[0].detail == (
        "Erreichter Geschäftswert fehlt nach PI-Ende: 1; Kein geplanter Geschäftswert: 1; Ziel ohne Team: 1"
    )
    assert overview.pi_trend(engine, today=dt.date(2025, 6, 1))["change"] is None  # one PI: nothing to compare


def test_findings_in_page_order(offers):
    _eakte(offers, [("Amt Spät", "geplant", dt.date(2025, 4, 1), 0, 100)])
    topics = [f.topic for f in attention.findings(offers)]
    assert topics == ["eAkte", "Onlinedienste", "Onlinedienste", "Kommunen"]


def test_eakte_trend_since_three_months(engine):
    _eakte(
        engine,
        [
            ("Amt 1", "produktiv", dt.date(2025, 1, 1), 90, 100),
            ("Amt 2", "in Einführung", dt.date(2025, 9, 1), 20, 100),
        ],
    )
    t = overview.eakte_trend(engine)
    assert t["since"] == dt.date(2025, 1, 31)
    assert t["productive_change"] == 1 and t["users_change"] == 110
    assert t["dates"] == [dt.date(2025, 1, 31), STAND] and t["productive"] == [0, 1] and t["users"] == [0, 110]


def test_services_trend_against_the_previous_quarter(offers):
    t = overview.services_trend(offers)
    assert t["since"] == SINCE
    before = services.availability(offers, level="LAN", as_of=SINCE).iloc[0]["n_flaechendeckend"]
    now = services.availability(offers, level="LAN", as_of=STAND).iloc[0]["n_flaechendeckend"]
    assert t["services_change"] == now - before
    assert t["dates"][-1] == STAND and t["services"][-1] == now
    # Anbindungen (focus: Dienst 1 at three VWGs) did not change; the trend has one value per date.
    assert t["focus_change"] == 0 and t["connections"] == [3] * len(t["dates"])
    assert overview.focus_connections(offers)["connections"] == 3
