""" "Wo gibt es …?": catalogue search (query → services), where a service is available (→ units), link rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from data_access.db import transaction
from data_access.importers import values as v
from data_access.links import allowed_hosts, link
from data_access.models import AreaReach, OnlineService, ServiceLeika, VwgReach
from data_access.queries import search
from tests.unit.test_services import D, build


@pytest.fixture
def fx(engine):
    build(engine)
    with transaction(engine) as s:
        s1 = s.scalar(select(OnlineService.id).where(OnlineService.service_key == "S1"))
        s.add(ServiceLeika(service_id=s1, leika_key="99050012104000"))
        s.execute(update(OnlineService).where(OnlineService.id == s1).values(name="Kindergeld-Zuschuss Ärzte"))
        s.execute(update(OnlineService).where(OnlineService.service_key == "S4").values(name="Antrag auf Wohngeld"))
        s.execute(update(OnlineService).where(OnlineService.service_key == "S5").values(name="Wohngeld"))
    return engine


def keys(df) -> list[str]:
    return list(df["service_key"])


def test_search_by_name_key_leika_and_themenfeld(fx):
    cat = search.catalogue(fx)
    assert len(cat) == 5 and cat["online"].all()
    assert keys(search.search_services(cat, "ärzte")) == ["S1"]  # umlauts and case, the same on both databases
    assert keys(search.search_services(cat, "KINDERGELD zuschuss")) == ["S1"]  # every word must match
    assert keys(search.search_services(cat, "9905001")) == ["S1"]  # a LeiKa key (or its start)
    assert keys(search.search_services(cat, "s4")) == ["S4"]  # the Dienst-Schlüssel
    assert set(keys(search.search_services(cat, "bauen"))) == {"S4", "S5"}  # the Themenfeld
    assert set(keys(search.search_services(cat, "", themenfeld="Familie & Kind"))) == {"S1", "S3"}
    assert keys(search.search_services(cat, "dienst", themenfeld="Mobilität & Reisen")) == ["S2"]
    assert search.search_services(cat, "gibt es nicht").empty
    assert search.search_services(cat, "%").empty  # no pattern syntax: a literal character
    assert keys(search.search_services(cat, "wohngeld")) == ["S5", "S4"]  # names that start with it come first


def _service(engine, key):
    with transaction(engine) as s:
        return s.scalar(select(OnlineService.id).where(OnlineService.service_key == key))


def test_where_available_follows_the_availability_rule(fx):
    where = search.where_available(fx, service_id=_service(fx, "S1"), as_of=D)
    status = dict(zip(where["ars"], where["status"], strict=True))
    by = dict(zip(where["ars"], where["offered_by"], strict=True))
    assert status == {"031515401": "live", "031510009": "nicht angeboten", "031010000": "nicht angeboten"}
    assert by["031515401"] == "eigene Verwaltung" and by["031510009"] == ""
    assert list(where["status"])[0] == "live"  # best status first
    # Stichtag: S1 was live in the kreisfreie Stadt until 01.03.2025
    earlier = search.where_available(fx, service_id=_service(fx, "S1"), as_of=dt.date(2024, 6, 30))
    assert dict(zip(earlier["ars"], earlier["status"], strict=True))["031010000"] == "live"
    land = search.where_available(fx, service_id=_service(fx, "S3"), as_of=D)
    assert set(land["status"]) == {"live"} and set(land["offered_by"]) == {"Land"}
    kreis = search.where_available(fx, service_id=_service(fx, "S2"), as_of=D)
    assert set(kreis["offered_by"]) == {"Kreis"}
    planned = search.where_available(fx, service_id=_service(fx, "S5"), as_of=D)
    assert dict(zip(planned["ars"], planned["status"], strict=True))["031510009"] == "geplant"
    figures = search.summary(land)
    assert figures == dict(kreise=2, kreise_full=2, units=3, live=3, planned=0, residents_share=None, everywhere=True)
    figures = search.summary(where)
    assert figures["live"] == 1 and figures["kreise_full"] == 0 and not figures["everywhere"]


def test_where_available_equals_the_summary_tables(fx):
    """The per-service view and the maps' summary (reach_area + reach_vwg) agree for every service."""
    with transaction(fx) as s:
        area = {
            (a, sid)
            for a, sid in s.execute(
                select(AreaReach.area_ars, AreaReach.service_id).where(
                    AreaReach.status_group == "live",
                    AreaReach.valid_from <= D,
                    (AreaReach.valid_to.is_(None)) | (AreaReach.valid_to > D),
                )
            )
        }
        own = {
            (a, sid)
            for a, sid in s.execute(
                select(VwgReach.vwg_ars, VwgReach.service_id).where(
                    VwgReach.status_group == "live",
                    VwgReach.valid_from <= D,
                    (VwgReach.valid_to.is_(None)) | (VwgReach.valid_to > D),
                )
            )
        }
        ids = list(s.scalars(select(OnlineService.id)))
    for sid in ids:
        where = search.where_available(fx, service_id=sid, as_of=D)
        live = set(where.loc[where["status"] == "live", "ars"])
        expected = {
            a for a, k in zip(where["ars"], where["kreis_ars"], strict=True) if (k, sid) in area or (a, sid) in own
        }
        assert live == expected, sid


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://dienste.example.org/antrag?x=1", True),
        ("http://dienste.example.org", True),
        ("HTTPS://Example.org/a", True),
        ("javascript:alert(1)", False),
        ("ftp://example.org/x", False),
        ("https://", False),
        ("https://user:pw@example.org/", False),
        ("https://example.org/a b", False),
        ("https://example.org:99999999/", False),
        ("www.example.org", False),
        ("https://example.org/" + "a" * 500, False),
    ],
)
def test_url_column_accepts_only_http_and_https(value, ok):
    if ok:
        assert v.to_url(value) == value
    else:
        with pytest.raises(Exception, match=r"."):
            v.to_url(value)


