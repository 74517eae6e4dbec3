"""Counting rules on the real VG5000 build (BOUNDARIES): gemeindefreie Gebiete out of rank, search and
flächendeckend; Landkreis Helmstedt becomes flächendeckend with an offer in every inhabited Verwaltungseinheit."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access import summary
from data_access.db import transaction
from data_access.models import Offer, OnlineService, Region
from data_access.queries import regions
from data_access.queries import services as q
from geo.build import build_boundaries
from reports import tables

BOUNDARIES = os.environ.get("BOUNDARIES", "").strip()
PROV = dict(source="Test", as_of=dt.date(2025, 6, 30), is_demo=False)
D = dt.date(2025, 6, 30)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (BOUNDARIES and Path(BOUNDARIES).is_file()), reason="needs the real VG5000 (BOUNDARIES)"),
]


@pytest.fixture
def real(engine, tmp_path):
    build_boundaries(BOUNDARIES, engine=engine, out_dir=tmp_path)
    with transaction(engine) as s:
        svc = OnlineService(
            service_key="T-GEM",
            name="Gemeindedienst",
            model="EfA",
            themenfeld="Bildung",
            responsible_level="Gemeinde",
            maturity_level=3,
            maturity_model="1.x",
            **PROV,
        )
        s.add(svc)
        s.flush()
        helmstedt = s.scalars(
            select(Region.ars).where(
                Region.level == "VWG", Region.kreis_ars == "03154", Region.category != "gemeindefrei"
            )
        ).all()
        for ars in helmstedt:
            s.add(Offer(service_id=svc.id, region_ars=ars, status="live", valid_from=dt.date(2025, 1, 1), **PROV))
        summary.refresh(s)  # written past the importers: rebuild the summary
    return engine


def test_an_offer_in_every_inhabited_unit_of_helmstedt_is_flaechendeckend(real):
    krs = q.availability(real, level="KRS", as_of=D)
    assert krs.loc[krs["ars"] == "03154", "n_services"].item() == 1  # the five forests do not have to offer it
    assert krs.loc[krs["ars"] != "03154", "n_services"].sum() == 0


def test_counts_per_unit_type_and_no_rank_for_gemeindefreie(real):
    vwg = q.availability(real, level="VWG", as_of=D)
    assert vwg["group"].value_counts().to_dict() == {
        "Einheitsgemeinde": 281,  # 289 minus the 8 kreisfreie Städte, which are compared among themselves
        "Samtgemeinde": 116,
        "Kreisfreie Stadt": 8,
        "gemeindefrei": 23,
        "gemeindefrei bewohnt": 2,
    }
    assert vwg.loc[vwg["group"] == "gemeindefrei", "n_services"].isna().all()
    ranking = tables.ranking_table(vwg)
    assert len(ranking) == 430 - 25
    krs = regions.units(real, level="KRS")
    assert krs.loc[krs["ars"] == "03241", "unit_type"].item() == "Region"


def test_search_offers_one_helmstedt_einheitsgemeinde_and_no_forest(real):
    options = regions.search_options(real)
    helmstedt = options.loc[options["label"].str.startswith("Helmstedt – Einheitsgemeinde")]
    assert len(helmstedt) == 1
    assert not options["label"].str.contains("Lütje Hörn").any()
    assert options["label"].str.contains("Lohheide – gemeindefreier Bezirk").any()
