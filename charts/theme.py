"""Shared look of all figures: colour-blind-safe scales, German separators, readable fonts."""

from __future__ import annotations

import plotly.graph_objects as go

from formatting import PLOTLY_SEPARATORS

# Okabe–Ito qualitative palette (distinguishable with all common colour-vision deficiencies).
QUALITATIVE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Sequential scale: cividis is perceptually uniform and colour-blind safe.
SEQUENTIAL = "cividis"
# Blue for "on track", orange/vermillion for "behind": safe for red-green deficiencies.
GOOD, WARN, BAD, NEUTRAL = "#0072B2", "#E69F00", "#D55E00", "#6E6E6E"
# "Source Sans" is the font Streamlit bundles (served locally), so figures match the page text.
FONT = dict(family="Source Sans, Source Sans Pro, Arial, sans-serif", size=14, color="#1F1F1F")


def apply(fig: go.Figure, *, title: str, x_title: str | None = None, y_title: str | None = None) -> go.Figure:
    """Title, axis labels, German separators and a white background on any figure."""
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17, weight="bold")),
        separators=PLOTLY_SEPARATORS,
        font=FONT,
        template="plotly_white",
        colorway=QUALITATIVE,
        margin=dict(l=10, r=10, t=60, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig
