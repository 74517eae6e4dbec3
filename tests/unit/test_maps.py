"""Map and service figures: offline choropleth trace, classed viridis scale, fitted view, key checks, distribution, timeline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from plotly.colors import sample_colorscale

from charts import maps, theme
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


def test_colour_scale_is_classed_viridis():
    assert theme.SEQUENTIAL == "viridis"
    fig = maps.choropleth(DF, GEOJSON, value="n_services", title="t", legend_title="l")
    scale = fig.layout.coloraxis.colorscale
    first, last = sample_colorscale("viridis", [0, 1])
    assert scale[0][1] == first and scale[-1][1] == last
    assert scale[0][1] == scale[1][1]  # flat steps: one colour per class
    legend = maps.classes(DF["n_services"], share=False)  # three values: one class each, ticks at the values
    assert list(fig.layout.coloraxis.colorbar.tickvals) == legend.ticks == [120, 135, 163]
    assert fig.layout.coloraxis.cmin == legend.breaks[0] and fig.layout.coloraxis.cmax == legend.breaks[-1]
    many = pd.DataFrame({"ars": [f"{i}" for i in range(20)], "name": "x", "unit_type": "x", "n": range(100, 120)})
    fig = maps.choropleth(many, GEOJSON, value="n", title="t", legend_title="l")
    assert list(fig.layout.coloraxis.colorbar.tickvals) == maps.class_breaks(many["n"], share=False)


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


def test_few_distinct_counts_get_one_class_each():
    """4 Kreise with 1 and 41 with 0 (Gesundheit + Fokusleistungen): two classes "0" and "1", two colours."""
    values = pd.Series([1.0] * 4 + [0.0] * 41)
    legend = maps.classes(values, share=False)
    assert legend.labels == ["0", "1"] and legend.ticks == [0.0, 1.0] and legend.ticktext == ["0", "1"]
    assert legend.breaks == [-0.5, 0.5, 1.5]
    df = pd.DataFrame({"ars": [f"{i:05d}" for i in range(45)], "name": "x", "unit_type": "Landkreis", "n": values})
    fig = maps.choropleth(df, GEOJSON, value="n", title="t", legend_title="Fokusleistungen")
    scale = fig.layout.coloraxis.colorscale
    assert len({c for _, c in scale}) == 2  # one colour per value
    assert list(fig.layout.coloraxis.colorbar.ticktext) == ["0", "1"]
    dist = charts.distribution(df, value="n", title="t", x_title="x")
    assert list(dist.data[0].x) == ["0", "1"] and list(dist.data[0].y) == [41, 4]
    assert len(set(dist.data[0].marker.color)) == 2
    # Three values: three classes; many values: ranges as before; shares keep their fixed 20-%-steps.
    assert maps.classes(pd.Series([0, 2, 5, 5]), share=False).labels == ["0", "2", "5"]
    assert maps.classes(pd.Series(range(50)), share=False).labels[0].count("–") == 1
    assert maps.classes(pd.Series([0.0, 0.5]), share=True).labels[0] == "0 % – 20 %"


def test_adjacent_classes_are_distinguishable():
    """Neighbouring classes differ clearly in lightness (projector, grey-scale print, colour-vision deficiency)."""

    def lightness(colour: str) -> float:
        r, g, b = (int(x) / 255 for x in colour[4:-1].split(","))
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
        return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y

    levels = [lightness(c) for c in maps.class_colours(5)]
    assert all(b - a >= 15 for a, b in zip(levels[:-1], levels[1:], strict=True)), levels


def test_view_fits_the_extent_for_the_size():
    fig = maps.choropleth(DF, GEOJSON, value="n_services", title="t", legend_title="l")
    assert fig.layout.meta["fit"] == [0.0, 52.0, 2.5, 52.5]  # the GeoJSON's extent
    # A map twice as wide and high shows the same extent one zoom level closer.
    _, z1 = maps.fit_view((6.65, 51.29, 11.6, 53.9), 400, 300, padding=0)
    _, z2 = maps.fit_view((6.65, 51.29, 11.6, 53.9), 800, 600, padding=0)
    assert z2 == pytest.approx(z1 + 1)
    # Niedersachsen is wider than high in Web Mercator: a wide frame is limited by the height, a narrow one by width.
    center, wide = maps.fit_view((6.65, 51.29, 11.6, 53.9), 1600, 500)
    _, narrow = maps.fit_view((6.65, 51.29, 11.6, 53.9), 300, 500)
    assert wide > narrow and center["lon"] == pytest.approx(9.125)
    # 4.95° of longitude in 300 - 2 × 12 px at this zoom: 512 × 2^z px per 360°.
    assert 512 * 2**narrow * 4.95 / 360 == pytest.approx(276)
    fitted = maps.fit(fig, 1600, 900)
    assert fitted.layout.meta["view"] == [
        fitted.layout.map.center.lon,
        fitted.layout.map.center.lat,
        fitted.layout.map.zoom,
    ]


def test_key_mismatch_lists_both_directions():
    result = maps.key_mismatch(["03151", "03152", "03999"], GEOJSON)
    assert result == {"no_boundary": ["03999"], "no_data": ["03153"]}
    assert maps.key_mismatch(["03151"], None) == {"no_boundary": [], "no_data": []}


def test_distribution_uses_map_classes():
    breaks = [120, 130, 140, 163]
    legend = maps.Classes(breaks, maps.class_labels(breaks, share=False), breaks, [])
    fig = charts.distribution(DF, value="n_services", title="Verteilung", x_title="Onlinedienste", legend=legend)
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
    assert "stichtag" not in w.file_part(view, dt.date(2025, 12, 31))  # the Stand date follows in file_name
    text = w.content(view)
    assert "Themenfeld Gesundheit" in text and "31.12.2025" in text and "**" not in text


def test_axes_write_thousands_the_german_way():
    import plotly.graph_objects as go

    from charts import theme

    fig = theme.apply(go.Figure(go.Bar(x=["a"], y=[25_000])), title="t")
    layout = fig.layout.template.layout
    assert layout.yaxis.exponentformat == "none" and layout.yaxis.separatethousands  # 25.000, not 25k
    assert fig.layout.separators == ",."
