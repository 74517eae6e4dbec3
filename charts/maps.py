"""Offline choropleth maps of Niedersachsen (plotly choropleth_map on a white background, local GeoJSON)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from charts import theme
from formatting import num, pct

# No tiles: "white-bg" is the only map style that needs no network (nothing may leave 127.0.0.1).
MAP_STYLE = "white-bg"
CENTER = {"lat": 52.75, "lon": 9.1}
ZOOM = 6.0
MISSING_COLOUR = "#D9D9D9"


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


def stepped_scale(breaks: list[float], scale: str = theme.SEQUENTIAL) -> list[list]:
    """A continuous colour scale made of flat steps, one colour per class (a classed map in one trace)."""
    lo, hi = breaks[0], breaks[-1]
    span = hi - lo or 1
    colours = sample_colorscale(scale, [i / max(len(breaks) - 2, 1) for i in range(len(breaks) - 1)])
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
    breaks: list[float] | None = None,
) -> go.Figure:
    """Classed choropleth of `df[value]` per `df.ars` on the features of `geojson` (feature id = ARS): the
    FeatureCollection, or the address the browser loads it from (geo.load.url; sent once instead of in every figure).

    df needs ars, name, unit_type and the value column. Units with no value are drawn grey in a
    second trace ("keine Daten") so they are visible but not mistaken for zero.
    """
    breaks = breaks or class_breaks(df[value], share=share)
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
        center=CENTER,
        zoom=ZOOM,
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
    tickvals = breaks
    fig.update_layout(
        coloraxis_colorbar=dict(
            title=dict(text=legend_title),
            tickvals=tickvals,
            ticktext=[_fmt(b, share) for b in tickvals],
            len=0.8,
            thickness=14,
        ),
        map=dict(style=MAP_STYLE, center=CENTER, zoom=ZOOM),
        height=620,
        clickmode="event+select",
        dragmode=False,
    )
    theme.apply(fig, title=title)
    return fig


def key_mismatch(data_keys: pd.Series | list[str], geojson: dict | None) -> dict:
    """Keys in the data without a boundary and boundaries without data (e.g. after a merger).

    Returns {"no_boundary": sorted keys, "no_data": sorted keys}; without GeoJSON both are empty.
    """
    if not geojson:
        return {"no_boundary": [], "no_data": []}
    data = {str(k) for k in data_keys}
    shapes = {str(f.get("id") or f.get("properties", {}).get("ars")) for f in geojson.get("features", [])}
    return {"no_boundary": sorted(data - shapes), "no_data": sorted(shapes - data)}
