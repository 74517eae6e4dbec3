"""Slide figures for the Präsentationsmodus and its exports: projector styling and local PNG rendering.

The figures are the pages' own builders (charts.maps, charts.eakte, charts.pi), restyled for a projector.
PNGs are rendered by kaleido in the Debian Chromium, with MathJax off and plotly.js from the installed
plotly package, so nothing is fetched from the network and no browser is ever downloaded.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from pathlib import Path

import pandas as pd
import plotly
import plotly.graph_objects as go

from charts import eakte, maps, pi, theme
from formatting import num

PROJECTOR_FONT = 22
# Data labels and annotations (values on points, target lines, deadlines): at least this size in CSS px, i.e. at
# 1920×1080 on the page and on a 1600-px-wide slide image. The pages' own sizes (13–14 px) vanish on a projector.
LABEL_MIN = 18
WIDTH, HEIGHT = 1600, 900  # 16:9 like the slides; the PowerPoint scales the image into its frame


class RenderError(RuntimeError):
    """The static image could not be rendered (no Chromium, renderer failed); the message is German."""


TITLE_LINE = 40  # characters of a chart title per line: plotly never wraps, and at 1024 px the chart is ~620 px wide


def two_lines(title: str, width: int = TITLE_LINE) -> str:
    """A long chart title broken at the space nearest its middle (plotly draws titles on one line, cut off)."""
    if len(title) <= width or " " not in title:
        return title
    middle = len(title) / 2
    cut = min((i for i, ch in enumerate(title) if ch == " "), key=lambda i: abs(i - middle))
    return f"{title[:cut]}<br>{title[cut + 1 :]}"


def _projector(fig: go.Figure, *, height: int = 640) -> go.Figure:
    # Larger type and thicker margins than on the pages: read from the back of a hall of ~130 people.
    title = two_lines(fig.layout.title.text or "")
    fig.update_layout(
        font=dict(size=PROJECTOR_FONT, color="#000000"),
        title_text=title or None,
        title_font_size=PROJECTOR_FONT + 6,
        height=height,
        margin=dict(l=20, r=20, t=120 if "<br>" in title else 80, b=20),
    )
    for trace in fig.data:
        font = getattr(trace, "textfont", None)
        if font is not None and not isinstance(font.size, (list, tuple)):
            trace.textfont.size = max(font.size or 0, PROJECTOR_FONT - 2)
    for note in fig.layout.annotations:
        note.font.size = max(note.font.size or 0, LABEL_MIN + 2)
    return fig


def coverage_overview(cells: pd.DataFrame) -> go.Figure:
    """Chapters B.1–B.6 × the 10 strategy domains: links between action-plan rows and strategic measures.

    The page's 43 × 43 matrix (charts.strategy.coverage_heatmap) cannot be read on a projector, so the slide
    shows it summed per chapter and domain. cells: section, domain, links (as built by reports.slides).
    """
    wide = cells.pivot_table(index="section", columns="domain", values="links", aggfunc="sum", fill_value=0, sort=False)
    values = wide.to_numpy()
    fig = go.Figure(
        go.Heatmap(
            # No link = empty cell (light background), so the few links stand out instead of a sea of colour.
            z=[[v if v else None for v in row] for row in values],
            zmin=0,
            x=[str(c) for c in wide.columns],
            y=[str(i) for i in wide.index],
            text=[[num(v) if v else "" for v in row] for row in values],
            texttemplate="%{text}",
            colorscale=theme.SEQUENTIAL,
            reversescale=True,
            xgap=3,
            ygap=3,
            colorbar=dict(title=dict(text="Verknüpfungen")),
            hovertemplate="%{y} · %{x}: %{z} Verknüpfungen<extra></extra>",
        )
    )
    theme.apply(
        fig,
        title="Verknüpfungen Handlungsplan (Kapitel) × Strategie 2030 (Handlungsfeld)",
        x_title="Handlungsfeld der Strategie",
        y_title="Kapitel des Handlungsplans",
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(tickangle=-30, showgrid=False)
    fig.update_layout(plot_bgcolor="#F0F0F0")
    return fig


def figure(slide, *, geojson: dict | str | None = None, bounds=None) -> go.Figure | None:
    """The plotly figure of a reports.slides.Slide for a projector; None for KPI-only slides and for the
    map before the boundaries are built. `bounds`: the map's extent when `geojson` is an address."""
    d = slide.data
    if slide.chart == "map":
        if not geojson:
            return None
        fig = maps.choropleth(
            d["df"],
            geojson,
            value="share_focus",
            share=True,
            title="Anteil der 16 Fokusleistungen, flächendeckend nutzbar (Status live)",
            legend_title="Anteil Fokusleistungen",
            bounds=bounds,
        )
        fig.update_layout(clickmode="none")
        # The whole state in the slide's image; on the page the browser refits it to the map's actual size.
        return maps.fit(_projector(fig, height=700), WIDTH)
    if slide.chart == "eakte":
        fig = eakte.users_chart(
            d["series"],
            d["forecast"],
            d["milestones"],
            months=d["months"],
            target=d["target"],
            target_date=d["target_date"],
            deadline=d["deadline"],
        )
        return _projector(fig)
    if slide.chart == "pi":
        return _projector(pi.programme_chart(d["df"]))
    if slide.chart == "strategy":
        return _projector(coverage_overview(d["cells"]))
    return None


_lock = threading.Lock()
_started = False


def chromium_path() -> str | None:
    """The local Chromium kaleido drives: $BROWSER_PATH, else Debian's chromium on PATH."""
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def _start() -> None:
    global _started
    import kaleido

    path = chromium_path()
    if not path:
        raise RenderError("Bildexport nicht möglich: kein Chromium installiert (Paket „chromium“).")
    os.environ.setdefault("BROWSER_PATH", path)  # choreographer reads it; never let it look for a download
    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    # mathjax=False: kaleido would load MathJax from a CDN; plotly.js comes from the installed package.
    kaleido.start_sync_server(silence_warnings=True, mathjax=False, plotlyjs=str(plotly_js), path=path)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = True


def png(fig: go.Figure, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The figure as PNG bytes, rendered locally. Raises RenderError with a German message on failure.

    One Chromium is kept running per process (the first image takes ~10 s, later ones < 1 s); a lock
    serialises sessions because kaleido's sync server is a process-wide singleton.
    """
    import kaleido

    with _lock:
        try:
            if not _started:
                _start()
            fig = maps.fit(go.Figure(fig), width, height)  # a map shows its whole extent at this size
            return kaleido.calc_fig_sync(fig, opts=dict(format="png", width=width, height=height))
        except RenderError:
            raise
        except Exception as exc:  # kaleido/choreographer raise many types; the user needs one clear message
            raise RenderError(f"Bildexport fehlgeschlagen ({type(exc).__name__}).") from exc


def images(slides, *, geojson: dict | None = None) -> dict[str, bytes]:
    """PNG per slide key for all slides that have a figure; slides whose image fails are left out."""
    out = {}
    for s in slides:
        fig = figure(s, geojson=geojson)
        if fig is None:
            continue
        try:
            out[s.key] = png(fig)
        except RenderError:
            continue
    return out
