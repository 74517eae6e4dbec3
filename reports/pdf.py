"""The presentation deck as a PDF (fpdf2): one landscape 16:9 page per slide, the same content as the PowerPoint."""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

from fpdf import FPDF

from formatting import date
from reports.powerpoint import DEMO_TEXT

PAGE = (190.5, 338.7)  # mm, 16:9 like the PowerPoint
# DejaVu, a Unicode font (–, ÷, ≥, umlauts), from Debian's fonts-dejavu-core (README: set-up); DVN_FONT_DIR points
# elsewhere on other systems. Nothing is downloaded.
FONT_DIR = Path(os.environ.get("DVN_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT = "DejaVu"


class FontMissing(RuntimeError):
    """The PDF font is not installed; the message is German and names the fix."""


def font_problem() -> str | None:
    """None if the PDF can be built; else the German message naming the missing font (shown instead of the button)."""
    try:
        for name in FONT_FILES:
            _font(name)
    except FontMissing as exc:
        return str(exc)
    return None


def _font(name: str) -> str:
    path = FONT_DIR / name
    if not path.is_file():
        raise FontMissing(
            f"Die Schrift für den PDF-Export fehlt ({path}). Bitte das Debian-Paket fonts-dejavu-core installieren "
            "oder DVN_FONT_DIR auf ein Verzeichnis mit DejaVuSans.ttf und DejaVuSans-Bold.ttf setzen."
        )
    return str(path)


MISSING_GLYPH = "\ufffd"  # "�": DejaVu has it; a character the font lacks must be visible, not silently dropped


@functools.cache
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    fonts = [TTFont(_font(name), lazy=True) for name in FONT_FILES]
    return frozenset(set(fonts[0].getBestCmap()) & set(fonts[1].getBestCmap()))


def printable(text: str) -> str:
    """`text` with every character the PDF font cannot draw (emoji, rare scripts) replaced by "�"."""
    covered = _covered()
    return "".join(ch if ord(ch) in covered or ch in "\n\r\t" else MISSING_GLYPH for ch in text)


class _Deck(FPDF):
    def normalize_text(self, text: str) -> str:
        return super().normalize_text(printable(text))


def _pdf() -> FPDF:
    pdf = _Deck(orientation="landscape", unit="mm", format=PAGE)
    pdf.add_font(FONT, "", _font(FONT_FILES[0]))
    pdf.add_font(FONT, "B", _font(FONT_FILES[1]))
    pdf.set_auto_page_break(False)
    pdf.set_margins(12, 10, 12)
    pdf.set_lang("de")
    pdf.set_creator("DVN-Dashboard")
    return pdf


def _kpi(pdf: FPDF, kpi, x: float, y: float, w: float, *, per_kpi_stand: bool) -> float:
    """Write one KPI block at (x, y); returns the y below it."""
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "B", 22)
    pdf.multi_cell(w, 10, kpi.value, new_x="LEFT", new_y="NEXT", align="L")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(w, 5.5, kpi.label, new_x="LEFT", new_y="NEXT", align="L")
    pdf.set_text_color(64, 64, 64)
    pdf.set_font(FONT, "", 9)
    if kpi.note:
        pdf.multi_cell(w, 4.5, kpi.note, new_x="LEFT", new_y="NEXT", align="L")
    if per_kpi_stand and kpi.as_of:
        pdf.multi_cell(
            w,
            4.5,
            f"Stand {date(kpi.as_of)}" + (" · Beispieldaten" if kpi.is_demo else ""),
            new_x="LEFT",
            new_y="NEXT",
            align="L",
        )
    published = getattr(kpi, "published", ())
    if published:  # published figures of the same measure, with source and Stand: a reference, set small
        pdf.set_font(FONT, "", 7)
        for text in published:
            pdf.multi_cell(w, 3.2, text, new_x="LEFT", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)
    return pdf.get_y() + 4


def build(slides, images: dict[str, bytes], *, title: str = "DVN-Dashboard – Foliensatz", legal: str = "") -> bytes:
    """A PDF with one page per slide (reports.slides.Slide): title, KPI texts, chart image, Stand/source; the last
    page also `legal` (reports.slides.legal_line)."""
    pdf = _pdf()
    pdf.set_title(title)
    width = PAGE[1]
    for n, s in enumerate(slides, start=1):
        pdf.add_page()
        pdf.start_section(s.title)  # PDF outline: one bookmark per slide
        pdf.set_font(FONT, "B", 22)
        pdf.set_xy(12, 10)
        # align="L" everywhere: fpdf2 justifies multi_cell by default, which spread titles with huge word gaps.
        pdf.multi_cell(250, 11, s.title, new_x="LEFT", new_y="NEXT", align="L")
        if s.is_demo:
            pdf.set_xy(width - 80, 12)
            pdf.set_font(FONT, "B", 11)
            pdf.set_text_color(179, 92, 0)
            pdf.multi_cell(68, 5.5, DEMO_TEXT, align="R")
            pdf.set_text_color(0, 0, 0)
        top = 36
        image = images.get(s.key)
        if s.chart is None:
            row_top, row_bottom = top, top
            for i, kpi in enumerate(s.kpis):
                if i and i % 3 == 0:  # a row is as tall as its tallest tile (reference markers vary in length)
                    row_top = row_bottom
                bottom = _kpi(pdf, kpi, 12 + 105 * (i % 3), row_top, 98, per_kpi_stand=True)
                row_bottom = max(row_bottom, bottom)
        else:
            y = top
            for kpi in s.kpis:
                y = _kpi(pdf, kpi, 12, y, 85, per_kpi_stand=False)
            if image:
                pdf.image(
                    io.BytesIO(image),
                    x=105,
                    y=top,
                    w=222,
                    h=124.9,
                    keep_aspect_ratio=True,
                    alt_text=f"{s.title}. " + "; ".join(f"{k.label}: {k.value}" for k in s.kpis),
                )
            else:
                pdf.set_xy(105, top)
                pdf.set_font(FONT, "", 12)
                pdf.multi_cell(
                    222, 6, "Diagramm nicht verfügbar (Bildexport nicht möglich); die Zahlen stehen links.", align="L"
                )
        pdf.set_xy(12, 166)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(64, 64, 64)
        if s.note:
            pdf.multi_cell(width - 24, 4.2, s.note, new_x="LEFT", new_y="NEXT", align="L")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FONT, "", 9.5)
        pdf.multi_cell(width - 24, 4.8, f"{s.stand} · Folie {n}/{len(slides)}", new_x="LEFT", new_y="NEXT", align="L")
        if legal and n == len(slides):
            pdf.multi_cell(width - 24, 4.8, legal, align="L")
    return bytes(pdf.output())
