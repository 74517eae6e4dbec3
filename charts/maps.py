"""Offline choropleth maps of Niedersachsen (plotly choropleth_map on a white background, local GeoJSON)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from charts import theme
from formatting import num, pct
from geo.load import extent

# No tiles: "white-bg" is the only map style that needs no network (nothing may leave 127.0.0.1).
MAP_STYLE = "white-bg"
# The extent of Niedersachsen (VG5000, with the islands): the view when the boundaries name no extent of their own.
BOUNDS = (6.65, 51.29, 11.60, 53.90)
HEIGHT = 620
# plotly.js 4 auto-fits map subplots to scattermap data only, never to choroplethmap (plotly.js #7911), so the view
# is computed here for a known size (images, slides) and refitted in the browser to the map's actual size
# (pages/_widgets.MAP_FIT_JS reads layout.meta["fit"]). Pixels kept free around the state on each side:
FIT_PADDING = 12
TILE = 512  # MapLibre's world size in pixels at zoom 0
MISSING_COLOUR = "#D9D9D9"


def _mercator_y(lat: float) -> float:
    phi = math.radians(lat)
    return (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2


def fit_view(bounds: tuple[float, float, float, float], width: float, height: float, *, padding: float = FIT_PADDING):
    """Center and zoom that show `bounds` (west, south, east, north) whole in a map of width × height pixels
    (Web Mercator as MapLibre draws it; the same as MapLibre's fitBounds with that padding)."""
    west, south, east, north = bounds
    dx = max((east - west) / 360, 1e-9)
    y_top, y_bottom = _mercator_y(north), _mercator_y(south)
    dy = max(y_bottom - y_top, 1e-9)
    scale = min(max(width - 2 * padding, 1) / (dx * TILE), max(height - 2 * padding, 1) / (dy * TILE))
    y_mid = (y_top + y_bottom) / 2
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y_mid))))
    return {"lon": (west + east) / 2, "lat": lat}, math.log2(scale)


def plot_area(fig: go.Figure, width: float, height: float) -> tuple[float, float]:
    """The map's own pixels in a figure of width × height: minus margins, title and the colour bar below it."""
    m = fig.layout.margin
    font = (fig.layout.font.size if fig.layout.font and fig.layout.font.size else theme.FONT["size"]) or 14
    bar = 0
    if fig.layout.coloraxis and fig.layout.coloraxis.colorbar:
        bar = (fig.layout.coloraxis.colorbar.thickness or 30) + 3.5 * font  # bar, tick labels and its title
    return (
        width - (m.l if m.l is not None else 80) - (m.r if m.r is not None else 80),
        height - (m.t if m.t is not None else 100) - max(m.b if m.b is not None else 80, bar),
    )


def fit(fig: go.Figure, width: float, height: float | None = None) -> go.Figure:
    """Set the view of a map figure so its data's extent (layout.meta["fit"]) fits a width × height rendering."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    if not meta.get("fit"):
        return fig
    w, h = plot_area(fig, width, height or fig.layout.height or HEIGHT)
    center, zoom = fit_view(tuple(meta["fit"]), w, h)
    # meta.view: the view as sent; the browser refits only that one (or its own last fit), never a user's zoom.
    fig.update_layout(map=dict(center=center, zoom=zoom), meta={**meta, "view": [center["lon"], center["lat"], zoom]})
    return fig


def _nice_step(span: float) -> float:
    """1, 2 or 5 times a power of ten, at least 1 (counts are whole numbers)."""
    exp = 10 ** math.floor(math.log10(span)) if span > 0 else 1
    step = min((m * exp for m in (1, 2, 5, 10)), key=lambda c: abs(c - span))
    return max(step, 1.0)


def class_breaks(values: pd.Series, *, share: bool, classes: int = 5) -> list[float]:
    """Class limits for the legend: fixed 20-%-steps for shares, quantiles on a round grid for counts.

    Fixed steps keep share maps comparable between filters; counts are skewed, so quantiles give
    every class some units, rounded to a grid of 1/2/5 × 10^k so the legend reads 120 – 130 – 140.
    The list starts at the minimum and ends at the maximum.
    """
    if share:
        return [i / classes for i in range(classes + 1)]
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return [0.0, 1.0]
    lo, hi = float(v.min()), float(v.max())
    if hi <= lo:
        return [lo, lo + 1]
    step = _nice_step((hi - lo) / classes)
    inner = sorted({round(x / step) * step for x in np.quantile(v, [i / classes for i in range(1, classes)])})
    inner = [float(b) for b in inner if lo < b < hi]
    if len(inner) < 2:  # very skewed (most units equal): fall back to equal steps on the same grid
        inner = [float(b) for b in np.arange(math.ceil(lo / step) * step, hi, step) if lo < b < hi][: classes - 1]
    return [lo, *inner, hi]


@dataclass(frozen=True)
class Classes:
    """The classes of a map legend: limits (first to last), a label per class and the colour bar's ticks."""

    breaks: list[float]
    labels: list[str]
    ticks: list[float]
    ticktext: list[str]


def classes(values: pd.Series, *, share: bool, n: int = 5) -> Classes:
    """The legend's classes. Counts with at most `n` distinct values get one class per value (legend "0", "1"):
    ranges over 4 Kreise with 1 and 41 with 0 made one class "0 – 1" in one colour. Otherwise class_breaks."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    distinct = sorted({float(x) for x in v})
    if not share and 1 <= len(distinct) <= n:
        gaps = [b - a for a, b in zip(distinct[:-1], distinct[1:], strict=True)] or [1.0]
        half = min(gaps) / 2
        # Each value in the middle of its own class: limits half-way between neighbouring values.
        breaks = [distinct[0] - half, *((a + b) / 2 for a, b in zip(distinct[:-1], distinct[1:], strict=True))]
        breaks.append(distinct[-1] + half)
        text = [_fmt(x, share) for x in distinct]
        return Classes(breaks, text, distinct, text)
    breaks = class_breaks(v, share=share, classes=n)
    return Classes(breaks, class_labels(breaks, share=share), breaks, [_fmt(b, share) for b in breaks])


def class_colours(count: int, scale: str = theme.SEQUENTIAL) -> list[str]:
    """One colour per class, from the darkest to the lightest end of the scale (the map and its distribution)."""
    return sample_colorscale(scale, [i / max(count - 1, 1) for i in range(count)])


def stepped_scale(breaks: list[float], scale: str = theme.SEQUENTIAL) -> list[list]:
    """A continuous colour scale made of flat steps, one colour per class (a classed map in one trace)."""
    lo, hi = breaks[0], breaks[-1]
    span = hi - lo or 1
    colours = class_colours(len(breaks) - 1, scale)
    steps = []
    for i, colour in enumerate(colours):
        steps += [[(breaks[i] - lo) / span, colour], [(breaks[i + 1] - lo) / span, colour]]
    return steps


def _fmt(value: float, share: bool) -> str:
    return pct(value) if share else num(value)


def class_labels(breaks: list[float], *, share: bool) -> list[str]:
    """'0 – 20 %' style labels of the classes (upper limit included in the class)."""
    return [f"{_fmt(a, share)} – {_fmt(b, share)}" for a, b in zip(breaks[:-1], breaks[1:], strict=True)]


def choropleth(
    df: pd.DataFrame,
    geojson: dict | str,
    *,
    value: str,
    title: str,
    legend_title: str,
    share: bool = False,
    legend: Classes | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> go.Figure:
    """Classed choropleth of `df[value]` per `df.ars` on the features of `geojson` (feature id = ARS): the
    FeatureCollection, or the address the browser loads it from (geo.load.url; sent once instead of in every figure).

    df needs ars, name, unit_type and the value column. Units with no value are drawn grey in a
    second trace ("keine Daten") so they are visible but not mistaken for zero.
    `bounds` (west, south, east, north): the extent to fit the view to; by default that of the GeoJSON
    (geo.load.level_extent when it is given by address), else Niedersachsen's.
    """
    bounds = tuple(bounds or (extent(geojson) if isinstance(geojson, dict) else None) or BOUNDS)
    legend = legend or classes(df[value], share=share)
    breaks = legend.breaks
    data = df.assign(value_text=df[value].map(lambda v: "keine Daten" if pd.isna(v) else _fmt(v, share)))
    if "category" in data:  # a forest or island is not missing data: nobody lives there
        data.loc[data["category"] == "gemeindefrei", "value_text"] = "gemeindefrei, keine Einwohner"
    known = data.loc[data[value].notna()]
    # Compact z for the wire (plotly sends numpy arrays as typed binary): counts as small integers, shares as
    # float32 (their hover shows the formatted value_text); the ARS comes from %{location}.
    z = known[value].to_numpy(dtype=float)
    whole = np.all(z == np.round(z)) and (z.size == 0 or np.abs(z).max() < 2**15)
    known = known.assign(**{value: z.astype(np.int16) if whole else z.astype(np.float32)})
    fig = px.choropleth_map(
        known,
        geojson=geojson,
        locations="ars",
        color=value,
        hover_name="name",
        # Counts are shown from z itself (German separators from the theme), shares need the "87 %" text.
        custom_data=["unit_type", "value_text"] if share else ["unit_type"],
        color_continuous_scale=stepped_scale(breaks),
        range_color=(breaks[0], breaks[-1]),
        map_style=MAP_STYLE,
        opacity=0.9,
    )
    fig.update_traces(
        hovertemplate="<b>%{hovertext}</b><br>%{customdata[0]} · %{location}<br>"
        + legend_title
        + (": %{customdata[1]}" if share else ": %{z:,.0f}")
        + "<extra></extra>",
        marker_line_width=0.4,
        marker_line_color="#FFFFFF",
    )
    missing = data.loc[data[value].isna()]
    if not missing.empty:
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson,
                locations=missing["ars"],
                z=[0] * len(missing),
                showscale=False,
                colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
                hovertext=missing["name"],
                customdata=missing[["unit_type", "value_text"]].values,
                name="keine Daten",
                hovertemplate="<b>%{hovertext}</b><br>%{customdata[0]} · %{location}<br>%{customdata[1]}<extra></extra>",
                marker_line_width=0.4,
                marker_line_color="#FFFFFF",
            )
        )
    fig.update_layout(
        # Below the map, not beside it: in a narrow column a bar beside the map took half of its width.
        coloraxis_colorbar=dict(
            title=dict(text=legend_title, side="top"),
            tickvals=legend.ticks,
            ticktext=legend.ticktext,
            orientation="h",
            x=0.5,
            xanchor="center",
            y=0,
            yanchor="top",
            ypad=4,
            len=0.9,  # room for the first and last tick label ("100 %") inside the figure
            thickness=14,
        ),
        map=dict(style=MAP_STYLE),
        meta={"fit": list(bounds)},
        height=HEIGHT,
        clickmode="event+select",
        dragmode=False,
    )
    theme.apply(fig, title=title)
    # A first view for a map column of a 1366 px screen; the browser refits it to the map's actual size.
    return fit(fig, 700)


def key_mismatch(data_keys: pd.Series | list[str], geojson: dict | None) -> dict:
    """Keys in the data without a boundary and boundaries without data (e.g. after a merger).

    Returns {"no_boundary": sorted keys, "no_data": sorted keys}; without GeoJSON both are empty.
    """
    if not geojson:
        return {"no_boundary": [], "no_data": []}
    data = {str(k) for k in data_keys}
    shapes = {str(f.get("id") or f.get("properties", {}).get("ars")) for f in geojson.get("features", [])}
    return {"no_boundary": sorted(data - shapes), "no_data": sorted(shapes - data)}


# "Wo gibt es …?": one colour per status, from the colour-blind-safe palette (Okabe–Ito); "nicht angeboten" light grey
# like missing data would be misleading, so a distinct pale tone with white borders.
STATUS_COLOURS = {"live": theme.QUALITATIVE[2], "geplant": theme.QUALITATIVE[1], "nicht angeboten": "#C9D3DD"}


def status_map(
    df: pd.DataFrame,
    geojson: dict | str,
    *,
    title: str,
    bounds: tuple[float, float, float, float] | None = None,
) -> go.Figure:
    """Categorical map of `df.status` (live, geplant, nicht angeboten) per `df.ars`, hover with who offers it.

    df needs ars, name, unit_type, status and offered_by; one trace per status (the legend names them all, also the
    statuses no unit has, so the key is the same for every service).
    """
    bounds = tuple(bounds or (extent(geojson) if isinstance(geojson, dict) else None) or BOUNDS)
    data = df.assign(who=df["offered_by"].where(df["offered_by"] != "", "–"))
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        part = data[data["status"] == status]
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson,
                locations=part["ars"],
                z=[1] * len(part),
                showscale=False,
                colorscale=[[0, colour], [1, colour]],
                hovertext=part["name"],
                customdata=part[["unit_type", "who"]].values,
                name=status,
                showlegend=True,
                hovertemplate="<b>%{hovertext}</b><br>%{customdata[0]} · %{location}<br>"
                + status
                + " · angeboten von: %{customdata[1]}<extra></extra>",
                marker_line_width=0.4,
                marker_line_color="#FFFFFF",
                marker_opacity=0.9,
            )
        )
    fig.update_layout(
        map=dict(style=MAP_STYLE),
        meta={"fit": list(bounds)},
        height=HEIGHT,
        clickmode="event+select",
        dragmode=False,
        legend=dict(orientation="h", x=0, y=0, yanchor="top", title=dict(text="Status")),
    )
    theme.apply(fig, title=title)
    return fit(fig, 700)
