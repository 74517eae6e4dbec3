"""The availability summary (data_access.summary): the figures read from it equal the Zuständigkeit rule applied
to the offers directly, for every level, Stichtag, status, coverage and filter; every write keeps it current.

The oracle below applies the rule (DOMAIN.md) in plain Python to the offer, region and catalogue rows, day by day:
a VWG's residents can use what the VWG, its Kreis or the Land offer; a Kreis (the Land) has a service
flächendeckend when every inhabited VWG in it has it, in mindestens einer Kommune when one has it. On SQLite and,
with DATABASE_URL, on PostgreSQL (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from data_access import counting, summary
from data_access.db import transaction
from data_access.demo.remove import remove
from data_access.importers import import_file
from data_access.models import AreaReach, Offer, OnlineService, Region, VwgReach
from data_access.queries import regions, steckbrief
from data_access.queries import services as q
from tests.unit import test_services

PROV = test_services.PROV
DATES = (
    dt.date(2020, 6, 30),
    dt.date(2021, 12, 31),
    dt.date(2022, 1, 1),
    dt.date(2024, 6, 30),
    dt.date(2025, 2, 28),
    dt.date(2025, 3, 1),
    dt.date(2025, 6, 30),
)
FILTERS = (
    {},
    dict(themenfeld="Familie & Kind"),
    dict(model="WfU"),
    dict(focus_only=True),
    dict(min_level=4),
    dict(themenfeld="Bauen & Wohnen", model="Kommune"),
)
# Periods that overlap, touch and cut each other across the Land, a Kreis and its VWGs (besides test_services').
EXTRA = [  # service, region, status, from, to
    ("S4", "03151", "live", dt.date(2024, 1, 1), dt.date(2025, 2, 1)),  # the Kreis covers the VWG's S4 for a while
    ("S4", "031515401", "geplant", dt.date(2021, 1, 1), dt.date(2022, 1, 1)),
    ("S4", "031515401", "in Umsetzung", dt.date(2022, 1, 1), dt.date(2024, 6, 1)),  # touches: one planned period
    ("S4", "031515401", "live", dt.date(2024, 6, 1), None),
    ("S5", "03", "geplant", dt.date(2020, 1, 1), dt.date(2025, 3, 1)),
    ("S5", "031010000", "geplant", dt.date(2024, 1, 1), None),  # overlaps the Land's planned period
    ("S2", "031515401", "live", dt.date(2022, 6, 1), dt.date(2023, 6, 1)),  # before the Kreis offers it
]


@pytest.fixture
def fx(engine):
    test_services.build(engine)
    with transaction(engine) as s:
        ids = dict(s.execute(select(OnlineService.service_key, OnlineService.id)).all())
        s.get(OnlineService, ids["S4"]).maturity_level = 4
        for key, region, status, start, end in EXTRA:
            s.add(Offer(service_id=ids[key], region_ars=region, status=status, valid_from=start, valid_to=end, **PROV))
        s.flush()
        summary.refresh(s)
    return engine


def oracle(engine, level: str, day: dt.date, status: str, **filters) -> dict[str, tuple[int, int, int, int]]:
    """{ars: (n_flaechendeckend, n_mindestens_eine, n_focus_flaechendeckend, n_focus_mindestens_eine)} by the rule."""
    statuses = q.LIVE if status == "live" else q.PLANNED
    with transaction(engine) as s:
        svc = q._services(
            filters.get("themenfeld"), filters.get("model"), filters.get("focus_only", False), filters.get("min_level")
        )
        focus = dict(s.execute(select(svc.c.id, svc.c.is_focus)).all())
        units = s.execute(select(Region.ars, Region.level, Region.kreis_ars, Region.category, Region.parent_ars)).all()
        offers = s.execute(select(Offer.region_ars, Offer.service_id, Offer.status, Offer.valid_from, Offer.valid_to))
        offered: dict[str, set[int]] = {}
        for ars, service, st, start, end in offers:
            if st in statuses and service in focus and start <= day and (end is None or end > day):
                offered.setdefault(ars, set()).add(service)
    land = next(u.ars for u in units if u.level == "LAN")
    vwgs = {u.ars: u for u in units if u.level == "VWG"}
    reach = {
        ars: offered.get(ars, set()) | offered.get(u.kreis_ars or ars[:5], set()) | offered.get(land, set())
        for ars, u in vwgs.items()
    }

    def figures(sets: list[set[int]]) -> tuple[int, int, int, int]:
        full = set.intersection(*sets) if sets else set()
        anywhere = set().union(*sets)
        return len(full), len(anywhere), sum(focus[x] for x in full), sum(focus[x] for x in anywhere)

    inhabited = [a for a, u in vwgs.items() if u.category != counting.NOT_A_MUNICIPALITY]
    if level == "VWG":
        return {a: figures([reach[a]]) for a in inhabited}
    if level == "GEM":
        return {u.ars: figures([reach[u.parent_ars]]) for u in units if u.level == "GEM" and u.parent_ars in inhabited}
    if level == "KRS":
        return {
            k.ars: figures([reach[a] for a in inhabited if (vwgs[a].kreis_ars or a[:5]) == k.ars])
            for k in units
            if k.level == "KRS"
        }
    return {land: figures([reach[a] for a in inhabited])}


def from_summary(engine, level: str, day: dt.date, status: str, **filters) -> dict[str, tuple[int, int, int, int]]:
    full = q.availability(engine, level=level, as_of=day, status=status, coverage="flaechendeckend", **filters)
    anywhere = q.availability(engine, level=level, as_of=day, status=status, coverage="mindestens_eine", **filters)
    if level in ("VWG", "GEM"):  # one figure: coverage means nothing below the Kreis
        assert full[["n_services", "n_focus"]].equals(anywhere[["n_services", "n_focus"]])
        rows = zip(full["ars"], full["n_services"], full["n_services"], full["n_focus"], full["n_focus"], strict=True)
    else:
        assert list(full["n_services"]) == list(full["n_flaechendeckend"])
        assert list(anywhere["n_services"]) == list(anywhere["n_mindestens_eine"])
        rows = zip(
            full["ars"],
            full["n_services"],
            anywhere["n_services"],
            full["n_focus"],
            anywhere["n_focus"],
            strict=True,
        )
    return {ars: tuple(int(x) for x in r) for ars, *r in rows}


@pytest.mark.parametrize("level", ["GEM", "VWG", "KRS", "LAN"])
@pytest.mark.parametrize("status", ["live", "geplant"])
def test_availability_from_the_summary_equals_the_rule_on_the_offers(fx, level, status):
    for day in DATES:
        for filters in FILTERS:
            assert from_summary(fx, level, day, status, **filters) == oracle(fx, level, day, status, **filters), (
                day,
                filters,
            )


def test_the_fixture_exercises_overlaps_withdrawals_and_both_summary_tables(fx):
    """Guard for the test above: the data must make the Kreis/VWG split and the merging matter."""
    with transaction(fx) as s:
        vwg = s.execute(select(VwgReach.vwg_ars, VwgReach.valid_from, VwgReach.valid_to)).all()
        area = s.scalar(select(func.count()).select_from(AreaReach))
    assert area > 0
    # S4 of the Samtgemeinde: planned 2021–2024 as one merged period; live from 01.06.2024, minus the Kreis's
    # S4 period until 01.02.2025 (the Kreis offers it to everyone then), so the VWG's own part starts there.
    assert ("031515401", dt.date(2021, 1, 1), dt.date(2024, 6, 1)) in vwg
    assert ("031515401", dt.date(2025, 2, 1), None) in vwg
    for day in (dt.date(2024, 6, 30), dt.date(2025, 6, 30)):
        assert oracle(fx, "VWG", day, "live")["031515401"][0] == 4  # S1, S2, S3, S4: once each


def test_history_and_gaps_read_the_summary_like_availability(fx):
    for ars in ("031515401", "031510009", "03151", "03"):
        unit = regions.unit(fx, ars=ars)
        history = steckbrief.history(fx, unit=unit, as_of=dt.date(2025, 6, 30))
        level = "VWG" if unit.level.municipal else unit.level
        for day, n in zip(history["date"], history["n_services"], strict=True):
            assert n == oracle(fx, level, day, "live")[ars][0]
    gaps = steckbrief.gaps(fx, unit=regions.unit(fx, ars="031510009"), as_of=dt.date(2025, 6, 30))
    # The Samtgemeinde (same Kreis, other group) is no peer; the peer kreisfreie Stadt is another group too.
    assert gaps["gaps"].empty or set(gaps["gaps"]["service_key"]) <= {"S1", "S2", "S3", "S4", "S5"}


CSV = "Dienst-Schlüssel;ARS;Status;Seit;Behörde\n"


def summary_rows(engine):
    with transaction(engine) as s:
        return tuple(sorted(map(tuple, s.execute(select(t.__table__)).all())) for t in (VwgReach, AreaReach))


def test_an_offer_import_refreshes_the_summary_in_its_transaction(fx):
    day = dt.date(2025, 6, 30)
    before = q.availability(fx, level="VWG", as_of=day)
    assert before.loc[before["ars"] == "031510009", "n_services"].item() == 3  # S2, S3 (Kreis, Land), S4
    result = import_file(fx, "angebote", (CSV + "S1;031510009;live;01.04.2025;\n").encode(), file_name="a.csv")
    result.raise_for_problems()
    after = q.availability(fx, level="VWG", as_of=day)
    assert after.loc[after["ars"] == "031510009", "n_services"].item() == 4
    assert from_summary(fx, "KRS", day, "live") == oracle(fx, "KRS", day, "live")


def test_a_rejected_import_leaves_the_summary_as_it_was(fx):
    before = summary_rows(fx)
    bad = CSV + "S1;031510009;live;01.04.2025;\nS1;039999999;live;01.04.2025;\n"  # the second unit does not exist
    result = import_file(fx, "angebote", bad.encode(), file_name="bad.csv")
    assert not result.ok
    assert summary_rows(fx) == before


def test_a_failing_write_rolls_the_refresh_back(fx, monkeypatch):
    before = summary_rows(fx)

    def broken(session):
        summary.fill(session)
        raise RuntimeError("after the refresh, before the commit")

    monkeypatch.setattr(summary, "refresh", broken)
    result = import_file(fx, "angebote", (CSV + "S1;031510009;live;01.04.2025;\n").encode(), file_name="a.csv")
    assert not result.ok
    assert summary_rows(fx) == before


def test_removing_the_demo_offers_empties_the_summary(fx):
    assert summary_rows(fx)[0]
    assert remove(fx, "onlinedienste").ok
    assert summary_rows(fx) == ([], [])
    assert q.availability(fx, level="LAN", as_of=dt.date(2025, 6, 30))["n_services"].item() == 0
