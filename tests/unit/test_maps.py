"""Map and service figures: offline choropleth trace, classed cividis scale, key checks, distribution, timeline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from plotly.colors import sample_colorscale

from charts import maps
from charts import services as charts


def square(ars: str, x: float) -> dict:
    ring = [[x, 52.0], [x + 0.5, 52.0], [x + 0.5, 52.5], [x, 52.5], [x, 52.0]]
    return {
        "type": "Feature",
        "id": ars,
        "properties": {"ars": ars, "name": ars, "unit_type": "Landkreis"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


GEOJSON = {"type": "FeatureCollection", "features": [square(a, i) for i, a in enumerate(["03151", "03152", "03153"])]}
DF = pd.DataFrame(
    {
        "ars": ["03151", "03152", "03153"],
        "name": ["A", "B", "C"],
        "unit_type": ["Landkreis"] * 3,
        "n_services": [120.0, 135.0, 163.0],
        "share_focus": [0.25, 0.5, None],
    }
)


def test_choropleth_is_offline_single_trace_with_all_locations():
    fig = maps.choropleth(DF, GEOJSON, value="n_services", title="Onlinedienste je Kreis", legend_title="Onlinedienste")
    trace = fig.data[0]
    assert trace.type == "choroplethmap" and len(fig.data) == 1
    assert list(trace.locations) == ["03151", "03152", "03153"]
    assert fig.layout.map.style == "white-bg"  # no tile server: nothing leaves 127.0.0.1
    assert fig.layout.title.text == "Onlinedienste je Kreis"
    assert fig.layout.clickmode == "event+select"
    assert "Onlinedienste: %{z:,.0f}" in trace.hovertemplate and "%{location}" in trace.hovertemplate
    assert list(trace.customdata[0]) == ["Landkreis"] and trace.locations[0] == "03151" and trace.z[0] == 120
    assert fig.layout.separators == ",."  # 1.234 in the hover, as num() writes it


def test_share_map_hover_shows_the_german_percent_text():
    fig = maps.choropleth(DF, GEOJSON, value="share_focus", title="t", legend_title="Anteil", share=True)
    trace = fig.data[0]
    assert "Anteil: %{customdata[1]}" in trace.hovertemplate
    assert list(trace.customdata[0]) == ["Landkreis", "25 %"]


def test_colour_scale_is_classed_cividis():
    fig = maps.choropleth(DF, GEOJSON, value="n_services", title="t", legend_title="l")
    scale = fig.layout.coloraxis.colorscale
    first, last = sample_colorscale("cividis", [0, 1])
    assert scale[0][1] == first and scale[-1][1] == last
    assert scale[0][1] == scale[1][1]  # flat steps: one colour per class
    breaks = maps.class_breaks(DF["n_services"], share=False)
    assert list(fig.layout.coloraxis.colorbar.tickvals) == breaks
    assert fig.layout.coloraxis.cmin == breaks[0] and fig.layout.coloraxis.cmax == breaks[-1]


def test_missing_values_are_grey_not_zero():
    fig = maps.choropleth(DF, GEOJSON, value="share_focus", title="t", legend_title="Anteil", share=True)
    assert len(fig.data) == 2
    assert list(fig.data[0].locations) == ["03151", "03152"]
    assert list(fig.data[1].locations) == ["03153"] and fig.data[1].name == "keine Daten"
    assert list(fig.layout.coloraxis.colorbar.ticktext) == ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([120, 125, 131, 138, 144, 150, 157, 163], [120, 130, 140, 150, 163]),
        ([0, 0, 0, 1, 2, 3, 50], [0, 10, 20, 30, 40, 50]),
        ([3, 3], [3, 4]),
        ([], [0, 1]),
    ],
)
def test_class_breaks_are_round_and_cover_the_range(values, expected):
    breaks = maps.class_breaks(pd.Series(values, dtype=float), share=False)
    assert breaks == expected
    assert breaks == sorted(set(breaks))


def test_key_mismatch_lists_both_directions():
    result = maps.key_mismatch(["03151", "03152", "03999"], GEOJSON)
    assert result == {"no_boundary": ["03999"], "no_data": ["03153"]}
    assert maps.key_mismatch(["03151"], None) == {"no_boundary": [], "no_data": []}


def test_distribution_uses_map_classes():
    breaks = [120, 130, 140, 163]
    fig = charts.distribution(DF, value="n_services", title="Verteilung", x_title="Onlinedienste", breaks=breaks)
    assert list(fig.data[0].x) == ["120 – 130", "130 – 140", "140 – 163"]
    assert list(fig.data[0].y) == [1, 1, 1]
    assert fig.layout.yaxis.title.text == "Anzahl Einheiten"


def test_timeline_has_services_and_focus():
    hist = pd.DataFrame({"date": [dt.date(2025, 3, 31), dt.date(2025, 6, 30)], "n_services": [3, 5], "n_focus": [1, 2]})
    fig = charts.timeline(hist, title="Verlauf")
    assert [t.name for t in fig.data] == ["Onlinedienste", "davon Fokusleistungen"]
    assert list(fig.data[0].y) == [3, 5] and fig.layout.yaxis.title.text == "Anzahl Onlinedienste"


def test_map_downloads_name_level_filters_and_stichtag():
    import datetime as dt

    from data_access.units import Level, Measure
    from pages import _map_widgets as w

    view = w.MapView(
        level=Level.KRS, measure=Measure.COUNT, coverage="mindestens_eine", as_of=dt.date(2025, 12, 31),
        themenfeld="Gesundheit", model=None, focus_only=True, status="live", min_level=None,
    )  # fmt: skip
    part = w.file_part(view)
    assert part.startswith("krs_") and "gesundheit" in part and "fokus" in part and "mind-eine" in part
    assert part.endswith("stichtag-2025-12-31")
    text = w.content(view)
    assert "Themenfeld Gesundheit" in text and "31.12.2025" in text and "**" not in text


def test_axes_write_thousands_the_german_way():
    import plotly.graph_objects as go

    from charts import theme

    fig = theme.apply(go.Figure(go.Bar(x=["a"], y=[25_000])), title="t")
    layout = fig.layout.template.layout
    assert layout.yaxis.exponentformat == "none" and layout.yaxis.separatethousands  # 25.000, not 25k
    assert fig.layout.separators == ",."
