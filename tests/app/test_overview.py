"""AppTest: the Übersicht renders its KPIs from the database, with Stand and the Beispieldaten badge."""

import datetime as dt

from streamlit.testing.v1 import AppTest

from data_access.db import transaction
from data_access.models import Authority, EakteSnapshot
from tests.app._markdown import seen

PROV = dict(source="Testquelle", as_of=dt.date(2025, 3, 31), is_demo=True)


def _run(open_page, url) -> AppTest:
    at = open_page(url)
    assert not at.exception, at.exception
    return at


def test_empty_database_shows_placeholders(open_page, db_url):
    at = _run(open_page, db_url)
    assert at.title[0].value == "DVN-Dashboard"
    assert [m.value for m in at.metric] == ["–", "–", "–", "–"]


def test_kpis_from_database(open_page, db_url, engine):
    with transaction(engine) as s:
        auths = [Authority(code=f"A{i}", name=f"Behörde {i}", ministry_code="MI", **PROV) for i in range(3)]
        s.add_all(auths)
        s.flush()
        for i, a in enumerate(auths):
            s.add(
                EakteSnapshot(
                    authority_id=a.id,
                    snapshot_date=dt.date(2025, 3, 31),
                    status="produktiv" if i < 2 else "geplant",
                    active_users=1000 * (i + 1),
                    **PROV,
                )
            )
    at = _run(open_page, db_url)
    values = {m.label: m.value for m in at.metric}
    assert values["Behörden mit eAkte produktiv"] == "2 von 3"
    assert values["eAkte-Nutzende"] == "6.000"
    captions = " ".join(c.value for c in at.caption)
    assert "Stand: 31.03.2025" in captions and "Beispieldaten" in captions
    assert any("Beispieldaten" in m.value for m in at.markdown)  # st.badge renders as markdown


def test_published_figures_stand_beside_the_demo_figures(open_page, demo_url):
    at = _run(open_page, demo_url)
    captions = [seen(c.value) for c in at.caption]
    marker = [c for c in captions if "veröffentlicht: " in c]
    assert any("41 von 53 niedersächsischen Behörden" in c and "Stand: März 2025" in c for c in marker)
    assert any("1.069 Verwaltungsleistungen" in c and "Stand: Sommer 2025" in c for c in marker)
    assert any("574 Anbindungen" in c and "Stand: Ende 2025" in c for c in marker)
    assert any("Arbeitsplätze einschließlich des Justizbereichs" in c and "näherungsweise" in c for c in captions)
    values = {m.label: m.value for m in at.metric}
    assert "Fokusleistungs-Anbindungen in Kommunen" in values
    assert any("Beispieldaten" in m.value for m in at.markdown)  # the demo figures stay labelled


def test_kpis_show_change_trend_and_handlungsbedarf(open_page, demo_url):
    at = _run(open_page, demo_url)
    metrics = {m.label: m for m in at.metric}
    users = metrics["eAkte-Nutzende"]
    assert users.proto.delta and users.proto.delta_description.startswith("seit ")
    # The sparklines: one per KPI with a trend, each with its values as alternative text.
    alts = [c.proto.alt for c in at.get("vega_lite_chart")]
    assert any(a.startswith("Verlauf eAkte-Nutzende: ") and a.count(",") >= 1 for a in alts), alts
    assert any(a.startswith("Verlauf Vorhersagbarkeit: PI ") and "%" in a for a in alts), alts
    assert metrics["Onlinedienste flächendeckend"].proto.delta_description.startswith("seit ")
    pi = next(m for m in at.metric if m.label.startswith("Vorhersagbarkeit PI"))
    assert pi.proto.delta.endswith("Pp.") and pi.proto.delta_description.startswith("ggü. PI ")
    assert [h.value for h in at.header if h.value == "Handlungsbedarf"]
    texts = " ".join(seen(m.value) for m in at.markdown)
    assert "eAkte:" in texts and "Behörden im Verzug" in texts  # the demo data has authorities behind plan
    links = [el.proto for el in at.get("page_link")]
    late = next(p for p in links if p.label == "Behörden im Verzug ansehen")
    assert late.page.endswith("eakte") and "verzug=1" in late.query_string


def test_one_stand_line_names_each_source_stand(open_page, demo_url):
    at = _run(open_page, demo_url)
    line = next(seen(c.value) for c in at.caption if seen(c.value).startswith("Stand: eAkte "))
    assert "Onlinedienste" in line and "PI-Ziele" in line and "eigenen Zeitpunkten" in line


def test_empty_database_has_no_handlungsbedarf_claim(open_page, db_url):
    at = _run(open_page, db_url)
    assert not [s for s in at.success if "kein Handlungsbedarf" in s.value]
    assert any("Noch keine Daten geladen" in i.value for i in at.info)
