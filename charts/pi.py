"""PI predictability figures and tables: programme trend with the 80–100 % band, team × PI heatmap."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts import theme
from formatting import num, pct

BAND = (0.8, 1.0)
RUNNING, PLANNED = "läuft", "geplant"
# Categories of the heatmap and the markers: blue = in or above the band, orange shades = below it,
# grey = nothing to score. Blue/orange stay distinguishable with red-green colour-vision deficiencies.
CATEGORIES = [
    ("n/a · läuft", "#D9D9D9"),
    ("unter 50 %", theme.BAD),
    ("50 bis unter 80 %", theme.WARN),
    ("80–100 % (Zielband)", theme.GOOD),
    ("über 100 %", "#56B4E9"),
]
PROJECTOR_FONT = 18
LABELLED_RECENT = 8


def label(value, status: str) -> str:
    """What a cell shows: 'läuft' / 'geplant' for unfinished PIs, 'n/a' without committed BV, else '87 %'."""
    if status in (RUNNING, PLANNED):
        return status
    return pct(value)


def category(value, status: str = "abgeschlossen") -> int:
    """Index into CATEGORIES; the band edges use the exact value, not the rounded label."""
    if status in (RUNNING, PLANNED) or value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    if value < 0.5:
        return 1
    if value < BAND[0]:
        return 2
    if value <= BAND[1]:
        return 3
    return 4


def bv(value) -> str:
    """Business value as shown: 18 -> '18', 7.5 -> '7,5', missing -> '–'."""
    if value is None or pd.isna(value):
        return "–"
    return num(value, 0 if float(value).is_integer() else 1)


def _pi_name(number) -> str:
    return f"PI {int(number)}"


def programme_chart(df: pd.DataFrame) -> go.Figure:
    """Line of the programme predictability per PI, the 80–100 % band shaded, 'läuft' for the running PI.

    df: data_access.queries.pi.programme_predictability (planned PIs are left out: nothing to show yet).
    """
    df = df[df["status"] != PLANNED]
    done = df[df["predictability"].notna()]
    open_ = df[df["status"] == RUNNING]
    fig = go.Figure()
    fig.add_hrect(y0=BAND[0] * 100, y1=BAND[1] * 100, fillcolor=theme.GOOD, opacity=0.15, line_width=0, layer="below")
    fig.add_hline(
        y=BAND[0] * 100,
        line=dict(color=theme.GOOD, width=2, dash="dash"),
        annotation_text="Zielband 80–100 %",
        annotation_position="bottom right",
        annotation_font=dict(size=PROJECTOR_FONT, color=theme.GOOD),
    )
    fig.add_hline(y=BAND[1] * 100, line=dict(color=theme.GOOD, width=2, dash="dash"))
    cats = [category(v) for v in done["predictability"]]
    # Labels on every point overlap on a projector: label the recent PIs and every PI outside the band.
    recent = set(done["pi_number"].tail(LABELLED_RECENT))
    labels = [
        pct(v) if n in recent or c != 3 else ""
        for n, v, c in zip(done["pi_number"], done["predictability"], cats, strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=[_pi_name(n) for n in done["pi_number"]],
            y=done["predictability"] * 100,
            mode="lines+markers+text",
            name="Vorhersagbarkeit",
            text=labels,
            textposition="top center",
            textfont=dict(size=PROJECTOR_FONT - 4),
            line=dict(color=theme.NEUTRAL, width=3),
            marker=dict(
                size=14,
                color=[CATEGORIES[c][1] for c in cats],
                symbol=["circle" if c >= 3 else "diamond" for c in cats],
                line=dict(color="white", width=1),
            ),
            customdata=list(zip(done["quarter"], done["objectives"], strict=True)),
            hovertemplate="%{x} (%{customdata[0]}): %{y:.0f} %<br>%{customdata[1]} Ziele<extra></extra>",
        )
    )
    if not open_.empty:
        fig.add_trace(
            go.Scatter(
                x=[_pi_name(n) for n in open_["pi_number"]],
                y=[sum(BAND) * 50] * len(open_),
                mode="text",
                text=[RUNNING] * len(open_),
                name="PI läuft",
                textfont=dict(size=PROJECTOR_FONT, color=theme.NEUTRAL),
                hovertemplate="%{x}: läuft – noch nicht bewertet<extra></extra>",
            )
        )
    top = max([120.0, *(done["predictability"] * 100 + 15)])
    theme.apply(
        fig,
        title="Vorhersagbarkeit des Programms je PI (Zielband 80–100 %)",
        x_title="Program Increment",
        y_title="Vorhersagbarkeit in %",
    )
    fig.update_yaxes(range=[0, top], ticksuffix=" %", dtick=20)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[_pi_name(n) for n in df["pi_number"]])
    fig.update_layout(font=dict(size=PROJECTOR_FONT), showlegend=False, height=480)
    return fig


def team_heatmap(df: pd.DataFrame, *, last: int = 8) -> go.Figure:
    """Team × PI heatmap of the team predictability for the last `last` PIs, each cell labelled.

    df: data_access.queries.pi.team_predictability. Empty cells: the team had no objectives in that PI.
    """
    pis = sorted(df["pi_number"].unique())[-last:] if not df.empty else []
    df = df[df["pi_number"].isin(pis)]
    teams = sorted(df["team"].unique(), reverse=True)  # plotly draws the first row at the bottom
    cols = [_pi_name(n) for n in pis]
    z = pd.DataFrame(float("nan"), index=teams, columns=cols)
    text = pd.DataFrame("", index=teams, columns=cols)
    for r in df.itertuples():
        z.loc[r.team, _pi_name(r.pi_number)] = category(r.predictability, r.status)
        text.loc[r.team, _pi_name(r.pi_number)] = label(r.predictability, r.status)
    n = len(CATEGORIES)
    # A stepped colour scale: one flat colour per category index 0…n-1.
    scale = [s for i, (_, colour) in enumerate(CATEGORIES) for s in ((i / n, colour), ((i + 1) / n, colour))]
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(),
            x=cols,
            y=teams,
            text=text.to_numpy(),
            texttemplate="%{text}",
            textfont=dict(size=PROJECTOR_FONT - 2),
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            xgap=3,
            ygap=3,
            colorbar=dict(
                title=dict(text="Vorhersagbarkeit"),
                tickvals=list(range(n)),
                ticktext=[name for name, _ in CATEGORIES],
                tickfont=dict(size=PROJECTOR_FONT - 4),
            ),
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
            hoverongaps=False,
        )
    )
    span = f"{cols[0]}–{cols[-1]}" if cols else "keine PIs"
    theme.apply(fig, title=f"Vorhersagbarkeit je Team und PI ({span})", x_title="Program Increment", y_title="Team")
    fig.update_layout(
        font=dict(size=PROJECTOR_FONT), height=max(320, 160 + 38 * len(teams)), margin=dict(l=10, r=10, t=110, b=10)
    )
    fig.update_xaxes(side="top", title_standoff=4)
    return fig
