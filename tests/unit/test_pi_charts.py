"""PI figures and tables: the band, 'läuft' instead of 0 %, n/a cells, colour-blind-safe categories."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go

from charts import pi as ch
from charts import theme
from reports import tables

NAN = float("nan")


def _pis() -> pd.DataFrame:
    rows = [  # pi, quarter, status, objectives, committed, uncommitted, planned, actual, predictability
        (16, "2024-Q4", "abgeschlossen", 0, 0, 0, 0.0, 0.0, NAN),
        (17, "2025-Q1", "abgeschlossen", 2, 2, 0, 18.0, 13.0, 13 / 18),
        (18, "2025-Q2", "abgeschlossen", 4, 3, 1, 19.0, 18.0, 18 / 19),
        (19, "2025-Q3", "läuft", 2, 2, 0, 10.0, 0.0, NAN),
        (20, "2025-Q4", "geplant", 0, 0, 0, 0.0, 0.0, NAN),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "pi_number",
            "quarter",
            "status",
            "objectives",
            "committed",
            "uncommitted",
            "planned_bv_committed",
            "actual_bv",
            "predictability",
        ],
    )
    df["start_date"] = [dt.date(2024, 10, 1) + dt.timedelta(days=91 * i) for i in range(len(df))]
    df["end_date"] = df["start_date"] + dt.timedelta(days=90)
    return df


def _teams() -> pd.DataFrame:
    rows = [  # pi, team, status, committed, uncommitted, planned, actual, predictability
        (18, "Alpha", "abgeschlossen", 2, 0, 15.0, 13.0, 13 / 15),
        (18, "Beta", "abgeschlossen", 1, 0, 4.0, 3.0, 0.75),
        (18, "Gamma", "abgeschlossen", 0, 1, 0.0, 2.0, NAN),
        (19, "Alpha", "läuft", 1, 0, 7.0, 0.0, NAN),
        (19, "Beta", "läuft", 1, 0, 3.0, 0.0, NAN),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "pi_number",
            "team",
            "status",
            "committed",
            "uncommitted",
            "planned_bv_committed",
            "actual_bv",
            "predictability",
        ],
    )


def test_label_and_category():
    assert ch.label(0.87, "abgeschlossen") == "87 %"
    assert ch.label(1.2, "abgeschlossen") == "120 %"
    assert ch.label(NAN, "abgeschlossen") == "n/a"
    assert ch.label(0.0, "läuft") == "läuft" and ch.label(NAN, "geplant") == "geplant"
    assert [ch.category(v) for v in (NAN, 0.49, 0.5, 0.799, 0.8, 1.0, 1.001)] == [0, 1, 2, 2, 3, 3, 4]
    assert ch.category(0.9, "läuft") == 0
    assert ch.bv(7.5) == "7,5" and ch.bv(18.0) == "18" and ch.bv(None) == "–" and ch.bv(pd.NA) == "–"


def test_programme_chart_band_and_running_pi():
    fig = ch.programme_chart(_pis())
    assert isinstance(fig, go.Figure)
    band = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(band) == 1 and (band[0].y0, band[0].y1) == (80, 100)
    line, running = fig.data
    # Only scored PIs are points; the empty PI (n/a) and the running PI have no point, never 0 %.
    assert list(line.x) == ["PI 17", "PI 18"]
    assert [round(y, 1) for y in line.y] == [round(1300 / 18, 1), round(1800 / 19, 1)]
    assert list(line.text) == ["72 %", "95 %"]
    assert running.mode == "text" and list(running.x) == ["PI 19"] and list(running.text) == ["läuft"]
    assert "PI 20" not in fig.layout.xaxis.categoryarray  # planned PIs are not drawn
    assert fig.layout.yaxis.ticksuffix == " %"
    assert "Vorhersagbarkeit" in fig.layout.title.text and fig.layout.yaxis.title.text == "Vorhersagbarkeit in %"
    # Below the band is orange, not red; in the band is blue.
    assert list(line.marker.color) == [theme.WARN, theme.GOOD]


def test_programme_chart_without_data():
    fig = ch.programme_chart(_pis().iloc[0:0])
    assert len(fig.data) == 1 and len(fig.data[0].x) == 0


def test_team_heatmap_cells():
    fig = ch.team_heatmap(_teams())
    (hm,) = fig.data
    assert hm.type == "heatmap" and list(hm.x) == ["PI 18", "PI 19"]
    cells = {
        (y, x): (t, z)
        for y, zrow, trow in zip(hm.y, hm.z, hm.text, strict=True)
        for x, z, t in zip(hm.x, zrow, trow, strict=True)
    }
    assert cells[("Alpha", "PI 18")] == ("87 %", 3)
    assert cells[("Beta", "PI 18")] == ("75 %", 2)
    assert cells[("Gamma", "PI 18")] == ("n/a", 0)  # no committed objectives: n/a, no division by zero
    assert cells[("Alpha", "PI 19")] == ("läuft", 0)
    text, z = cells[("Gamma", "PI 19")]  # no objectives at all: empty cell
    assert text == "" and math.isnan(z)
    colours = {c for _, c in hm.colorscale}
    assert colours == {c for _, c in ch.CATEGORIES}
    assert list(hm.colorbar.ticktext) == [name for name, _ in ch.CATEGORIES]
    assert "PI 18–PI 19" in fig.layout.title.text


def test_team_heatmap_keeps_last_pis():
    df = pd.concat([_teams().assign(pi_number=n) for n in range(1, 11)])
    assert list(ch.team_heatmap(df, last=4).data[0].x) == ["PI 7", "PI 8", "PI 9", "PI 10"]


def test_tables_say_laeuft_and_na():
    table = tables.programme_table(_pis())
    assert list(table["PI"]) == [20, 19, 18, 17, 16]  # newest first
    assert list(table["Vorhersagbarkeit"]) == ["geplant", "läuft", "95 %", "72 %", "n/a"]
    assert table.loc[2, "Zeitraum"].count(".") == 4 and table.loc[2, "Plan-BV verbindlich"] == "19"
    teams = tables.team_table(_teams())
    assert list(teams["Vorhersagbarkeit"]) == ["87 %", "75 %", "n/a", "läuft", "läuft"]
    assert "PI" not in tables.team_table(_teams(), with_pi=False).columns


def test_objectives_table_display_and_download():
    df = pd.DataFrame(
        {
            "objective_key": ["18-A1", "18-X"],
            "team": ["Alpha", None],
            "text": ["Ziel", "Ohne"],
            "committed": [True, False],
            "planned_bv": pd.array([10, None], dtype="Int64"),
            "actual_bv": [7.5, NAN],
            "measure": ["B.1.1", None],
            "measure_title": ["Titel", None],
        }
    )
    shown = tables.objectives_table(df, display=True)
    assert list(shown["Ist-BV"]) == ["7,5", "–"] and list(shown["Plan-BV"]) == ["10", "–"]
    assert list(shown["verbindlich"]) == ["ja", "nein"] and list(shown["Team"]) == ["Alpha", "(ohne Team)"]
    assert list(shown["Maßnahme Handlungsplan"]) == ["B.1.1 – Titel", ""]
    assert tables.objectives_table(df)["Ist-BV"].iloc[0] == 7.5  # downloads keep numbers


def test_quality_tables():
    dq = pd.DataFrame(
        {
            "check": ["Doppeltes Ziel", "Doppeltes Ziel", "Ziel ohne Team"],
            "pi_number": [7, 7, 5],
            "team": ["Alpha", "Alpha", None],
            "objective_key": ["a", "b", "c"],
            "text": ["x", "x", "y"],
        }
    )
    summary = tables.quality_summary(dq)
    assert list(summary["Prüfung"]) == ["Doppeltes Ziel", "Ziel ohne Team"] and list(summary["Anzahl"]) == ["2", "1"]
    assert list(tables.quality_table(dq)["Team"]) == ["Alpha", "Alpha", "–"]
