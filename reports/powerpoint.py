"""The presentation deck as a PowerPoint file (python-pptx): one slide per Slide, chart image plus figures in text."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from formatting import date

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
DEMO_TEXT = "Beispieldaten – keine amtlichen Zahlen"
DEMO_COLOUR = RGBColor(0xB3, 0x5C, 0x00)  # dark orange: readable on white (contrast > 4.5:1)
TEXT = RGBColor(0, 0, 0)
MUTED = RGBColor(0x40, 0x40, 0x40)


def _text(slide, left, top, width, height, paragraphs: list[tuple[str, int, bool, RGBColor]]):
    """A text box; paragraphs are (text, size in pt, bold, colour)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    return box


def _kpi_lines(kpi, *, per_kpi_stand: bool) -> list[tuple[str, int, bool, RGBColor]]:
    lines = [(kpi.value, 30, True, TEXT), (kpi.label, 15, False, TEXT)]
    if kpi.note:
        lines.append((kpi.note, 12, False, MUTED))
    if per_kpi_stand and kpi.as_of:
        lines.append((f"Stand {date(kpi.as_of)}" + (" · Beispieldaten" if kpi.is_demo else ""), 11, False, MUTED))
    # Published figures of the same measure, with source and Stand (small: a reference, not the headline).
    lines.extend((text, 8, False, MUTED) for text in getattr(kpi, "published", ()))
    return lines


def _picture(slide, image: bytes, left, top, max_width, max_height, alt: str) -> None:
    pic = slide.shapes.add_picture(io.BytesIO(image), left, top)
    scale = min(max_width / pic.width, max_height / pic.height)
    pic.width, pic.height = Emu(int(pic.width * scale)), Emu(int(pic.height * scale))
    pic._element.nvPicPr.cNvPr.set("descr", alt)  # alternative text for screen readers


def _notes(slide, s) -> None:
    # Speaker notes carry the figure's table: the numbers behind the image, in text.
    table = s.table.head(60)
    lines = [s.title, s.stand, ""] + [
        " | ".join(str(v) for v in row) for row in [list(table.columns), *table.astype(str).values.tolist()]
    ]
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def build(slides, images: dict[str, bytes], *, legal: str = "") -> bytes:
    """A .pptx with one slide per entry of `slides` (reports.slides.Slide), in order.

    `images`: PNG per slide key (charts.slides.images); a chart slide without image says so in text.
    Every slide carries the title, the KPI texts, the Stand/source line and, for demo data, the label; the last
    one also `legal` (reports.slides.legal_line).
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    margin = Inches(0.5)
    for n, s in enumerate(slides, start=1):
        slide = prs.slides.add_slide(blank)
        title = _text(slide, margin, Inches(0.3), Inches(9.8), Inches(0.9), [(s.title, 30, True, TEXT)])
        title.name = "Titel"
        if s.is_demo:
            _text(slide, Inches(10.3), Inches(0.35), Inches(2.6), Inches(0.6), [(DEMO_TEXT, 14, True, DEMO_COLOUR)])
        top = Inches(1.35)
        image = images.get(s.key)
        if s.chart is None:  # KPI tiles in a grid of three columns
            for i, kpi in enumerate(s.kpis):
                col, row = i % 3, i // 3
                _text(
                    slide,
                    margin + Inches(4.2) * col,
                    top + Inches(2.4) * row,
                    Inches(4.0),
                    Inches(2.2),
                    _kpi_lines(kpi, per_kpi_stand=True),
                )
        else:
            lines = [line for kpi in s.kpis for line in _kpi_lines(kpi, per_kpi_stand=False) + [("", 8, False, TEXT)]]
            _text(slide, margin, top, Inches(3.6), Inches(5.2), lines)
            if image:
                _picture(
                    slide,
                    image,
                    Inches(4.3),
                    top,
                    Inches(8.6),
                    Inches(4.9),
                    alt=f"{s.title}. " + "; ".join(f"{k.label}: {k.value}" for k in s.kpis),
                )
            else:
                _text(
                    slide,
                    Inches(4.3),
                    top,
                    Inches(8.6),
                    Inches(1.0),
                    [
                        (
                            "Diagramm nicht verfügbar (Bildexport nicht möglich); die Zahlen stehen links und in den "
                            "Notizen.",
                            16,
                            False,
                            MUTED,
                        )
                    ],
                )
        footer = [(s.note, 11, False, MUTED)] if s.note else []
        footer.append((f"{s.stand} · Folie {n}/{len(slides)}", 12, False, TEXT))
        if legal and n == len(slides):
            footer.append((legal, 11, False, TEXT))
        _text(slide, margin, Inches(6.45), Inches(12.3), Inches(0.9), footer)
        _notes(slide, s)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
