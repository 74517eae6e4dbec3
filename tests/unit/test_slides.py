"""The presentation deck: slide order, KPI texts from the same queries as the pages, Stand/source, figures."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import pytest

from charts import slides as charts
from data_access.db import transaction
from data_access.models import PiObjective, ProgramIncrement
from data_access.queries import eakte, overview, services, strategy
from data_access.reference import read_csv, strategic_numbers
from formatting import num, pct
from reports import slides

KEYS = ["kennzahlen", "karte", "eakte", "pi", "strategie"]
PROV = dict(source="PI-Testquelle", as_of=dt.date(2025, 7, 2), is_demo=False)


def texts(slide) -> dict[str, str]:
    return {k.label: k.value for k in slide.kpis}


def test_empty_database_gives_every_slide_with_a_note_and_the_real_strategy_slide(engine):
    deck = slides.deck(engine, today=dt.date(2025, 7, 1))
    assert [s.key for s in deck] == KEYS
    for s in deck[:4]:
        assert not s.kpis and s.chart is None and s.note, s.key
    strat = deck[4]
    per_strategic = strategy.coverage(engine).groupby("number")["linked"].sum()
    # "mit Umsetzung" counts strategic measures behind a project row ("Projekt Pn"/"Projekt Q1") of the annex only.
    projects = {
        n
        for r in read_csv("measures.csv")
        if r["implementation"].startswith("Projekt ")
        for n in strategic_numbers(r["strategic_refs"])
    }
    assert 0 < len(projects) < (per_strategic > 0).sum()
    kpi = next(k for k in strat.kpis if k.label == "Strategische Maßnahmen mit Umsetzung in einem Projekt")
    assert kpi.value == f"{len(projects)} von 43"
    assert kpi.note == f"im Anhang aufgegriffen (jede Umsetzungsart): {(per_strategic > 0).sum()} von 43"
    assert texts(strat)["Noch nicht im Handlungsplan"] == "17"
    assert not strat.is_demo and "Handlungsplan" in strat.source
    assert strat.stand.startswith("Stand: 19.03.2024 · Quelle: Handlungsplan")
    assert "Beispieldaten" not in strat.stand
    # the slide's cells sum to the links of the annex (nothing lost in the chapter × domain summary)
    assert strat.data["cells"]["links"].sum() == int(strategy.coverage(engine)["linked"].sum())


def test_pi_slide_on_hand_built_pis(engine):
    with transaction(engine) as s:
        for n, q, start, end in (
            (1, "2025-Q1", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
            (2, "2025-Q2", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
            (3, "2025-Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ):
            s.add(ProgramIncrement(number=n, quarter=q, start_date=start, end_date=end, **PROV))
        s.flush()
        for key, pi, committed, planned, actual in (
            ("a", 1, True, 10, 9),
            ("b", 2, True, 6, 2),
            ("c", 2, True, 4, 2),
            ("d", 2, False, 5, 1),
            ("e", 3, True, 8, None),
        ):
            s.add(
                PiObjective(
                    objective_key=key,
                    pi_number=pi,
                    text=key,
                    committed=committed,
                    planned_bv=planned,
                    actual_bv=actual,
                    **PROV,
                )
            )
    slide = slides.pi_slide(engine, today=dt.date(2025, 8, 1))
    assert texts(slide) == {
        "PI 2 (2025-Q2)": "50 %",  # (2 + 2 + 1) / (6 + 4): uncommitted adds to actual only
        "Im Zielband 80–100 %": "1 von 2 PIs",
        "Mittel der gezeigten PIs": "70 %",
    }
    assert list(slide.table["Status"]) == ["abgeschlossen", "abgeschlossen", "läuft"]
    assert slide.source == "PI-Testquelle" and not slide.is_demo
    fig = charts.figure(slide)
    assert isinstance(fig, go.Figure) and fig.layout.font.size == charts.PROJECTOR_FONT


@pytest.fixture(scope="module")
def demo_deck(demo_url):
    from data_access.db import make_engine

    e = make_engine(demo_url)
    yield e, slides.deck(e)
    e.dispose()


def test_headline_kpis_are_the_overview_figures(demo_deck):
    engine, deck = demo_deck
    head = texts(deck[0])
    e, s = overview.eakte_headline(engine), overview.services_headline(engine)
    p = overview.latest_pi_predictability(engine)
    assert head["Behörden mit eAkte produktiv"] == f"{e['productive']} von {e['scope']}"
    assert head["eAkte-Nutzende"] == num(e["users"])
    assert head["Onlinedienste flächendeckend"] == num(s["services_full"])
    assert head["Fokusleistungen flächendeckend"] == f"{s['focus_full']} von {s['focus_total']}"
    assert head[f"Vorhersagbarkeit PI {p['pi_number']} ({p['quarter']})"] == pct(p["predictability"])
    assert deck[0].is_demo and all(k.as_of and k.is_demo for k in deck[0].kpis)
    assert deck[0].stand.startswith("Stand: je Kennzahl angegeben") and deck[0].stand.endswith("keine amtlichen Zahlen")


def test_map_and_eakte_slides_match_their_queries(demo_deck):
    engine, deck = demo_deck
    meta = services.offers_meta(engine)
    krs = services.availability(engine, level="KRS", as_of=meta["as_of"])
    karte = deck[1]
    assert karte.as_of == meta["as_of"] and karte.is_demo
    assert texts(karte)[f"Kreise mit mindestens {pct(0.2)}"] == f"{(krs['share_focus'] >= 0.2).sum()} von {len(krs)}"
    assert texts(karte)["Mittlerer Anteil Fokusleistungen je Kreis"] == pct(krs["share_focus"].mean())
    assert "GeoBasis-DE / BKG" in karte.note
    k = eakte.kpis(engine)
    assert texts(deck[2])["Aktive Nutzende"] == num(k["users"]) and deck[2].as_of == k["as_of"]
    assert len(deck[2].table) == len(eakte.users_series(engine))


def test_map_figure_needs_boundaries(demo_deck):
    _, deck = demo_deck
    assert charts.figure(deck[1], geojson=None) is None
    feature = {
        "type": "Feature",
        "id": "03101",
        "properties": {"ars": "03101"},
        "geometry": {"type": "Polygon", "coordinates": [[[10.4, 52.2], [10.6, 52.2], [10.6, 52.3], [10.4, 52.2]]]},
    }
    fig = charts.figure(deck[1], geojson={"type": "FeatureCollection", "features": [feature]})
    assert fig.data[0].type == "choroplethmap" and fig.layout.map.style == "white-bg"
    assert fig.layout.clickmode == "none"
    # The view shows the boundaries' whole extent in the slide image (no fixed zoom that cut off the south).
    assert fig.layout.meta["fit"] == [10.4, 52.2, 10.6, 52.3]
    assert fig.layout.map.center.lon == pytest.approx(10.5)


def test_slide_labels_are_large_enough_for_a_projector(demo_deck):
    """Data labels ≥ 18 px at 1920×1080 (the pages use 13–14 px): values on points, annotations, heatmap cells."""
    _, deck = demo_deck
    for slide in deck:
        fig = charts.figure(slide)
        if fig is None:
            continue
        for trace in fig.data:
            if getattr(trace, "textfont", None) is not None and (trace.text is not None or trace.texttemplate):
                assert trace.textfont.size >= charts.LABEL_MIN, (slide.key, trace.name, trace.textfont.size)
        for note in fig.layout.annotations:
            assert note.font.size >= charts.LABEL_MIN, (slide.key, note.text)
    assert any(fig.layout.annotations for fig in [charts.figure(deck[2])])  # the eAkte target and deadline lines


def test_deck_version_follows_the_contents(demo_deck):
    import dataclasses

    _, deck = demo_deck
    assert slides.version(deck) == slides.version(list(deck))
    assert slides.version(deck, "KRS-a.geojson") != slides.version(deck, "KRS-b.geojson")
    changed = [dataclasses.replace(deck[0], kpis=deck[0].kpis[:-1]), *deck[1:]]
    assert slides.version(changed) != slides.version(deck)
    table = deck[1].table.copy()
    table = table.astype(object)
    table.iloc[0, -1] = "anders"
    assert slides.version([deck[0], dataclasses.replace(deck[1], table=table), *deck[2:]]) != slides.version(deck)


def test_strategy_figure_is_the_chapter_domain_summary(demo_deck):
    _, deck = demo_deck
    fig = charts.figure(deck[4])
    heat = fig.data[0]
    assert heat.type == "heatmap" and list(heat.y) == ["B.1", "B.2", "B.3", "B.4", "B.5", "B.6"]
    assert len(heat.x) == 10  # the ten domains of the strategy
    assert sum(v or 0 for row in heat.z for v in row) == deck[4].data["cells"]["links"].sum()
