"""Figures for online services per unit: distribution over units, a unit's timeline and the monthly usage."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts import theme
from charts.maps import Classes, class_colours, classes


def distribution(
    df: pd.DataFrame, *, value: str, title: str, x_title: str, share: bool = False, legend: Classes | None = None
) -> go.Figure:
    """Bars: how many units fall into each class of the map legend (same classes and colours as the map)."""
    legend = legend or classes(df[value], share=share)
    labels = legend.labels
    counts = pd.cut(df[value].dropna(), bins=legend.breaks, labels=labels, include_lowest=True).value_counts(sort=False)
    colours = class_colours(len(labels))
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=counts.reindex(labels, fill_value=0).values,
            marker_color=colours,
            hovertemplate="%{x}: %{y} Einheiten<extra></extra>",
        )
    )
    return theme.apply(fig, title=title, x_title=x_title, y_title="Anzahl Einheiten")


def timeline(df: pd.DataFrame, *, title: str) -> go.Figure:
    """Lines: services (and Fokusleistungen) available to the unit's residents at each quarter end."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=df["date"],
            y=df["n_services"],
            mode="lines+markers",
            name="Onlinedienste",
            line=dict(color=theme.QUALITATIVE[0], width=3),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=df["date"],
            y=df["n_focus"],
            mode="lines+markers",
            name="davon Fokusleistungen",
            line=dict(color=theme.QUALITATIVE[1], width=3, dash="dash"),
        )
    )
    fig.update_xaxes(tickformat="%m/%Y")
    return theme.apply(fig, title=title, x_title="Quartalsende", y_title="Anzahl Onlinedienste")


def usage(df: pd.DataFrame, *, title: str) -> go.Figure:
    """Bars: applications per month (queries.usage.monthly)."""
    fig = go.Figure(
        go.Bar(
            x=pd.to_datetime(df["month"]),
            y=df["transactions"],
            name="Anträge",
            marker_color=theme.QUALITATIVE[0],
            hovertemplate="%{x|%m/%Y}: %{y:,.0f} Anträge<extra></extra>",
        )
    )
    fig.update_xaxes(tickformat="%m/%Y", dtick="M3")
    return theme.apply(fig, title=title, x_title="Monat", y_title="Anträge je Monat")


MATURITY_NAMES = {
    0: "0 offline",
    1: "1 Information",
    2: "2 Formular-Assistent",
    3: "3 Online-Leistung",
    4: "4 Online-Transaktion",
}


def maturity(table: pd.DataFrame, *, title: str) -> go.Figure:
    """Bars per Reifegrad: counted (online) in the main colour, not counted and unknown in grey with a hatch."""
    labels = [
        f"{m} · {r}" if m != "–" else r for m, r in zip(table["Reifegradmodell"], table["Reifegrad"], strict=True)
    ]
    counted = table["zählt als online"] == "ja"
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=table["Onlinedienste im Katalog"],
            marker=dict(
                color=[theme.QUALITATIVE[0] if c else "#767676" for c in counted],
                pattern=dict(shape=["" if c else "/" for c in counted], fgcolor="#FFFFFF"),
            ),
            hovertemplate="%{x}: %{y} Dienste<extra></extra>",
        )
    )
    return theme.apply(fig, title=title, x_title="Reifegrad (Modell · Stufe)", y_title="Anzahl Onlinedienste")
