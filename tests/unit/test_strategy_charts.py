"""Strategie figures: axes, number of cells, colour scales and titles, on the real annex and a tiny fixture."""

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from charts import strategy as c
from charts import theme
from data_access.queries import strategy as q
from tests.unit.test_strategy import TODAY, seed_progress


@pytest.fixture
def coverage_fig(engine):
    return c.coverage_heatmap(q.coverage(engine))


def test_coverage_heatmap_cells_and_axes(coverage_fig):
    heat = coverage_fig.data[0]
    assert isinstance(heat, go.Heatmap)
    z = np.array(heat.z, dtype=float)
    # 43 measure rows + 6 chapter headers (B.1–B.6) + 'Summe'; 43 strategic measures + 'Summe'.
    assert z.shape == (50, 44)
    assert np.count_nonzero(~np.isnan(z)) == 43 * 43
    assert np.count_nonzero(z == 2) == 56
    assert np.count_nonzero(z == 1) == 17 * 43  # whole columns of uncovered strategic measures tinted
    y = list(heat.y)
    assert y[:2] == ["Kapitel B.1", "B.1.1"] and y[-1] == "Summe"
    assert y[y.index("Kapitel B.4") + 1] == "B.4"
    assert [k for k in y if k.startswith("B.6.2")] == ["B.6.2", "B.6.2/2"]
    assert list(heat.x[:2]) == ["#1", "#2"] and heat.x[-1] == "Summe"
    i, j = y.index("B.1.3.2"), list(heat.x).index("#19")
    assert z[i, j] == 2 and z[i, list(heat.x).index("#14")] == 2 and z[i, list(heat.x).index("#15")] == 0


def test_coverage_heatmap_labels_colours_and_totals(coverage_fig):
    fig = coverage_fig
    assert fig.layout.xaxis.ticktext[13] == "#14 DVN 2.0"
    assert fig.layout.xaxis.ticktext[0] == "<b>#1 IT-Management</b>"  # uncovered: bold
    assert "B.1.3.2 Onlinedienste im Themenfeld…" in fig.layout.yaxis.ticktext
    assert fig.layout.yaxis.tickfont.size >= 12 and fig.layout.xaxis.tickfont.size >= 12
    assert fig.layout.xaxis.title.text.startswith("Strategische Maßnahme")
    assert fig.layout.yaxis.title.text.startswith("Maßnahme des Handlungsplans")
    assert fig.layout.title.text == "17 von 43 strategischen Maßnahmen noch ohne Maßnahme im Handlungsplan"
    colours = {col for _, col in fig.data[0].colorscale}
    assert colours == {c.NOT_LINKED, c.UNCOVERED, c.LINKED} and c.LINKED == theme.GOOD
    by_name = {t.name: t for t in fig.data}
    linked, open_, uncovered = (by_name[f"Zellen: {k}"] for k in (c.LINKED_CELL, c.OPEN_CELL, c.UNCOVERED_CELL))
    col_totals, row_totals = by_name["Summe je strategische Maßnahme"], by_name["Summe je Maßnahme"]
    assert len(linked.x) + len(open_.x) + len(uncovered.x) == 43 * 43
    cells = {(y, x): row for t in (linked, open_, uncovered) for y, x, row in zip(t.y, t.x, t.customdata, strict=True)}
    assert "DVN 2.0" in cells[("B.1.1", "#14")][1] and len(cells) == 43 * 43
    assert "<i>verknüpft</i>" in linked.hovertemplate and "%{y}" in linked.hovertemplate
    # The full text of a strategic measure: in linked cells and in its 'Summe' cell, not in every cell.
    assert linked.customdata.shape[1] == 3 and all(row[2] for row in linked.customdata)
    assert open_.customdata.shape[1] == 2 and "<i>nicht verknüpft</i>" in open_.hovertemplate
    assert all(col_totals.customdata) and len(col_totals.customdata) == 43
    totals = dict(zip(col_totals.x, col_totals.text, strict=True))
    assert totals["#14"] == "17" and totals["#1"] == "<b>0</b>"
    assert dict(zip(row_totals.y, row_totals.text, strict=True))["B.2.11"] == "3"
    domains = {a.text.replace("<br>", " ") for a in fig.layout.annotations}
    assert "Digital Governance" in domains and "Open Source" in domains and len(domains) == 10


def test_coverage_heatmap_empty():
    assert c.coverage_heatmap(pd.DataFrame()).layout.title.text == "Keine Maßnahmen geladen"


