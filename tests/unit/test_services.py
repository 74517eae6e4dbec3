"""Availability logic on a hand-built Landkreis, Samtgemeinde and kreisfreie Stadt (Zuständigkeit, history)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import summary
from data_access.db import transaction
from data_access.models import Offer, OnlineService, Region
from data_access.queries import regions, steckbrief
from data_access.queries import services as q

PROV = dict(source="Testquelle", as_of=dt.date(2025, 6, 30), is_demo=True)
D = dt.date(2025, 6, 30)

REGIONS = [  # ars, level, unit_type, parent
    ("03", "LAN", "Land", None),
    ("03151", "KRS", "Landkreis", "03"),
    ("03101", "KRS", "Kreisfreie Stadt", "03"),
    ("031515401", "VWG", "Samtgemeinde", "03151"),
    ("031510009", "VWG", "Einheitsgemeinde", "03151"),
    ("031010000", "VWG", "Einheitsgemeinde", "03101"),
    ("031515401001", "GEM", "Gemeinde", "031515401"),
    ("031515401002", "GEM", "Gemeinde", "031515401"),
    ("031510009009", "GEM", "Stadt", "031510009"),
    ("031010000000", "GEM", "Stadt", "031010000"),
]
SERVICES = [  # key, responsible level, model, focus, themenfeld
    ("S1", "Gemeinde", "EfA", True, "Familie & Kind"),
    ("S2", "Kreis", "WfU", False, "Mobilität & Reisen"),
    ("S3", "Land", "EfA", True, "Familie & Kind"),
    ("S4", "Gemeinde", "WfU", False, "Bauen & Wohnen"),
    ("S5", "Gemeinde", "Kommune", False, "Bauen & Wohnen"),
]
OFFERS = [  # service, region, status, from, to
    ("S1", "031515401", "live", dt.date(2024, 1, 1), None),
    ("S2", "03151", "live", dt.date(2023, 1, 1), None),
    ("S3", "03", "in Umsetzung", dt.date(2021, 1, 1), dt.date(2022, 1, 1)),
    ("S3", "03", "live", dt.date(2022, 1, 1), None),
    ("S4", "031510009", "live", dt.date(2025, 1, 1), None),
    ("S5", "031510009", "geplant", dt.date(2025, 1, 1), None),
    ("S1", "031010000", "live", dt.date(2024, 1, 1), dt.date(2025, 3, 1)),  # withdrawn again
    ("S2", "03101", "live", dt.date(2023, 1, 1), None),
]


def build(engine):
    with transaction(engine) as s:
        for ars, level, unit_type, parent in REGIONS:
            s.add(
                Region(
                    ars=ars,
                    name=f"Einheit {ars}",
                    level=level,
                    unit_type=unit_type,
                    parent_ars=parent,
                    kreis_ars=ars[:5] if level in ("VWG", "GEM") else None,
                    **PROV,
                )
            )
            s.flush()
        ids = {}
        for key, resp, model, focus, tf in SERVICES:
            svc = OnlineService(
                service_key=key,
                name=f"Dienst {key}",
                model=model,
                themenfeld=tf,
                is_focus=focus,
                responsible_level=resp,
                maturity_level=3,  # Online-Leistung: counts as online (see test_reifegrad_*)
                maturity_model="1.x",
                **PROV,
            )
            s.add(svc)
            s.flush()
            ids[key] = svc.id
        for key, region, status, start, end in OFFERS:
            s.add(Offer(service_id=ids[key], region_ars=region, status=status, valid_from=start, valid_to=end, **PROV))
        summary.refresh(s)  # written past the importers: rebuild the summary


@pytest.fixture
def fx(engine):
    build(engine)
    return engine


def by_ars(df, column="n_services"):
    return dict(zip(df["ars"], df[column], strict=True))


def test_gemeinde_in_samtgemeinde_gets_samtgemeinde_kreis_and_land(fx):
    gem = q.availability(fx, level="GEM", as_of=D)
    n = by_ars(gem)
    assert n["031515401001"] == 3  # S1 (Samtgemeinde) + S2 (Landkreis) + S3 (Land)
    assert n["031515401002"] == 3
    assert n["031510009009"] == 3  # S4 (Einheitsgemeinde) + S2 + S3; not S1 of the neighbour
    assert n["031010000000"] == 2  # S1 withdrawn on 01.03.2025; S2 from the kreisfreie Stadt, S3 Land
    assert by_ars(gem, "n_focus")["031515401001"] == 2
    assert by_ars(gem, "share_focus")["031515401001"] == pytest.approx(1.0)


def test_each_service_counts_once(fx):
    with transaction(fx) as s:  # the Kreis also offers the Land's service: still one service for residents
        s3 = s.query(OnlineService).filter_by(service_key="S3").one()
        s.add(Offer(service_id=s3.id, region_ars="03151", status="live", valid_from=dt.date(2024, 1, 1), **PROV))
        summary.refresh(s)  # written past the importers: rebuild the summary
    assert by_ars(q.availability(fx, level="VWG", as_of=D))["031515401"] == 3


def test_kreis_flaechendeckend_vs_mindestens_eine(fx):
    full = by_ars(q.availability(fx, level="KRS", as_of=D))
    anyone = by_ars(q.availability(fx, level="KRS", as_of=D, coverage="mindestens_eine"))
    assert full["03151"] == 2  # only S2 and S3 reach both VWGs of the Landkreis
    assert anyone["03151"] == 4  # S1 in the Samtgemeinde, S4 in the Einheitsgemeinde
    assert full["03101"] == anyone["03101"] == 2
    krs = q.availability(fx, level="KRS", as_of=D)
    assert by_ars(krs, "n_flaechendeckend")["03151"] == 2 and by_ars(krs, "n_mindestens_eine")["03151"] == 4
    land = q.availability(fx, level="LAN", as_of=D, coverage="mindestens_eine")
    assert by_ars(land) == {"03": 4}


def test_stichtag_uses_history(fx):
    assert by_ars(q.availability(fx, level="VWG", as_of=dt.date(2023, 6, 30)))["031515401"] == 2  # S2, S3
    assert by_ars(q.availability(fx, level="VWG", as_of=dt.date(2021, 6, 30)))["031515401"] == 0
    assert by_ars(q.availability(fx, level="VWG", as_of=dt.date(2024, 6, 30)))["031010000"] == 3
    # valid_to is exclusive: the Land's service was still "in Umsetzung" on 31.12.2021, live from 01.01.2022
    assert by_ars(q.availability(fx, level="VWG", as_of=dt.date(2021, 12, 31), status="geplant"))["031515401"] == 1
    assert by_ars(q.availability(fx, level="VWG", as_of=dt.date(2022, 1, 1)))["031515401"] == 1


def test_planned_status_and_filters(fx):
    planned = by_ars(q.availability(fx, level="VWG", as_of=D, status="geplant"))
    assert planned == {"031010000": 0, "031510009": 1, "031515401": 0}
    assert by_ars(q.availability(fx, level="VWG", as_of=D, themenfeld="Familie & Kind"))["031515401"] == 2
    assert by_ars(q.availability(fx, level="VWG", as_of=D, model="WfU"))["031510009"] == 2  # S2, S4
    focus = q.availability(fx, level="VWG", as_of=D, focus_only=True)
    assert by_ars(focus)["031510009"] == 1 and set(focus["focus_total"]) == {2}


def test_share_of_own_catalogue(fx):
    vwg = q.availability(fx, level="VWG", as_of=D)
    share = by_ars(vwg, "share_own")
    assert share["031515401"] == pytest.approx(1 / 3)  # Gemeinde catalogue S1, S4, S5: has S1
    assert by_ars(vwg, "own_total")["031010000"] == 4  # kreisfreie Stadt: Gemeinde and Kreis tasks
    assert share["031010000"] == pytest.approx(1 / 4)  # S2 only (S1 withdrawn)
    krs = q.availability(fx, level="KRS", as_of=D)
    assert by_ars(krs, "share_own")["03151"] == pytest.approx(1.0)  # Kreis catalogue = S2, offered by the Kreis


def test_comparison_groups(fx):
    groups = by_ars(regions.units(fx), "group")
    assert groups["031515401001"] == "Mitgliedsgemeinde"
    assert groups["031510009009"] == "Einheitsgemeinde"
    assert groups["031010000000"] == groups["031010000"] == groups["03101"] == "Kreisfreie Stadt"
    assert groups["031515401"] == "Samtgemeinde"


def test_gemeinde_offers_are_reported_not_counted(fx):
    with transaction(fx) as s:
        s1 = s.query(OnlineService).filter_by(service_key="S4").one()
        s.add(Offer(service_id=s1.id, region_ars="031515401001", status="live", valid_from=dt.date(2024, 1, 1), **PROV))
        summary.refresh(s)  # written past the importers: rebuild the summary
    assert by_ars(q.availability(fx, level="GEM", as_of=D))["031515401001"] == 3
    issues = q.key_issues(fx)
    assert list(issues["ars"]) == ["031515401001"] and list(issues["offers"]) == [1]


def test_gaps_list_what_comparable_units_offer(fx):
    with transaction(fx) as s:  # a second Samtgemeinde in the Kreis, with S4 live and S5 planned
        s.add(
            Region(
                ars="031515402",
                name="Zweite SG",
                level="VWG",
                unit_type="Samtgemeinde",
                parent_ars="03151",
                kreis_ars="03151",
                **PROV,
            )
        )
        ids = {o.service_key: o.id for o in s.query(OnlineService)}
        s.add(
            Offer(service_id=ids["S4"], region_ars="031515402", status="live", valid_from=dt.date(2024, 1, 1), **PROV)
        )
        s.add(
            Offer(
                service_id=ids["S4"],
                region_ars="031515401",
                status="in Umsetzung",
                valid_from=dt.date(2025, 2, 1),
                **PROV,
            )
        )
        s.add(
            Offer(service_id=ids["S5"], region_ars="031515402", status="live", valid_from=dt.date(2024, 1, 1), **PROV)
        )
        summary.refresh(s)  # written past the importers: rebuild the summary
    result = steckbrief.gaps(
        fx, unit=regions.unit(fx, ars="031515401001"), as_of=D
    )  # a Gemeinde: its Samtgemeinde vs the other Samtgemeinde
    assert list(result["gaps"]["service_key"]) == ["S5"]
    assert list(result["planned"]["service_key"]) == ["S4"]
    row = result["planned"].iloc[0]
    assert row["model"] == "WfU" and bool(row["reusable"]) and row["share_peers"] == 1.0
    assert not bool(result["gaps"].iloc[0]["reusable"])  # own municipal service (Kommune): nothing to re-use
    # the other Samtgemeinde lacks S1, which the first one has (S2, S3 reach both through Kreis and Land)
    assert list(steckbrief.gaps(fx, unit=regions.unit(fx, ars="031515402"), as_of=D)["gaps"]["service_key"]) == ["S1"]
    assert steckbrief.gaps(fx, unit=regions.unit(fx, ars="03"), as_of=D)["gaps"].empty
    assert regions.unit(fx, ars="999") is None  # an unknown ARS has no Steckbrief (the page says so)


def test_history_per_quarter(fx):
    h = steckbrief.history(fx, unit=regions.unit(fx, ars="031515401001"), as_of=D)
    values = dict(zip(h["date"], h["n_services"], strict=True))
    assert values[dt.date(2021, 3, 31)] == 0 and values[dt.date(2022, 3, 31)] == 1
    assert values[dt.date(2023, 3, 31)] == 2 and values[dt.date(2024, 3, 31)] == 3 and values[D] == 3
    assert h["date"].is_monotonic_increasing and h["date"].iloc[-1] == D
    k = dict(
        zip(
            *steckbrief.history(fx, unit=regions.unit(fx, ars="03151"), as_of=D)[["date", "n_services"]].T.values,
            strict=True,
        )
    )
    assert k[D] == 2  # flächendeckend
    # The Land: flächendeckend like its headline (S2 everywhere through the Kreise, S3 from the Land), not the 4
    # services found in at least one Kommune.
    land = q.availability(fx, level="LAN", as_of=D)
    assert (
        steckbrief.history(fx, unit=regions.unit(fx, ars="03"), as_of=D)["n_services"].iloc[-1]
        == land["n_flaechendeckend"].iloc[0]
        == 2
    )
    assert regions.unit(fx, ars="nope") is None


def test_comparison_rank_percentile_and_averages(fx):
    now = q.availability(fx, level="GEM", as_of=D)
    before = q.availability(fx, level="GEM", as_of=dt.date(2025, 3, 31))
    c = steckbrief.comparison(now, before, "031515401001")
    assert c["group"] == "Mitgliedsgemeinde" and c["group_size"] == 2 and c["rank"] == 1 and c["percentile"] == 1.0
    assert c["change"] == 0 and c["focus_total"] == 2
    assert c["kreis_mean"] == pytest.approx(3.0)  # three Gemeinden of the Landkreis, 3 services each
    assert c["land_mean"] == pytest.approx((3 + 3 + 3 + 2) / 4)
    assert steckbrief.comparison(now, None, "000") == {}


def test_search_options_label_units(fx):
    opts = regions.search_options(fx)
    label = opts.set_index("ars").loc["031515401", "label"]
    assert label == "Einheit 031515401 – Samtgemeinde, Einheit 03151 · 031515401"
    assert len(opts) == len(REGIONS)