def test_link_only_for_https_on_an_allowed_host():
    hosts = allowed_hosts("niedersachsen.de, example.org.")
    assert hosts == ("niedersachsen.de", "example.org")
    assert link("https://service.niedersachsen.de/wohngeld", hosts) == "https://service.niedersachsen.de/wohngeld"
    assert link("https://example.org/a", hosts) == "https://example.org/a"
    assert link("http://example.org/a", hosts) is None  # no https
    assert link("https://evilniedersachsen.de/a", hosts) is None  # not a subdomain
    assert link("https://niedersachsen.de.evil.org/a", hosts) is None
    assert link("https://example.org/a", ()) is None  # nothing allowed: nothing linked
    assert link(None, hosts) is None and link("", hosts) is None
    assert allowed_hosts("") == ()


def _catalogue_csv(tmp_path, link: str):
    f = tmp_path / "dienste.csv"
    f.write_text(
        "Dienst-Schlüssel;Name;Modell;Themenfeld;Zuständigkeit;Reifegrad;Reifegradmodell;Link;Stand\n"
        "T-WOHNGELD;Wohngeld;EfA;Bauen & Wohnen;Kreis;3;1.x;https://dienste.example.org/wohngeld;31.03.2025\n"
        f"T-ELTERNGELD;Elterngeld;EfA;Familie & Kind;Land;3;1.x;{link};31.03.2025\n",
        encoding="utf-8",
    )
    return f


def test_catalogue_import_reads_the_link_and_rejects_a_bad_one_with_row_and_column(engine, tmp_path):
    from data_access.importers import ImportRejected, import_file

    with pytest.raises(ImportRejected, match=r"Zeile 3, Spalte „Link“: .*beginnt nicht mit http:// oder https://"):
        import_file(
            engine, "onlinedienste", _catalogue_csv(tmp_path, "javascript:alert(1)"), user="pytest"
        ).raise_for_problems()
    assert search.catalogue(engine).empty  # all or nothing: the good row is not written either
    import_file(engine, "onlinedienste", _catalogue_csv(tmp_path, ""), user="pytest").raise_for_problems()
    urls = dict(zip(*[search.catalogue(engine)[c] for c in ("service_key", "url")], strict=True))
    assert urls["T-WOHNGELD"] == "https://dienste.example.org/wohngeld"
    assert urls["T-ELTERNGELD"] is None
