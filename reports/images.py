"""Chart images for download: the figure rendered locally, with its Stand, source, the Beispieldaten badge and, for
maps, the BKG attribution drawn into the picture, so it stays truthful wherever it is pasted.

plotly's own camera button (removed from the toolbar) saves only what is drawn in the browser: no Stand, no source,
no badge, no attribution. Here the figure (it carries its title) is rendered by kaleido in the local Chromium
(charts.slides.png) and framed with Pillow: an orange band on top for demo figures, a footer with the provenance
lines. The same lines go into the PNG's text chunks (Title, Source, Comment) for machines.
"""

from __future__ import annotations

import html
import io
import textwrap

import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from charts.slides import RenderError, png
from data_access.provenance import Stand
from formatting import date
from reports.pdf import FONT_DIR, FONT_FILES

WIDTH = 1400
HEIGHT = 700  # when the figure sets no height of its own
MAP_TRACES = {"choroplethmap", "scattermap", "densitymap"}
ORANGE, INK = (230, 159, 0), (17, 17, 17)
FONT_SIZE, PAD = 20, 24


def is_map(fig: go.Figure) -> bool:
    return any(t.type in MAP_TRACES for t in fig.data)


def map_attribution() -> str:
    """The BKG licence line every map carries (also on exported images), with the boundaries' Stand."""
    from geo.load import meta

    m = meta() or {}
    text = m.get("attribution", "© GeoBasis-DE / BKG (Daten verändert)")
    licence = m.get("licence", "Datenlizenz Deutschland – Namensnennung 2.0")
    return f"Kartengrundlage: {text}, Stand der Grenzen {date(m.get('stand'))}, {licence}"


def title_of(fig: go.Figure) -> str:
    return (fig.layout.title.text or "") if fig.layout.title else ""


def chart_png(fig: go.Figure, stand: Stand, *, width: int = WIDTH, height: int | None = None) -> bytes:
    """The figure as a PNG with its provenance drawn in. A figure that cannot be rendered (no Chromium, renderer
    failed) becomes a picture of the German reason, so the download never ends in a browser error."""
    lines = [stand.text()]
    if is_map(fig):
        lines.append(map_attribution())
    badge = stand.badge
    framed = go.Figure(fig).update_layout(margin=dict(l=PAD, r=PAD))  # the page's figure keeps its own margins
    _inline_boundaries(framed)
    try:
        chart = Image.open(io.BytesIO(png(framed, width=width, height=height or fig.layout.height or HEIGHT)))
    except RenderError as exc:
        chart = _message(f"{exc} Die Werte stehen in der Tabelle zum Diagramm (CSV/Excel).", width)
    return _framed(chart, lines, badge, title=title_of(fig))


def _inline_boundaries(fig: go.Figure) -> None:
    """The renderer has no app origin to fetch boundaries from: a map that names them by address gets them inline."""
    from geo.load import from_url

    for trace in fig.data:
        if trace.type in MAP_TRACES and isinstance(getattr(trace, "geojson", None), str):
            trace.geojson = from_url(trace.geojson)


def _font(bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / FONT_FILES[1 if bold else 0]
    if path.is_file():
        return ImageFont.truetype(str(path), FONT_SIZE)
    return ImageFont.load_default(FONT_SIZE)  # no DejaVu: Pillow's own font still draws Latin-1 (ä, ö, ü, ß)


def _wrapped(lines: list[str], font, width: int) -> list[str]:
    per_line = max(20, int(width / (font.getlength("n") or FONT_SIZE / 2)))
    return [part for line in lines for part in textwrap.wrap(line, per_line) or [""]]


def _message(text: str, width: int) -> Image.Image:
    font = _font()
    rows = _wrapped([text], font, width - 2 * PAD)
    img = Image.new("RGB", (width, PAD * 2 + len(rows) * (FONT_SIZE + 8)), "white")
    draw = ImageDraw.Draw(img)
    for i, row in enumerate(rows):
        draw.text((PAD, PAD + i * (FONT_SIZE + 8)), row, fill=INK, font=font)
    return img


def _framed(chart: Image.Image, lines: list[str], badge: str, *, title: str) -> bytes:
    font, bold = _font(), _font(bold=True)
    width = chart.width
    step = FONT_SIZE + 8
    footer = _wrapped(lines, font, width - 2 * PAD)
    top = step + PAD if badge else 0
    bottom = PAD + len(footer) * step + PAD // 2
    out = Image.new("RGB", (width, top + chart.height + bottom), "white")
    draw = ImageDraw.Draw(out)
    if badge:
        draw.rectangle((0, 0, width, top), fill=ORANGE)
        draw.text((PAD, PAD // 2), badge, fill=INK, font=bold)  # black on Okabe–Ito orange: 9.5:1
    out.paste(chart.convert("RGB"), (0, top))
    y = top + chart.height + PAD // 2
    draw.line((PAD, y - PAD // 4, width - PAD, y - PAD // 4), fill=(200, 200, 200), width=1)
    for row in footer:
        draw.text((PAD, y), row, fill=INK, font=font)
        y += step
    info = PngInfo()
    info.add_itxt("Title", html.unescape(title))  # plotly titles are HTML; names in them are escaped
    info.add_itxt("Source", " | ".join(lines))
    if badge:
        info.add_itxt("Comment", badge)
    buf = io.BytesIO()
    out.save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()
