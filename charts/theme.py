"""Shared look of all figures: colour-blind-safe scales, German separators, readable fonts."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from formatting import PLOTLY_SEPARATORS

# Okabe–Ito qualitative palette (distinguishable with all common colour-vision deficiencies).
QUALITATIVE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Sequential scale: viridis is perceptually uniform and colour-blind safe. Not cividis: its two dark classes
# (navy, slate; ΔE 23) ran together on a projector and its middle class is the grey of "keine Daten". Five viridis
# classes step L* 15 – 35 – 54 – 73 – 91 with ΔE ≥ 37 between neighbours, and change hue as well.
SEQUENTIAL = "viridis"
# Blue for "on track", orange/vermillion for "behind": safe for red-green deficiencies.
GOOD, WARN, BAD, NEUTRAL = "#0072B2", "#E69F00", "#D55E00", "#6E6E6E"
# "Source Sans" is the font Streamlit bundles (served locally), so figures match the page text.
FONT = dict(family="Source Sans, Source Sans Pro, Arial, sans-serif", size=14, color="#1F1F1F")


# The trace types the app draws (charts/, reports/): plotly_white's defaults for them are kept.
_TRACE_TYPES = ("bar", "heatmap", "scatter", "choropleth", "funnel")
# Subplot kinds the app never draws (3-D scenes, polar, ternary, geo); their defaults are not sent.
_UNUSED_LAYOUT = ("polar", "ternary", "scene", "geo")


def _compact_template() -> go.layout.Template:
    """plotly_white without the defaults of trace and subplot types the app never draws.

    The template travels inside every figure sent to the browser: plotly_white is 7 KB per figure, this one about a
    third of it and looks the same for every chart the app draws.
    """
    white = pio.templates["plotly_white"].to_plotly_json()
    data = {k: v for k, v in white["data"].items() if k in _TRACE_TYPES}
    layout = {k: v for k, v in white["layout"].items() if k not in _UNUSED_LAYOUT}
    # German axis numbers: "25.000", not plotly's SI "25k" (k/M/G are not German usage).
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {**layout.get(axis, {}), "exponentformat": "none", "separatethousands": True}
    return go.layout.Template(data=data, layout=layout)


TEMPLATE = _compact_template()


def apply(fig: go.Figure, *, title: str, x_title: str | None = None, y_title: str | None = None) -> go.Figure:
    """Title, axis labels, German separators and a white background on any figure."""
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17, weight="bold")),
        separators=PLOTLY_SEPARATORS,
        font=FONT,
        template=TEMPLATE,
        colorway=QUALITATIVE,
        margin=dict(l=10, r=10, t=60, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig
