"""Figures of the Strategie page: coverage matrix, PI progress heatmap, epic funnel, types and runtimes."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts import theme
from formatting import num, pct

# Discrete cell colours of the coverage matrix (Okabe–Ito blue / orange tint / light grey: safe for
# all common colour-vision deficiencies and distinct in lightness, so they survive greyscale too).
NOT_LINKED, UNCOVERED, LINKED = "#EDEDED", "#F6CF8C", theme.GOOD
COVERAGE_SCALE = [
    [0.0, NOT_LINKED],
    [1 / 3, NOT_LINKED],
    [1 / 3, UNCOVERED],
    [2 / 3, UNCOVERED],
    [2 / 3, LINKED],
    [1.0, LINKED],
]
TOTAL = "Summe"
CELL_PX = 21
LABEL_CHARS = 36
STAGE_COLOURS = ["#56B4E9", "#0072B2", "#009E73", "#E69F00", "#CC79A7"]
RUNTIME_COLOURS = {"Laufzeit beendet": theme.BAD, "läuft": theme.GOOD, "offenes Ende": "#56B4E9"}


def short(text: str, chars: int = LABEL_CHARS) -> str:
    """Cut a label to `chars` characters with an ellipsis (the full text is in the hover)."""
    text = str(text)
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _wrap(text: str, width: int = 16) -> str:
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join([*lines, line])


LINKED_CELL, OPEN_CELL, UNCOVERED_CELL = "verknüpft", "nicht verknüpft", "keine umsetzende Maßnahme"


def coverage_heatmap(grid: pd.DataFrame) -> go.Figure:
    """Action-plan measure rows (grouped by chapter B.1–B.6) × strategic measures #1–#43 (grouped by domain).

    Cell values: 2 linked, 1 strategic measure without any implementing measure (whole column tinted),
    0 not linked. A row 'Summe' and a column 'Summe' carry the totals; a transparent marker layer on
    the cells carries the hover texts and makes cells clickable (Streamlit cannot select heatmap cells).
    `grid` is data_access.queries.strategy.coverage().
    """
    fig = go.Figure()
    if grid.empty:
        return theme.apply(fig, title="Keine Maßnahmen geladen")
    measures = grid.drop_duplicates("row_key").sort_values("row_no")
    strategic = grid.drop_duplicates("number").sort_values("number")
    col_total = grid.groupby("number")["linked"].sum()
    row_total = grid.groupby("row_key")["linked"].sum()
    uncovered = set(col_total[col_total == 0].index)

    x_keys = [f"#{n}" for n in strategic["number"]] + [TOTAL]
    x_text = [
        f"<b>#{n} {short(s, 30)}</b>" if n in uncovered else f"#{n} {short(s, 30)}"
        for n, s in zip(strategic["number"], strategic["short_name"], strict=True)
    ] + [f"<b>{TOTAL}</b>"]
    y_keys, y_text, header_rows = [], [], []
    for section, part in measures.groupby("section", sort=False):
        title = part["section_title"].iloc[0] or ""
        # Own key for the chapter header: chapter B.4 has a single measure row also keyed "B.4".
        y_keys.append(f"Kapitel {section}")
        y_text.append(f"<b>{short(f'{section} {title}', LABEL_CHARS)}</b>")
        header_rows.append(f"Kapitel {section}")
        for key, t in zip(part["row_key"], part["title"], strict=True):
            y_keys.append(key)
            y_text.append(short(f"{key} {t}", LABEL_CHARS))
    y_keys.append(TOTAL)
    y_text.append(f"<b>{TOTAL}</b>")

    linked = grid.pivot(index="row_key", columns="number", values="linked")
    z = np.full((len(y_keys), len(x_keys)), np.nan)
    for i, key in enumerate(y_keys):
        if key in linked.index:
            row = linked.loc[key, strategic["number"]].to_numpy()
            z[i, :-1] = np.where(row == 1, 2, np.where(np.isin(strategic["number"], list(uncovered)), 1, 0))
    fig.add_trace(
        go.Heatmap(
            x=x_keys,
            y=y_keys,
            z=z,
            zmin=0,
            zmax=2,
            colorscale=COVERAGE_SCALE,
            showscale=False,
            xgap=1,
            ygap=1,
            hoverinfo="skip",
            name="Verknüpfung",
        )
    )

    # Clickable, hoverable cell layer: one transparent square per measure × strategic measure, one trace per cell
    # status (the status is then part of the hover template, not of every cell). %{y} is the measure's key, %{x}
    # the strategic measure's number. Its full text is in the hover of linked cells and of its 'Summe' cell (with
    # the Handlungsfeld), not in all 43 cells of its column: repeated per cell it made this figure 0.5 MB a visit.
    cells = grid.assign(x=lambda d: "#" + d["number"].astype(str))
    kinds = np.where(
        cells["linked"] == 1, LINKED_CELL, np.where(cells["number"].isin(uncovered), UNCOVERED_CELL, OPEN_CELL)
    )
    for kind in (LINKED_CELL, OPEN_CELL, UNCOVERED_CELL):
        part = cells.loc[kinds == kind]
        if part.empty:
            continue
        columns = [part["title"], part["short_name"]]
        if kind == LINKED_CELL:
            columns.append(part["full_text"].map(_wrap_long))
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["row_key"],
                mode="markers",
                name=f"Zellen: {kind}",
                showlegend=False,
                marker=dict(symbol="square", size=CELL_PX - 3, color="rgba(0,0,0,0)"),
                selected=dict(marker=dict(color="rgba(0,0,0,0.35)")),
                unselected=dict(marker=dict(opacity=1)),
                customdata=np.column_stack(columns),
                hovertemplate=(
                    "<b>%{y} %{customdata[0]}</b><br>%{x} %{customdata[1]}<br>"
                    + ("%{customdata[2]}<br>" if kind == LINKED_CELL else "")
                    + f"<i>{kind}</i><extra></extra>"
                ),
            )
        )
    # Totals: text in the 'Summe' row and column; an uncovered strategic measure shows a bold 0.
    full_text, domain = strategic.set_index("number")["full_text"], strategic.set_index("number")["domain"]
    fig.add_trace(
        go.Scatter(
            x=[f"#{n}" for n in col_total.index],
            y=[TOTAL] * len(col_total),
            mode="text",
            showlegend=False,
            text=[f"<b>{v}</b>" if v == 0 else str(v) for v in col_total.to_numpy()],
            textfont=dict(size=12, color=[theme.BAD if v == 0 else "#1F1F1F" for v in col_total.to_numpy()]),
            customdata=[f"{domain.get(n) or ''}<br>{_wrap_long(full_text.get(n) or '')}" for n in col_total.index],
            hovertemplate="%{x}: %{text} umsetzende Maßnahme(n)<br>%{customdata}<extra></extra>",
            name="Summe je strategische Maßnahme",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[TOTAL] * len(measures),
            y=measures["row_key"],
            mode="text",
            showlegend=False,
            text=[str(row_total[k]) for k in measures["row_key"]],
            textfont=dict(size=12),
            hovertemplate="%{y}: %{text} strategische Maßnahme(n)<extra></extra>",
            name="Summe je Maßnahme",
        )
    )
    for label, colour in (
        ("verknüpft", LINKED),
        ("nicht verknüpft", NOT_LINKED),
        ("strategische Maßnahme noch ohne Maßnahme im Handlungsplan", UNCOVERED),
    ):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=label,
                hoverinfo="skip",
                marker=dict(symbol="square", size=14, color=colour, line=dict(color="#9E9E9E", width=1)),
            )
        )

    # Domain groups: separators between columns and the domain name above its columns.
    shapes, notes = [], []
    starts = (
        strategic.reset_index(drop=True)
        .groupby("domain", sort=False)
        .apply(lambda p: (p.index.min(), p.index.max()), include_groups=False)
    )
    for domain, (lo, hi) in starts.items():
        shapes.append(
            dict(
                type="line",
                xref="x",
                yref="paper",
                x0=lo - 0.5,
                x1=lo - 0.5,
                y0=0,
                y1=1,
                line=dict(color="#555555", width=1),
            )
        )
        # Horizontal only where the name fits over its columns at ~14 px per column (a narrow browser);
        # otherwise one vertical line, so neighbouring one-column domains never overlap.
        wide = len(domain) * 7 <= (hi - lo + 1) * 14
        notes.append(
            dict(
                x=(lo + hi) / 2,
                y=1.0,
                xref="x",
                yref="paper",
                yanchor="bottom",
                showarrow=False,
                text=domain,
                textangle=0 if wide else -90,
                font=dict(size=12),
            )
        )
    shapes.append(
        dict(
            type="line",
            xref="x",
            yref="paper",
            x0=len(x_keys) - 1.5,
            x1=len(x_keys) - 1.5,
            y0=0,
            y1=1,
            line=dict(color="#555555", width=1),
        )
    )
    for section in [*header_rows[1:], TOTAL]:
        i = y_keys.index(section)
        shapes.append(
            dict(
                type="line",
                xref="paper",
                yref="y",
                x0=0,
                x1=1,
                y0=i - 0.5,
                y1=i - 0.5,
                line=dict(color="#555555", width=1),
            )
        )

    theme.apply(
        fig,
        title=(f"{len(uncovered)} von {len(strategic)} strategischen Maßnahmen noch ohne Maßnahme im Handlungsplan"),
        x_title="Strategische Maßnahme (Nr. und Kurzname, gruppiert nach Handlungsfeld)",
        y_title="Maßnahme des Handlungsplans (nach Kapitel)",
    )
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=x_keys,
        tickmode="array",
        tickvals=x_keys,
        ticktext=x_text,
        tickangle=-90,
        tickfont=dict(size=12),
        showgrid=False,
        side="bottom",
        fixedrange=True,
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=y_keys,
        tickmode="array",
        tickvals=y_keys,
        ticktext=y_text,
        autorange="reversed",
        tickfont=dict(size=12),
        showgrid=False,
        fixedrange=True,
    )
    fig.update_layout(
        shapes=shapes,
        annotations=notes,
        height=CELL_PX * len(y_keys) + 560,
        margin=dict(l=10, r=10, t=260, b=50),
        clickmode="event+select",
        dragmode=False,
        hovermode="closest",
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.005, x=0, xanchor="left"),
        title=dict(y=0.995, yref="container", yanchor="top"),
    )
    return fig


def _wrap_long(text: str) -> str:
    return _wrap(text, 60)


MAX_LABELLED_PIS = 12
SHARE_FLOOR = 0.5
PROGRESS_VALUES = {"objectives": "Anzahl PI-Ziele", "bv_share": "Erreichter Geschäftswert (Anteil)"}


def progress_heatmap(
    cells: pd.DataFrame, rows: pd.DataFrame, *, value: str = "objectives", level: str = "domain"
) -> go.Figure:
    """Rows (domains or strategic measures) × PIs; cell = number of PI objectives or achieved BV share.

    `cells` is strategy.progress(), `rows` strategy.progress_rows(). Empty cells (no objectives) stay blank.
    """
    if value not in PROGRESS_VALUES:
        raise ValueError(f"Unbekannter Wert: {value!r}")
    fig = go.Figure()
    pis = cells.drop_duplicates("pi_number").sort_values("pi_number")
    # Quarter under the PI number while it fits; with many PIs the quarter moves to the hover text.
    many = len(pis) > MAX_LABELLED_PIS
    x = [f"PI {n}" if many else f"PI {n}<br>{q}" for n, q in zip(pis["pi_number"], pis["quarter"], strict=True)]
    lookup = {(k, p): r for k, p, r in zip(cells["key"], cells["pi_number"], cells.itertuples(), strict=True)}
    z, text, hover = [], [], []
    for key, label in zip(rows["key"], rows["label"], strict=True):
        zr, tr, hr = [], [], []
        for p, q in zip(pis["pi_number"], pis["quarter"], strict=True):
            r = lookup.get((key, p))
            if r is None:
                zr.append(None)
                tr.append("")
                hr.append(f"{label} · PI {p}: keine Ziele mit Bezug")
                continue
            share = None if r.bv_share is None or math.isnan(r.bv_share) else r.bv_share
            zr.append(r.objectives if value == "objectives" else share)
            tr.append(num(r.objectives) if value == "objectives" else (pct(share) if share is not None else "läuft"))
            hr.append(
                f"<b>{label}</b> · PI {p} ({q})<br>{num(r.objectives)} Ziele, davon {num(r.committed)} "
                f"verbindlich<br>Geschäftswert geplant (verbindlich): {num(r.planned_bv)}<br>"
                f"erreicht: {num(r.actual_bv, 1) if r.scored else '–'} · Anteil: "
                f"{pct(share) if share is not None else 'noch nicht bewertet'}"
            )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    values = [v for row in z for v in row if v is not None]
    zmax = max([1.0, *values]) if value == "bv_share" else max([1, *values])
    # Shares start at 50 % (darkest = 50 % or less) so that the 80–100 % band is not one flat colour.
    zmin = SHARE_FLOOR if value == "bv_share" else 0
    fig.add_trace(
        go.Heatmap(
            x=x,
            y=list(rows["label"]),
            z=z,
            text=text,
            texttemplate="" if many else "%{text}",
            textfont=dict(size=13),
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=theme.SEQUENTIAL,
            zmin=zmin,
            zmax=zmax,
            xgap=2,
            ygap=2,
            colorbar=dict(
                title=dict(text="Ziele" if value == "objectives" else "Anteil"),
                tickformat=".0%" if value == "bv_share" else ",d",
                # whole objectives only: fractional ticks would print as duplicated integers
                dtick=None if value == "bv_share" else max(1, math.ceil(zmax / 6)),
            ),
        )
    )
    by = "Handlungsfeld" if level == "domain" else "strategischer Maßnahme"
    title = (
        f"PI-Ziele mit Bezug zu Handlungsplan-Maßnahmen je {by} und PI"
        if value == "objectives"
        else f"Erreichter Geschäftswert (Σ erreicht ÷ Σ geplant verbindlich) je {by} und PI"
    )
    theme.apply(
        fig,
        title=title,
        x_title="Program Increment (PI)",
        y_title="Handlungsfeld" if level == "domain" else "Strategische Maßnahme",
    )
    fig.update_yaxes(autorange="reversed", type="category", tickfont=dict(size=13))
    fig.update_xaxes(type="category", tickfont=dict(size=13))
    fig.update_layout(height=max(320, 34 * len(rows) + 170))
    return fig


def epic_funnel(stages: pd.DataFrame) -> go.Figure:
    """Portfolio Kanban as a funnel: epics per stage (Ideenspeicher → … → in Umsetzung) with budget."""
    text = [
        f"{num(e)} {'Epic' if e == 1 else 'Epics'} · {num(b / 1e6, 1)} Mio. €"
        for e, b in zip(stages["epics"], stages["budget_eur"], strict=True)
    ]
    fig = go.Figure(
        go.Funnel(
            y=list(stages["stage"]),
            x=list(stages["epics"]),
            text=text,
            textinfo="text",
            textposition="inside",
            marker=dict(color=STAGE_COLOURS[: len(stages)]),
            textfont=dict(size=13),
            customdata=stages["budget_eur"],
            connector=dict(fillcolor="#E8E8E8"),
            hovertemplate="%{y}: %{x} Epics<br>Budget: %{customdata:,.0f} €<extra></extra>",
        )
    )
    theme.apply(
        fig,
        title=(
            f"Portfolio: {num(stages['epics'].sum())} Epics, {num(stages['budget_eur'].sum() / 1e6, 1)} Mio. € Budget"
        ),
        x_title="Anzahl Epics",
        y_title="Phase im Portfolio-Kanban",
    )
    fig.update_layout(height=360)
    return fig


def implementation_bar(types: pd.DataFrame) -> go.Figure:
    """Action-plan measure rows per implementation class, hover listing the rows with the printed text."""
    hover = ["<br>".join(short(i, 70) for i in items) or "–" for items in types["items"]]
    fig = go.Figure(
        go.Bar(
            x=list(types["measures"]),
            y=list(types["implementation_class"]),
            orientation="h",
            marker_color=theme.QUALITATIVE[: len(types)],
            text=list(types["measures"]),
            textposition="outside",
            customdata=hover,
            hovertemplate="<b>%{y}</b>: %{x} Maßnahmen<br>%{customdata}<extra></extra>",
        )
    )
    top = types.sort_values("measures", ascending=False).iloc[0]
    theme.apply(
        fig,
        title=f"Umsetzungsart: {top['measures']} von {types['measures'].sum()} Maßnahmen als "
        f"„{top['implementation_class']}“",
        x_title="Anzahl Maßnahmen des Handlungsplans",
        y_title="Umsetzungsart",
    )
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=13))
    fig.update_layout(height=320, showlegend=False)
    return fig


def runtime_timeline(runtimes: pd.DataFrame, *, today: dt.date) -> go.Figure:
    """Approved runtimes as bars (1 Jan of the start year to 31 Dec of the end year) with a 'heute' line.

    Only rows with a start year are drawn; an open end runs to today. Colour = status on `today`.
    """
    df = runtimes[runtimes["runtime_start"].notna()].sort_values(["runtime_start", "row_no"])
    now = today.year + (today.timetuple().tm_yday - 1) / 365.25
    fig = go.Figure()
    for status, colour in RUNTIME_COLOURS.items():
        part = df[df["status"] == status]
        if part.empty:
            continue
        start = part["runtime_start"].astype(float)
        end = part["runtime_end"].astype(float).add(1).fillna(now)
        fig.add_trace(
            go.Bar(
                y=[short(f"{k} {t}", 40) for k, t in zip(part["row_key"], part["title"], strict=True)],
                x=end - start,
                base=start,
                orientation="h",
                name=status,
                marker_color=colour,
                marker_pattern_shape="/" if status == "offenes Ende" else "",
                customdata=np.column_stack(
                    [part["row_key"], part["title"], part["implementation"], part["runtime"].fillna("")]
                ),
                hovertemplate=(
                    "<b>%{customdata[0]} %{customdata[1]}</b><br>%{customdata[2]}<br>"
                    "Laufzeit: %{customdata[3]}<extra></extra>"
                ),
            )
        )
    fig.add_vline(x=now, line=dict(color="#1F1F1F", dash="dash", width=2))
    fig.add_annotation(
        x=now,
        y=1,
        yref="paper",
        yanchor="bottom",
        xanchor="right",
        text=f"heute ({today:%d.%m.%Y})",
        showarrow=False,
        font=dict(size=12),
        bgcolor="rgba(255,255,255,0.8)",
    )
    ended = int((df["status"] == "Laufzeit beendet").sum())
    theme.apply(
        fig,
        # The annex lists runtimes approved as of 19.03.2024; whether one has ended is judged at a stated date.
        title=f"Bewilligte Laufzeit (Anlage, Stand 19.03.2024): am {today:%d.%m.%Y} bei {ended} von {len(df)} "
        "Maßnahmen abgelaufen",
        x_title="Jahr",
        y_title="Maßnahme des Handlungsplans",
    )
    lo = int(df["runtime_start"].min()) if not df.empty else today.year - 1
    hi = max([now, *(df["runtime_end"].dropna().astype(float) + 1)])
    fig.update_xaxes(range=[lo - 0.2, hi + 0.5], dtick=1, tickformat="d")
    fig.update_yaxes(autorange="reversed", type="category", tickfont=dict(size=12))
    fig.update_layout(
        barmode="overlay", height=max(300, 26 * len(df) + 180), bargap=0.3, legend=dict(x=0, xanchor="left")
    )
    return fig