@pytest.mark.parametrize("level", ["domain", "strategic"])
def test_progress_heatmap_count_and_share(engine, level):
    seed_progress(engine)
    cells, rows = q.progress(engine, level=level), q.progress_rows(engine, level=level)
    count = c.progress_heatmap(cells, rows, value="objectives", level=level)
    heat = count.data[0]
    assert len(heat.y) == len(rows) and list(heat.x) == ["PI 17<br>2025-Q1", "PI 18<br>2025-Q2"]
    z = np.array(heat.z, dtype=float)
    assert np.nansum(z) == cells["objectives"].sum()
    assert heat.colorscale == go.Heatmap(colorscale=theme.SEQUENTIAL).colorscale
    assert count.layout.xaxis.title.text == "Program Increment (PI)"
    expected_y = "Handlungsfeld" if level == "domain" else "Strategische Maßnahme"
    assert count.layout.yaxis.title.text == expected_y
    share = c.progress_heatmap(cells, rows, value="bv_share")
    zs = np.array(share.data[0].z, dtype=float)
    assert np.nanmax(zs) == pytest.approx(cells["bv_share"].max())
    assert share.data[0].zmin == 0.5 and count.data[0].zmin == 0
    assert "läuft" in [t for row in share.data[0].text for t in row]  # PI 18 not scored yet
    assert share.layout.title.text.startswith("Erreichter Geschäftswert")
    with pytest.raises(ValueError, match="Unbekannter Wert"):
        c.progress_heatmap(cells, rows, value="x")


def test_progress_heatmap_domain_values(engine):
    seed_progress(engine)
    fig = c.progress_heatmap(q.progress(engine), q.progress_rows(engine), value="bv_share")
    heat = fig.data[0]
    row = list(heat.y).index("Digital Governance")
    assert heat.z[row][0] == pytest.approx(1.0) and heat.z[row][1] is None
    assert heat.text[row][0] == "100 %"
    empty_row = list(heat.y).index("Open Source")
    assert heat.z[empty_row] == (None, None) or list(heat.z[empty_row]) == [None, None]


def test_epic_funnel(engine):
    seed_progress(engine)
    fig = c.epic_funnel(q.epics_by_stage(engine))
    f = fig.data[0]
    assert isinstance(f, go.Funnel)
    assert list(f.y) == ["Ideenspeicher", "Review", "Analyse", "Auftragspeicher", "in Umsetzung"]
    assert list(f.x) == [1, 0, 2, 0, 0]
    assert f.text[2] == "2 Epics · 2,0 Mio. €" and f.text[0] == "1 Epic · 0,1 Mio. €"
    assert fig.layout.title.text == "Portfolio: 3 Epics, 2,1 Mio. € Budget"


def test_implementation_bar(engine):
    fig = c.implementation_bar(q.implementation_types(engine))
    bar = fig.data[0]
    assert list(bar.y) == ["Projekt", "Neues Projekt", "Betrieb", "Linie", "Sonstige"]
    assert sum(bar.x) == 43
    assert fig.layout.xaxis.title.text == "Anzahl Maßnahmen des Handlungsplans"
    assert "Projekt P8" in bar.customdata[0]


def test_runtime_timeline_marks_ended_runtimes(engine):
    fig = c.runtime_timeline(q.measure_runtimes(engine, today=TODAY), today=TODAY)
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"Laufzeit beendet", "offenes Ende"}
    assert len(by_name["Laufzeit beendet"].y) == 14 and by_name["Laufzeit beendet"].marker.color == theme.BAD
    b21 = list(by_name["Laufzeit beendet"].customdata[:, 0]).index("B.2.1")
    assert by_name["Laufzeit beendet"].base[b21] == 2019 and by_name["Laufzeit beendet"].x[b21] == 7  # 2019–2025
    # Judged at a stated date, next to the annex's own Stand of the approved runtimes.
    assert fig.layout.title.text == (
        "Bewilligte Laufzeit (Anlage, Stand 19.03.2024): am 22.11.2026 bei 14 von 15 Maßnahmen abgelaufen"
    )
    earlier = c.runtime_timeline(q.measure_runtimes(engine, today=dt.date(2025, 3, 1)), today=dt.date(2025, 3, 1))
    assert {t.name for t in earlier.data} == {"Laufzeit beendet", "läuft", "offenes Ende"}


def test_progress_heatmap_many_pis_keeps_labels_short(engine):
    seed_progress(engine)
    cells = q.progress(engine)
    extra = [cells.assign(pi_number=cells["pi_number"] + 10 * k, quarter="2030-Q1") for k in range(1, 8)]
    many = pd.concat([cells, *extra], ignore_index=True)
    fig = c.progress_heatmap(many, q.progress_rows(engine))
    assert len(fig.data[0].x) == 16 and fig.data[0].x[0] == "PI 17"
    assert fig.data[0].texttemplate == ""  # numbers stay in the hover when cells get narrow
