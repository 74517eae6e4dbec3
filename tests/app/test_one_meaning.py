"""One meaning per number: the Land's Fokusleistungen figure with the same label and value on the Übersicht,
the Land's Steckbrief and the first slide (docs/ZAEHLREGELN.md)."""

from __future__ import annotations

from data_access.db import make_engine
from data_access.queries import overview
from reports.slides import deck
from tests.unit.test_services import build


def test_fokusleistungen_same_label_and_value_everywhere(open_page, db_url, engine):
    build(engine)
    s = overview.services_headline(engine)
    value = f"{s['focus_full']} von {s['focus_total']}"
    label = "Fokusleistungen flächendeckend"

    home = open_page(db_url, None)
    assert not home.exception, home.exception
    assert f"{label}: {value}" in " ".join(c.value for c in home.caption)

    land = open_page(db_url, "pages/kommune.py", {"ars": "03"})
    assert not land.exception, land.exception
    assert {m.label: m.value for m in land.metric}[label] == value

    e = make_engine(db_url)
    first = deck(e)[0]
    e.dispose()
    assert {k.label: k.value for k in first.kpis}[label] == value
    assert {k.label: k.value for k in first.kpis}["Onlinedienste flächendeckend"] == str(s["services_full"])
