"""Widget groups shared by the pages: header, Beispieldaten badge, Stand caption, tables and downloads."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access.provenance import Stand
from formatting import german_table
from formatting import stand as stand_line
from reports.files import file_name, provenance_text, to_csv_bytes, to_excel_bytes

# Every ASCII punctuation character: CommonMark lets each be escaped with a backslash and then shows it literally.
# That covers Markdown (links, images, emphasis, headings, lists, tables, code), GFM autolinks (http\:, www\.),
# raw HTML (<img …>), entities (&…;), Streamlit's extras (:red[…], :material/…:) and math ($…$).
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
# GFM turns bare "http://…", "www.…" and "a@b.de" into live links even when every character is escaped (seen in
# Chromium: an <a href> to the payload's host). A zero-width space breaks each pattern; the reader sees no change.
_AUTOLINK = re.compile(r"(://|(?<![\w.])www\.|@)", re.IGNORECASE)
_ZWSP = "\u200b"

# The camera button ("toImage") saves a picture without Stand, source or badge: chart() offers its own image.
PLOTLY_CONFIG = {"displaylogo": False, "locale": "de", "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"]}

# plotly.js 4 fits a map subplot to scattermap data, never to a choroplethmap (plotly.js #7911), and the server
# does not know how wide the map will be. This constant script (no data in it) fits every map whose figure names
# an extent in layout.meta.fit to its actual size after each draw: on first paint, on a new figure (filter change)
# and when the container is resized (Streamlit redraws with the new width). A view the user zoomed or panned is
# left alone: it is neither the figure's initial view (meta.view) nor the last fitted one.
MAP_FIT_JS = """<script>
(() => {
  if (window.__dvnMapFit) { window.__dvnMapFit(); return; }
  const PAD = 12, near = (a, b) => a && b && Math.abs(a[0] - b[0]) < 1e-4 && Math.abs(a[1] - b[1]) < 1e-4
    && Math.abs(a[2] - b[2]) < 1e-3;
  const view = m => { const c = m.getCenter(); return [c.lng, c.lat, m.getZoom()]; };
  const fit = gd => {
    const fl = gd._fullLayout, meta = fl && fl.meta, sub = fl && fl.map && fl.map._subplot, m = sub && sub.map;
    if (!meta || !meta.fit || !m) return;
    if (!m.__dvnFit) {  // plotly may reset the view without a new afterplot (a redraw after a rerun, a resize)
      m.__dvnFit = true;
      const again = () => requestAnimationFrame(() => fit(gd));
      m.on("moveend", again);
      m.on("resize", again);
    }
    const now = view(m);
    if (!near(now, meta.view) && !near(now, gd.__dvnFitted)) return;
    const b = meta.fit, cam = m.cameraForBounds([[b[0], b[1]], [b[2], b[3]]], {padding: PAD});
    if (!cam) return;
    const c = cam.center.lng === undefined ? {lng: cam.center[0], lat: cam.center[1]} : cam.center;
    const target = [c.lng, c.lat, cam.zoom];
    gd.__dvnFitted = target;
    if (!near(now, target)) m.jumpTo({center: [c.lng, c.lat], zoom: cam.zoom});
    gd.__dvnFitted = view(m);
  };
  const hook = gd => {
    if (gd.__dvnFitHooked || !gd.on) return;
    gd.__dvnFitHooked = true;
    gd.on("plotly_afterplot", () => fit(gd));
    fit(gd);
  };
  const scan = () => document.querySelectorAll(".js-plotly-plot").forEach(hook);
  window.__dvnMapFit = scan;
  new MutationObserver(scan).observe(document.body, {childList: true, subtree: true});
  scan();
})();
</script>"""


def md(value, *, limit: int | None = None) -> str:
    """Any user-supplied value (URL, imported file, database) as plain text inside Streamlit markdown.

    Streamlit renders markdown in st.markdown/title/header/caption/error/warning/info/success, metric labels and
    widget labels/help; without this a value like ``[Bitte neu anmelden](http://evil)`` becomes a live link and
    ``![x](http://evil/x.png)`` makes the browser load an image from another host. Each punctuation character is
    backslash-escaped (the reader sees the value unchanged), line breaks and control characters become one space
    (no new block, list or heading). `limit` shortens long values to that many characters plus "…".
    """
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    text = _AUTOLINK.sub(lambda m: _ZWSP + m[1][:1] + _ZWSP + m[1][1:], text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def header(title: str, intro: str, *, demo: bool = False, mixed: bool = False) -> None:
    """Page title, one-line explanation and, where demo rows are shown, the Beispieldaten badge (`mixed`: real rows
    are shown beside them)."""
    st.title(title)
    if demo:
        demo_badge(mixed=mixed)
    st.markdown(intro)


def demo_badge(*, mixed: bool = False) -> None:
    st.badge(Stand(None, "", True, mixed).badge, icon=":material/science:", color="orange")


def caption(stand: Stand) -> None:
    """Stand and source under a figure; demo figures say so."""
    text = stand_line(stand.as_of, md(stand.source))  # sources come from imported files
    st.caption(f"{text} · **{stand.label}**" if stand.demo else text)


def published(texts) -> None:
    """Reference markers (reports.notes.marker_text) beside a figure of the same measure.

    The published figure is shown as what it is, with its source and Stand, so a demo or imported figure next to
    it can be judged against it; the texts come from the database and are escaped.
    """
    for text in texts:
        st.caption(f":material/bookmark: {md(text)}")


def downloads(
    df: pd.DataFrame, basename: str, *, stand: Stand, key: str | None = None, content: str | None = None
) -> None:
    """CSV and Excel download buttons for a table (German CSV, formula cells escaped) with its provenance: the
    file names carry the Stand and the demo suffix, the CSV a "Herkunft" column, the Excel file a note above the
    header (reports.files).

    `content` says what the table holds (unit, filters, Stichtag); it leads the note in both files.
    The files are built on click (deferred data), not on every rerun of the page.
    """
    note = provenance_text(stand, content)
    key = key or basename
    c1, c2 = st.columns(2)
    c1.download_button(
        "CSV herunterladen",
        lambda: to_csv_bytes(df, stand=stand, content=content),
        file_name(basename, stand, "csv"),
        "text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
    )
    c2.download_button(
        "Excel herunterladen",
        lambda: to_excel_bytes(df, note=note),
        file_name(basename, stand, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        icon=":material/download:",
    )


def chart(
    fig: go.Figure,
    table: pd.DataFrame,
    *,
    basename: str,
    stand: Stand,
    key: str | None = None,
    image: go.Figure | None = None,
    content: str | None = None,
    **plotly_kwargs,
):
    """A figure with its Stand/source caption, an image download with the provenance drawn in (`image`: the figure
    to render instead, e.g. the projector version of a slide) and a table alternative (for screen readers) below;
    `content` (unit, filters, Stichtag) leads the note of the table files.

    Returns what st.plotly_chart returns (the selection event when on_select is given).
    """
    # theme=None: our own template (charts/theme.py, black text for screens and projectors); Streamlit's theme
    # greys tick labels below 4.5:1.
    event = st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch", theme=None, **plotly_kwargs)
    if isinstance(fig.layout.meta, dict) and fig.layout.meta.get("fit"):
        st.html(MAP_FIT_JS, unsafe_allow_javascript=True)
    caption(stand)
    image_download(image or fig, basename, stand=stand, key=key or basename)
    table_alternative(table, basename, stand=stand, key=key or basename, content=content)
    return event


def table_alternative(
    table: pd.DataFrame, basename: str, *, stand: Stand, key: str, content: str | None = None
) -> None:
    """The chart's table in an expander, built only while it is open: a closed expander's content would be sent
    to the browser on every rerun (the map's 967-row table twice). Opening it reruns the page or fragment."""
    with st.expander("Tabelle zum Diagramm", key=f"{key}-table", on_change="rerun") as box:
        if box.open:
            show_table(table)
            downloads(table, basename, stand=stand, key=key, content=content)


def image_download(fig: go.Figure, basename: str, *, stand: Stand, key: str) -> None:
    """The figure as a PNG with title, Stand, source, badge and (maps) the BKG attribution, rendered on click."""
    from charts.slides import chromium_path
    from reports.images import chart_png

    no_browser = chromium_path() is None
    st.download_button(
        "Bild herunterladen (PNG)",
        lambda: chart_png(fig, stand),
        file_name(basename, stand, "png"),
        "image/png",
        key=f"{key}-png",
        on_click="ignore",
        icon=":material/image:",
        type="tertiary",
        disabled=no_browser,
        help="Für den Bildexport fehlt der lokale Browser (Paket „chromium“)."
        if no_browser
        else "Mit Titel, Stand, Quelle und – bei Beispieldaten – dem Hinweis im Bild",
    )


def show_table(df: pd.DataFrame, **kwargs):
    """st.dataframe with German numbers and dates (whatever the browser's locale), no index, full width; a missing
    value reads "–" (the grid draws "None" for any missing cell unless told otherwise, whatever the Styler says)."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", "–")
    kwargs.setdefault("width", "stretch")
    return st.dataframe(german_table(df), **kwargs)


# The pages a public body must have, and the Lesehilfe: linked at the foot of every page (dashboard.py).
FOOTER_LINKS = {
    "Lesehilfe und Methodik": "/methodik",
    "Erklärung zur Barrierefreiheit": "/barrierefreiheit",
    "Impressum": "/impressum",
    "Datenschutz": "/datenschutz",
}


def footer(sections: tuple[str, ...] = ()) -> None:
    """The foot of every page: the Lesehilfe's sections that explain it, then the Lesehilfe and the legal pages."""
    from pages._lesehilfe import SECTIONS, href

    st.divider()
    if sections:
        st.caption("Lesehilfe zu dieser Seite: " + " · ".join(f"[{SECTIONS[a]}]({href(a)})" for a in sections))
    legal_links()


def legal_links() -> None:
    """The Lesehilfe and the legal pages as one line of links (page foot, the presentation's last slide)."""
    st.caption(" · ".join(f"[{text}]({url})" for text, url in FOOTER_LINKS.items()))
