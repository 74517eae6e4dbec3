"""eAkte figures: users over time with target and forecast, go-live timeline per authority, status per Ressort."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from charts import theme
from formatting import date, month, num, pct

STATUS_COLOURS = {
    "produktiv": theme.GOOD,
    "in Einführung": theme.WARN,
    "geplant": theme.NEUTRAL,
    "keine Daten": "#BDBDBD",
}
BAND_FILL = "rgba(230, 159, 0, 0.18)"  # WARN, transparent: the forecast band behind the dashed trend
USER_UNITS = ("Nutzende", "Arbeitsplätze")
# Legend under the plot, anchored to the figure's bottom edge, so it never covers the title on narrow screens.
BOTTOM_LEGEND = dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left")


def forecast_label(months: int) -> str:
    return f"Prognose (linearer Trend der letzten {months} Monate, keine Planung)"


def _vline(fig: go.Figure, x: dt.date, text: str, dash: str, *, left: bool = False) -> None:
    # add_vline cannot annotate date axes reliably: draw shape and annotation separately.
    fig.add_shape(
        type="line",
        xref="x",
        yref="paper",
        x0=x,
        x1=x,
        y0=0,
        y1=1,
        line=dict(color=theme.NEUTRAL, width=1.5, dash=dash),
    )
    fig.add_annotation(
        x=x,
        y=1,
        xref="x",
        yref="paper",
        text=text,
        showarrow=False,
        xanchor="right" if left else "left",
        yanchor="top",
        font=dict(size=13, color="#1F1F1F"),
        bgcolor="rgba(255,255,255,0.8)",
    )


def users_chart(
    series: pd.DataFrame,
    forecast: dict,
    milestones: pd.DataFrame,
    *,
    months: int,
    target: float | None,
    target_date: dt.date | None,
    deadline: dt.date | None,
) -> go.Figure:
    """Active users per Stichtag, the dashed forecast with its band, the target line and published figures.

    series: snapshot_date, active_users; forecast: linear_forecast's dict; milestones: date, value, unit, label.
    """
    fig = go.Figure()
    line = forecast.get("line")
    if line is not None and not line.empty:
        fig.add_trace(
            go.Scatter(
                x=list(line["date"]) + list(line["date"])[::-1],
                y=list(line["upper"]) + list(line["lower"])[::-1],
                fill="toself",
                fillcolor=BAND_FILL,
                line=dict(width=0),
                hoverinfo="skip",
                name="Prognoseband (± 2 × Streuung um den Trend)",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=line["date"],
                y=line["trend"],
                mode="lines",
                name=forecast_label(months),
                line=dict(color=theme.BAD, width=3, dash="dash"),
                hovertemplate="%{x|%m.%Y}: %{y:,.0f} (Prognose)<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=series["snapshot_date"],
            y=series["active_users"],
            mode="lines+markers",
            name="Aktive Nutzende (Ist)",
            line=dict(color=theme.GOOD, width=3),
            marker=dict(size=6),
            hovertemplate="%{x|%d.%m.%Y}: %{y:,.0f} Nutzende<extra></extra>",
        )
    )
    pub = milestones[milestones["unit"].isin(USER_UNITS)] if not milestones.empty else milestones
    if not pub.empty:
        fig.add_trace(
            go.Scatter(
                x=pub["date"],
                y=pub["value"],
                mode="markers",
                name="Veröffentlichte Zahl",
                marker=dict(symbol="diamond", size=13, color="#000000", line=dict(color="#FFFFFF", width=1)),
                # Units as published (Nutzende or Arbeitsplätze) and the publication, so a reader sees what is compared.
                customdata=pub.assign(
                    where=pub["source"] if "source" in pub else "",
                )[["label", "unit", "where"]],
                hovertemplate="veröffentlicht: %{customdata[0]} (%{customdata[1]})<br>Quelle: %{customdata[2]}"
                "<extra></extra>",
            )
        )
    if target:
        fig.add_hline(
            y=target,
            line=dict(color="#000000", width=1.5, dash="dot"),
            annotation_text=f"Ziel ca. {num(target)} Arbeitsplätze inkl. Justiz"
            + (f" bis {date(target_date)}" if target_date else ""),
            annotation_position="top left",
            annotation_font_size=14,
        )
    if deadline:
        _vline(fig, deadline, f"NDIG § 10: {date(deadline)}", "dot")
    last = int(series["active_users"].iloc[-1]) if not series.empty else None
    if last is None:
        title = "eAkte-Nutzende: noch keine Daten"
    elif target:
        # The target counts workplaces including the justice sector, the series active users: approximate only.
        title = (
            f"eAkte-Nutzende: {num(last)} (Ziel ca. {num(target)} Arbeitsplätze inkl. Justiz), "
            f"Stand {month(series['snapshot_date'].iloc[-1])}"
        )
    else:
        title = f"eAkte-Nutzende: {num(last)}, Stand {month(series['snapshot_date'].iloc[-1])}"
    theme.apply(fig, title=title, x_title="Monat", y_title="Aktive Nutzende (Anzahl)")
    fig.update_layout(height=560, legend=BOTTOM_LEGEND, hovermode="closest", margin=dict(b=120))
    fig.update_yaxes(rangemode="tozero", tickformat=",d")
    fig.update_xaxes(tickformat="%m.%Y")
    return fig


def _label(code: str, name: str, width: int = 38) -> str:
    short = name if len(name) <= width else name[: width - 1] + "…"
    return f"{short} ({code})"


def timeline_chart(df: pd.DataFrame, *, as_of: dt.date, deadline: dt.date | None) -> go.Figure:
    """Planned and actual go-live per authority; a line from the planned date to the go-live or, when the
    authority is late, to the Stand (ending in a cross). df: authorities() rows."""
    d = df[df["planned_go_live"].notna() | df["go_live_date"].notna()].copy()
    d = d.sort_values(["ministry_code", "planned_go_live", "name"], na_position="last")
    d["label"] = [f"{m} · {_label(c, n)}" for m, c, n in zip(d["ministry_code"], d["code"], d["name"], strict=True)]
    order = list(d["label"])
    fig = go.Figure()
    xs, ys = [], []
    for r in d.itertuples():
        end = r.go_live_date if pd.notna(r.go_live_date) else (as_of if r.late else None)
        if pd.notna(r.planned_go_live) and end is not None and end != r.planned_go_live:
            xs += [r.planned_go_live, end, None]
            ys += [r.label, r.label, None]
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="Abweichung vom Plan",
                line=dict(color=theme.NEUTRAL, width=3),
                hoverinfo="skip",
            )
        )
    hover = "%{y}<br>%{x|%d.%m.%Y}: "
    planned = d[d["planned_go_live"].notna()]
    fig.add_trace(
        go.Scatter(
            x=planned["planned_go_live"],
            y=planned["label"],
            mode="markers",
            name="Geplanter Start",
            marker=dict(symbol="circle-open", size=11, color="#000000", line=dict(width=2)),
            hovertemplate=hover + "geplanter Start<extra></extra>",
        )
    )
    live = d[d["go_live_date"].notna()]
    fig.add_trace(
        go.Scatter(
            x=live["go_live_date"],
            y=live["label"],
            mode="markers",
            name="Produktivstart",
            marker=dict(symbol="diamond", size=11, color=theme.GOOD),
            hovertemplate=hover + "produktiv<extra></extra>",
        )
    )
    late = d[d["late"]]
    if not late.empty:
        fig.add_trace(
            go.Scatter(
                x=[as_of] * len(late),
                y=late["label"],
                mode="markers",
                name="Verzug: noch nicht produktiv (Stand)",
                marker=dict(symbol="x", size=13, color=theme.BAD),
                customdata=late[["status"]],
                hovertemplate="%{y}<br>Start überfällig, Status: %{customdata[0]}<extra></extra>",
            )
        )
    # Stand and deadline can lie close together: write the Stand to the left of its line.
    _vline(fig, as_of, f"Stand {date(as_of)}", "dash", left=True)
    if deadline:
        _vline(fig, deadline, f"NDIG § 10: {date(deadline)}", "dot")
    n_late = int(d["late"].sum())
    title = (
        f"Einführungstermine: {n_late} Behörde{'n' if n_late != 1 else ''} mit überfälligem Start"
        if n_late
        else "Einführungstermine: kein Start überfällig"
    )
    theme.apply(fig, title=title, x_title="Datum (geplanter und tatsächlicher Produktivstart)", y_title="")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], automargin=True)
    fig.update_xaxes(tickformat="%m.%Y")
    fig.update_layout(
        height=max(360, 26 * len(order) + 220), hovermode="closest", legend=BOTTOM_LEGEND, margin=dict(t=70, b=120)
    )
    return fig


def ministry_chart(df: pd.DataFrame) -> go.Figure:
    """Each Ressort's authorities by eAkte status as shares (100 % = its authorities in the rollout), where the most
    is left to do at the top (df: by_ministry() rows, already in that order). Counts, and the users against the
    planned workplaces, are in the hover and the table alternative."""
    fig = go.Figure()
    cols = {"produktiv": "productive", "in Einführung": "in_rollout", "geplant": "planned", "keine Daten": "no_data"}
    authorities = df["authorities"].astype(int)
    labels = [f"{code} ({num(n)})" for code, n in zip(df["ministry_code"], authorities, strict=True)]
    usage = [
        f"Nutzung: {num(users)} aktive Nutzende bei {num(plan)} geplanten Arbeitsplätzen ({pct(share)})"
        if plan and not pd.isna(share)
        else "Nutzung: keine geplanten Arbeitsplätze gemeldet"
        for users, plan, share in zip(df["active_users"], df["planned_workplaces"], df["adoption"], strict=True)
    ]
    for status, col in cols.items():
        values = df[col].astype(int) if col in df else pd.Series(0, index=df.index)
        if not values.any():
            continue
        shares = values / authorities.where(authorities > 0)
        counts = [
            f"{status}: {num(v)} von {num(n)} Behörden ({pct(x)})"
            for v, n, x in zip(values, authorities, shares.fillna(0), strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=shares * 100,
                name=status,
                orientation="h",
                marker=dict(color=STATUS_COLOURS[status], line=dict(color="#FFFFFF", width=1)),
                text=[pct(x) if x >= 0.1 else "" for x in shares.fillna(0)],
                textposition="inside",
                insidetextanchor="middle",
                customdata=list(zip(df["ministry"], counts, usage, strict=True)),
                hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            )
        )
    total, productive = int(authorities.sum()), int(df["productive"].sum())
    theme.apply(
        fig,
        title=f"eAkte je Ressort, am meisten zu tun oben: {num(productive)} von {num(total)} Behörden produktiv",
        x_title="Anteil der Behörden des Ressorts (%)",
        y_title="Ressort (Behörden)",
    )
    fig.update_layout(barmode="stack", height=max(320, 42 * len(df) + 160), legend_traceorder="normal")
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])  # first row (most to do) at the top
    fig.update_xaxes(range=[0, 100], ticksuffix=" %", dtick=20)
    return fig
