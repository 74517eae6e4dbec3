"""AppTest: "Wo gibt es …?" – search, a shared link to one service, units with status, bad addresses, links."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from data_access.db import transaction
from data_access.models import OnlineService
from tests.unit.test_services import build

PAGE = "pages/dienste.py"


@pytest.fixture
def url(db_url, engine):
    build(engine)
    with transaction(engine) as s:
        s.execute(
            update(OnlineService)
            .where(OnlineService.service_key == "S2")
            .values(name="Kfz-Zulassung", url="https://dienste.example.org/kfz")
        )
        s.execute(
            update(OnlineService)
            .where(OnlineService.service_key == "S4")
            .values(url="https://andere.example.net/bau", maturity_level=1)
        )
    return db_url


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _table(at):
    return next(df.value for df in at.dataframe if "angeboten von" in df.value.columns)


def test_search_finds_the_service_and_lists_where_it_is_live(open_page, url, monkeypatch):
    monkeypatch.setenv("DVN_DIENST_HOSTS", "example.org")
    at = open_page(url, PAGE, {"suche": "kfz"})
    assert not at.exception, at.exception
    assert at.selectbox(key="w_dienst").value == "S2"
    assert at.query_params["dienst"] == "S2"  # the address names the service: a shareable link
    assert _metrics(at) == {
        "Verwaltungseinheiten live": "3 von 3",
        "Kreise flächendeckend": "2 von 2",
        "geplant oder in Umsetzung": "0",
    }
    table = _table(at)
    assert set(table["Status"]) == {"live"} and set(table["angeboten von"]) == {"Kreis"}
    assert [b.proto.url for b in at.get("link_button")] == ["https://dienste.example.org/kfz"]
    assert any("Beispieldaten" in m.value for m in at.markdown)


def test_a_shared_link_opens_the_service_with_status_per_unit(open_page, url):
    at = open_page(url, PAGE, {"dienst": "S1"})
    assert not at.exception, at.exception
    table = _table(at).set_index("ARS")
    assert table.loc["031515401", "Status"] == "live"
    assert table.loc["031515401", "angeboten von"] == "eigene Verwaltung"
    assert table.loc["031510009", "Status"] == "nicht angeboten"
    assert _metrics(at)["Verwaltungseinheiten live"] == "1 von 3"


def test_not_online_and_not_allowed_hosts_are_said_and_not_linked(open_page, url, monkeypatch):
    monkeypatch.setenv("DVN_DIENST_HOSTS", "example.org")
    at = open_page(url, PAGE, {"dienst": "S4"})
    assert not at.exception, at.exception
    assert any("nicht online beantragen" in w.value for w in at.warning)
    assert not at.get("link_button")  # andere.example.net is not allowed
    assert [c.value for c in at.code] == ["https://andere.example.net/bau"]  # plain text, not a link


def test_unknown_service_and_no_hit_get_a_german_message(open_page, url):
    at = open_page(url, PAGE, {"dienst": "<b>X</b>"})
    assert not at.exception, at.exception
    assert any("ist für den Onlinedienst" in w.value and "\\<b\\>" in w.value for w in at.warning)
    at = open_page(url, PAGE, {"suche": "gibt es nicht"})
    assert not at.exception, at.exception
    assert any("Kein Onlinedienst passt" in i.value for i in at.info)
    at = open_page(url, PAGE, {"themenfeld": "Unsinn"})
    assert any("ist für das Themenfeld unbekannt" in w.value for w in at.warning)
