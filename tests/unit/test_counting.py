"""Counting rules for real data on hand-built units: Reifegrad, gemeindefreie Gebiete, cities with Kreis tasks,
gap list by who can act (DOMAIN.md "Counting rules for real data", data_access/counting.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import counting, summary
from data_access.db import transaction
from data_access.importers import import_file
from data_access.models import Offer, OnlineService, Region
from data_access.queries import regions, steckbrief
from data_access.queries import services as q
from reports import tables

PROV = dict(source="Testquelle", as_of=dt.date(2025, 6, 30), is_demo=False)
D = dt.date(2025, 6, 30)
# A Landkreis with a Samtgemeinde, a city with NKomVG status, a forest and an inhabited gemeindefreier Bezirk.
REGIONS = [  # ars, level, unit_type, category, status
    ("03", "LAN", "Land", "Land", None),
    ("03154", "KRS", "Landkreis", "Landkreis", None),
    ("031545401", "VWG", "Samtgemeinde", "Samtgemeinde", None),
    ("031540005", "VWG", "Einheitsgemeinde", "Einheitsgemeinde", "große selbständige Stadt"),
    ("031549502", "VWG", "Einheitsgemeinde", "gemeindefrei", None),  # a forest
    ("031549501", "VWG", "Einheitsgemeinde", "gemeindefrei bewohnt", None),  # like Lohheide
    ("031545401001", "GEM", "Gemeinde", "Gemeinde", None),
    ("031540005005", "GEM", "Stadt", "Stadt", None),
    ("031549502502", "GEM", "Gemeindefreies Gebiet", "gemeindefrei", None),
    ("031549501501", "GEM", "Gemeindefreies Gebiet", "gemeindefrei bewohnt", None),
]
SERVICES = [  # key, responsible level, Reifegrad, model
    ("ONLINE", "Gemeinde", 3, "1.x"),
    ("FORM", "Gemeinde", 2, "1.x"),  # Formular-Assistent: no online application
    ("UNKNOWN", "Gemeinde", None, None),
    ("KREIS", "Kreis", 4, "1.x"),
    ("NEU", "Gemeinde", 3, "2.0"),
]


def build(engine, offers):
    with transaction(engine) as s:
        for ars, level, unit_type, category, status in REGIONS:
            parent = None if level == "LAN" else ("03" if level == "KRS" else ars[: 5 if level == "VWG" else 9])
            s.add(
                Region(
                    ars=ars,
                    name=f"Einheit {ars}",
                    level=level,
                    unit_type=unit_type,
                    category=category,
                    kommunal_status=status,
                    parent_ars=parent,
                    kreis_ars=ars[:5] if level in ("VWG", "GEM") else None,
                    **PROV,
                )
            )
            s.flush()
        ids = {}
        for key, resp, level, model in SERVICES:
            svc = OnlineService(
                service_key=key,
                name=f"Dienst {key}",
                model="EfA",
                themenfeld="Bildung",
                responsible_level=resp,
                maturity_level=level,
                maturity_model=model,
                **PROV,
            )
            s.add(svc)
            s.flush()
            ids[key] = svc.id
        for key, region in offers:
            s.add(Offer(service_id=ids[key], region_ars=region, status="live", valid_from=dt.date(2024, 1, 1), **PROV))
        summary.refresh(s)  # written past the importers: rebuild the summary


def n(df, column="n_services"):
    return {a: (None if v != v else v) for a, v in zip(df["ars"], df[column], strict=True)}


def test_only_a_reifegrad_that_allows_applying_online_counts(engine):
    build(engine, [(k, "031545401") for k in ("ONLINE", "FORM", "UNKNOWN", "NEU")])
    assert n(q.availability(engine, level="VWG", as_of=D))["031545401"] == 2  # ONLINE (1.x: 3) and NEU (2.0: 3)
    assert n(q.availability(engine, level="VWG", as_of=D, min_level=4))["031545401"] == 0
    m = q.maturity(engine)
    unknown = m.loc[m["maturity_level"].isna()]
    assert unknown["n_services"].tolist() == [1] and not unknown["online"].any()  # reported apart
    assert m.loc[m["maturity_level"] == 2, "online"].tolist() == [False]


def test_model_2_threshold_is_a_setting(engine, monkeypatch):
    build(engine, [("NEU", "031545401")])
    monkeypatch.setitem(counting.ONLINE_FROM, "2.0", 4)
    assert n(q.availability(engine, level="VWG", as_of=D))["031545401"] == 0


def test_gemeindefreie_gebiete_do_not_block_flaechendeckend_and_have_no_figures(engine):
    # A Gemeinde service in every Verwaltungseinheit with residents, a Kreis service from the Kreis.
    build(engine, [("ONLINE", "031545401"), ("ONLINE", "031540005"), ("KREIS", "03154")])
    krs = n(q.availability(engine, level="KRS", as_of=D))
    # KREIS reaches all; ONLINE is missing in the inhabited Bezirk (its residents depend on the Kreis): 1.
    assert krs["03154"] == 1
    vwg = n(q.availability(engine, level="VWG", as_of=D))
    assert vwg["031549502"] is None  # the forest: no figure, not 0
    assert vwg["031549501"] == 1  # the inhabited Bezirk: what the Kreis and the Land offer
    ranking = tables.ranking_table(q.availability(engine, level="VWG", as_of=D))
    assert set(ranking["ARS"]) == {"031545401", "031540005"}
    search = regions.search_options(engine)
    assert "031549502" not in set(search["ars"]) and "031549502502" not in set(search["ars"])
    assert search.loc[search["ars"] == "031549501", "label"].str.contains("gemeindefreier Bezirk").all()


def test_kreis_offer_for_the_inhabited_bezirk_makes_it_flaechendeckend(engine):
    build(engine, [("ONLINE", "031545401"), ("ONLINE", "031540005"), ("ONLINE", "03154")])
    assert n(q.availability(engine, level="KRS", as_of=D))["03154"] == 1


def test_city_with_status_offers_a_kreis_service_for_its_own_residents_only(engine):
    build(engine, [("KREIS", "031540005")])
    vwg = n(q.availability(engine, level="VWG", as_of=D))
    assert vwg["031540005"] == 1 and vwg["031545401"] == 0
    assert n(q.availability(engine, level="KRS", as_of=D, coverage="mindestens_eine"))["03154"] == 1
    with transaction(engine) as s:  # the Kreis offers it too: the city's residents still count it once
        kid = s.query(OnlineService.id).filter_by(service_key="KREIS").scalar()
        s.add(Offer(service_id=kid, region_ars="03154", status="live", valid_from=dt.date(2024, 1, 1), **PROV))
        summary.refresh(s)  # written past the importers: rebuild the summary
    vwg = n(q.availability(engine, level="VWG", as_of=D))
    assert vwg["031540005"] == 1 and vwg["031545401"] == 1


def test_offers_import_rejects_unincorporated_units_and_kreis_services_of_ordinary_gemeinden(engine):
    build(engine, [])
    bad = (
        "Dienst-Schlüssel;ARS;Status;Seit\n"
        "ONLINE;031549502;live;01.01.2025\n"
        "KREIS;031545401;live;01.01.2025\n"
        "KREIS;031540005;live;01.01.2025\n"
    )
    result = import_file(engine, "angebote", bad.encode(), file_name="a.csv")
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(2, "ARS"), (3, "ARS")]
    assert "gemeindefreies Gebiet" in result.problems[0].reason and "Kommunalstatus" in result.problems[1].reason


@pytest.mark.parametrize(
    ("ars", "expected"),
    [("031545401", {"FORM": None, "KREIS": "Landkreis", "ONLINE": "selbst"}), ("03154", {"ONLINE": "Gemeinden"})],
)
def test_gap_list_says_who_can_act(engine, ars, expected):
    build_with_peers(engine)
    gaps = steckbrief.gaps(engine, unit=regions.unit(engine, ars=ars), as_of=D)["gaps"]
    found = dict(zip(gaps["service_key"], gaps["who"], strict=True))
    for key, who in expected.items():
        assert found.get(key) == who, (key, found)
    assert steckbrief.gaps(engine, unit=regions.unit(engine, ars="031549502"), as_of=D)[
        "gaps"
    ].empty  # the forest has no gap list


def build_with_peers(engine):
    """The Landkreis above plus peers: another Samtgemeinde and another Landkreis that offer more."""
    build(engine, [("ONLINE", "031540005"), ("KREIS", "031540005"), ("FORM", "031540005")])
    with transaction(engine) as s:  # a second Landkreis as the Kreis's peer, with ONLINE everywhere
        s.add(
            Region(
                ars="03155",
                name="Peer",
                level="KRS",
                unit_type="Landkreis",
                category="Landkreis",
                parent_ars="03",
                **PROV,
            )
        )
        s.flush()
        s.add(
            Region(
                ars="031550001",
                name="Peer-Gemeinde",
                level="VWG",
                unit_type="Einheitsgemeinde",
                category="Einheitsgemeinde",
                parent_ars="03155",
                kreis_ars="03155",
                **PROV,
            )
        )
        s.add(
            Region(
                ars="031545402",
                name="Peer-Samtgemeinde",
                level="VWG",
                unit_type="Samtgemeinde",
                category="Samtgemeinde",
                parent_ars="03154",
                kreis_ars="03154",
                **PROV,
            )
        )
        s.flush()
        ids = dict(s.query(OnlineService.service_key, OnlineService.id).all())
        for key, region in (("ONLINE", "03155"), ("ONLINE", "031545402"), ("KREIS", "031545402")):
            s.add(Offer(service_id=ids[key], region_ars=region, status="live", valid_from=dt.date(2024, 1, 1), **PROV))
        summary.refresh(s)  # written past the importers: rebuild the summary


def test_a_fokusleistung_below_the_online_threshold_is_a_gap_not_absent(engine):
    """ "x von 16": the denominator is every Fokusleistung, whatever its Reifegrad."""
    build(engine, [("FORM", "031545401")])
    with transaction(engine) as s:
        s.query(OnlineService).filter_by(service_key="FORM").update({"is_focus": True})
    vwg = q.availability(engine, level="VWG", as_of=D)
    row = vwg.loc[vwg["ars"] == "031545401"].iloc[0]
    assert (row["n_focus"], row["focus_total"]) == (0, 1)


@pytest.mark.parametrize(
    ("level", "population", "expected"),
    [
        ("VWG", 4_999, "unter 5.000 Einwohner"),
        ("VWG", 10_000, "10.000 bis unter 20.000 Einwohner"),
        ("VWG", 250_000, "ab 100.000 Einwohner"),
        ("KRS", 200_000, "150.000 bis unter 250.000 Einwohner"),
        ("VWG", None, None),
    ],
)
def test_size_classes(level, population, expected):
    assert counting.size_class(level, population) == expected


def _populate(engine, populations: dict[str, int]) -> None:
    with transaction(engine) as s:
        for ars, pop in populations.items():
            s.query(Region).filter_by(ars=ars).update({"population": pop, "population_as_of": D})


def test_peer_groups_by_type_and_size_and_residents_share(engine):
    build(engine, [("ONLINE", "031545401"), ("KREIS", "03154")])
    units = regions.units(engine, level="VWG").set_index("ars")
    assert units.loc["031545401", "group"] == "Samtgemeinde"  # without population: the type alone
    _populate(engine, {"031545401": 30_000, "031540005": 60_000, "031549501": 1_000})
    units = regions.units(engine, level="VWG").set_index("ars")
    assert units.loc["031545401", "group"] == "Samtgemeinde, 20.000 bis unter 50.000 Einwohner"
    assert units.loc["031549501", "group"] == "gemeindefrei bewohnt"  # never a peer, whatever its size
    krs = q.availability(engine, level="KRS", as_of=D).set_index("ars")
    # Catalogue of 5 services (FORM and UNKNOWN reach nobody online); Samtgemeinde 2 (ONLINE, KREIS), the city
    # and the inhabited Bezirk 1 (KREIS).
    expected = (30_000 * 2 + 60_000 * 1 + 1_000 * 1) / (91_000 * 5)
    assert krs.loc["03154", "share_residents"] == pytest.approx(expected)


def test_residents_share_needs_every_inhabited_unit(engine):
    build(engine, [("ONLINE", "031545401")])
    _populate(engine, {"031545401": 30_000})
    krs = q.availability(engine, level="KRS", as_of=D).set_index("ars")
    assert krs.loc["03154", "share_residents"] != krs.loc["03154", "share_residents"]  # NaN: incomplete


def test_connections_per_100000_residents(engine):
    build(engine, [("ONLINE", "031545401"), ("ONLINE", "031540005"), ("KREIS", "03154"), ("FORM", "031545401")])
    _populate(engine, {"03154": 200_000})
    krs = q.availability(engine, level="KRS", as_of=D).set_index("ars")
    # 3 online connections (FORM is not online): 3 / 200.000 × 100.000 = 1,5
    assert krs.loc["03154", "connections"] == 3
    assert krs.loc["03154", "per_100k"] == pytest.approx(1.5)
    land = q.availability(engine, level="LAN", as_of=D).set_index("ars")
    assert land.loc["03", "per_100k"] == pytest.approx(1.5)  # the Land's population: the sum of its Kreise
