"""Published figures: cited as published (publication, unit, Stand), one marker text, shown beside the same measure."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.db import transaction
from data_access.models import PublishedFigure
from data_access.queries import overview
from data_access.queries import published as pub
from data_access.reference import load_reference, read_csv
from reports import notes, slides

D = dt.date
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_marker_text_uses_the_stand_as_published():
    fig = dict(label="1.069 Verwaltungsleistungen", source="Dashboard", date=D(2025, 7, 1), period="Sommer 2025")
    assert (
        notes.marker_text(fig) == "veröffentlicht: 1.069 Verwaltungsleistungen · Quelle: Dashboard · Stand: Sommer 2025"
    )
    assert notes.marker_text(dict(fig, period=None)).endswith("Stand: 01.07.2025")  # German date without a period


def test_figures_by_key_keep_the_order_and_skip_unknown_keys(engine):
    df = pub.figures(engine, keys=("focus_connections_2025", "nicht-da", "eakte_scope"))
    assert df["key"].tolist() == ["focus_connections_2025", "eakte_scope"]
    texts = notes.markers(engine, keys=("eakte_authorities_2025_03",))
    assert texts == (
        "veröffentlicht: 41 von 53 niedersächsischen Behörden haben die eAkte eingeführt · Quelle: IT.Niedersachsen, "
        "Meldung „Digitalisierungsfachleute treffen sich im Expowal in Hannover“ (18. PI Planning, 18.–19.03.2025) "
        "· Stand: März 2025",
    )


def test_a_figure_taken_out_of_the_csv_leaves_the_database(engine):
    with transaction(engine) as s:
        s.add(
            PublishedFigure(
                key="alt", topic="eakte", date=D(2025, 1, 31), value=1, unit="Nutzende", label="x", source="y"
            )
        )
    load_reference(engine)
    with transaction(engine) as s:
        keys = set(s.scalars(select(PublishedFigure.key)))
    assert "alt" not in keys and "eakte_users_2025_01" not in keys and "eakte_users_2025_03" in keys


def test_sources_cite_publications_not_internal_files():
    rows = read_csv("published_figures.csv")
    for r in rows:
        assert "DOMAIN" not in r["source"] and "seed" not in r["source"].lower(), r["key"]
        assert r["source"] and r["label"]
    by_key = {r["key"]: r for r in rows}
    cio = by_key["eakte_users_2024_11"]
    assert cio["unit"] == "Arbeitsplätze" and "eGovernment-Bilanz" in cio["source"] and "Baier" in cio["source"]
    assert by_key["eakte_users_2025_03"]["unit"] == "Nutzende"
    assert "Justiz" in by_key["eakte_target_2025"]["label"] and by_key["eakte_target_2025"]["unit"] == "Arbeitsplätze"


@pytest.mark.skipif(not SEEDS.exists(), reason="seed texts not present")
def test_seeded_figures_read_as_in_the_seeds():
    pi, cio, plan = _seed("000"), _seed("003"), _seed("002")
    assert "mehr als 21.000 Anwenderinnen und Anwender" in pi and "41 von 53" in pi
    assert "Bisher sind es 15 Prozent" in pi and "mindestens 20 Prozent" in pi
    assert "rund 20.000 Arbeitsplätzen in der Kernverwaltung" in cio and "Horst Baier" in cio
    assert "ca. 30.000 Arbeitsplätzen (einschließlich des Justizbereichs)" in plan
    by_key = {r["key"]: r for r in read_csv("published_figures.csv")}
    assert float(by_key["eakte_users_2025_03"]["value"]) == 21000
    assert float(by_key["focus_share_2025_q1"]["value"]) == 15
    assert float(by_key["focus_share_target_2025_06"]["value"]) == 20
    assert float(by_key["eakte_users_2024_11"]["value"]) == 20000
    assert float(by_key["eakte_target_2025"]["value"]) == 30000


def test_focus_connections_count_pairs_at_the_kommunen(demo_engine, engine):
    f = overview.focus_connections(demo_engine)
    assert f["is_demo"] and f["connections"] >= f["connected"] > 0
    assert f["share"] == pytest.approx(f["connected"] / f["units"])
    q1 = overview.focus_connections(demo_engine, as_of=D(2025, 3, 31))
    assert q1["connected"] < f["connected"]  # the rollout grows over 2025
    assert overview.focus_connections(engine) is None  # no offers: nothing to count


def test_slides_carry_the_reference_markers(demo_engine):
    head = slides.headline_slide(demo_engine)
    by_label = {k.label: k for k in head.kpis}
    assert by_label["Behörden mit eAkte produktiv"].published[0].startswith("veröffentlicht: 41 von 53")
    assert any("1.069" in t for t in by_label["Onlinedienste flächendeckend"].published)
    focus = by_label["Fokusleistungs-Anbindungen in Kommunen"].published
    assert [t.split(" · ")[0] for t in focus] == [
        "veröffentlicht: bisher 15 % der niedersächsischen Behörden mit den Onlinediensten der Fokusleistungen "
        "angebunden",
        "veröffentlicht: Ziel: mindestens 20 % der Behörden bis Ende Juni 2025",
        "veröffentlicht: 574 Anbindungen von Fokusleistungen in Kommunen (+69 Leistungen im föderalen Interesse)",
    ]
    assert "Veröffentlicht (Referenz)" in head.table.columns
    eakte = {k.label: k for k in slides.eakte_slide(demo_engine).kpis}
    assert any("21.000" in t for t in eakte["Aktive Nutzende"].published)
    assert "Arbeitsplätze inkl. Justiz" in eakte["Aktive Nutzende"].note
