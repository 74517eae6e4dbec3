"""Exports: the PowerPoint and PDF deck (opened again with python-pptx / pypdf) and the open-data package."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from sqlalchemy import update

from data_access.models import Offer
from data_access.queries import eakte, overview, services
from reports import open_data, pdf, powerpoint, slides
from tests.unit import test_services


def _png() -> bytes:
    from PIL import Image  # Pillow comes with Streamlit

    buf = io.BytesIO()
    Image.new("RGB", (400, 225), (0, 94, 168)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def demo(demo_url):
    from data_access.db import make_engine

    e = make_engine(demo_url)
    deck = slides.deck(e)
    png = _png()
    images = {s.key: png for s in deck if s.chart}
    yield e, deck, images
    e.dispose()


def _slide_text(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def test_pdf_text_is_left_aligned_never_justified(demo, monkeypatch):
    """fpdf2 justifies multi_cell by default: the slide titles showed huge gaps between words."""
    from fpdf import FPDF

    _, deck, images = demo
    aligns = []
    original = FPDF.multi_cell

    def spy(self, *args, **kwargs):
        aligns.append(str(kwargs.get("align", "J")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", spy)
    pdf.build(deck, images)
    assert aligns and set(aligns) <= {"L", "R", "Align.L", "Align.R"}, aligns


def test_pptx_has_one_slide_per_deck_slide_with_title_image_kpis_and_stand(demo):
    engine, deck, images = demo
    prs = Presentation(io.BytesIO(powerpoint.build(deck, images)))
    assert len(prs.slides) == len(deck) == 5
    for slide, s in zip(prs.slides, deck, strict=True):
        title = next(sh for sh in slide.shapes if sh.name == "Titel")
        assert title.text_frame.text == s.title
        pictures = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == (1 if s.chart else 0), s.key
        text = _slide_text(slide)
        for kpi in s.kpis:
            assert kpi.value in text and kpi.label in text
        assert s.stand in text
        assert ("Beispieldaten – keine amtlichen Zahlen" in text) == s.is_demo
        if s.chart:
            assert pictures[0].image.content_type == "image/png"
            assert s.kpis[0].value in pictures[0]._element.nvPicPr.cNvPr.get("descr")  # alt text
            assert s.table.columns[0] in slide.notes_slide.notes_text_frame.text
    # the KPI texts are the database's figures
    first = _slide_text(prs.slides[0])
    e, sv = overview.eakte_headline(engine), overview.services_headline(engine)
    assert f"{e['productive']} von {e['scope']}" in first
    assert f"{sv['focus_full']} von {sv['focus_total']}" in first
    k = eakte.kpis(engine)
    assert f"{k['users']:,}".replace(",", ".") in _slide_text(prs.slides[2])


def test_pptx_without_image_says_so(demo):
    _, deck, _ = demo
    prs = Presentation(io.BytesIO(powerpoint.build(deck, {})))
    assert not any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for slide in prs.slides for sh in slide.shapes)
    assert "Diagramm nicht verfügbar" in _slide_text(prs.slides[1])


def test_pdf_has_the_same_pages_titles_images_and_kpis(demo):
    engine, deck, images = demo
    reader = PdfReader(io.BytesIO(pdf.build(deck, images)))
    assert len(reader.pages) == 5
    assert [o.title for o in reader.outline] == [s.title for s in deck]
    for page, s in zip(reader.pages, deck, strict=True):
        text = " ".join(page.extract_text().split())
        assert len(page.images) == (1 if s.chart else 0), s.key
        for kpi in s.kpis:
            assert " ".join(kpi.value.split()) in text, (s.key, kpi.value)
        assert f"Folie {deck.index(s) + 1}/5" in text
        assert ("Beispieldaten" in text) == s.is_demo
    e = overview.eakte_headline(engine)
    assert f"{e['productive']} von {e['scope']}" in reader.pages[0].extract_text()


@pytest.mark.parametrize("address", ["https://dashboard.example.org", None])
def test_last_slide_of_both_exports_names_the_legal_pages(demo, address):
    """Impressum, Datenschutz and Barrierefreiheit from the presentation's last slide (BITV, TMG/DDG)."""
    _, deck, images = demo
    legal = slides.legal_line(address)
    prs = Presentation(io.BytesIO(powerpoint.build(deck, images, legal=legal)))
    texts = [_slide_text(slide) for slide in prs.slides]
    assert legal in texts[-1] and not any(legal in t for t in texts[:-1])
    pages = [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.build(deck, images, legal=legal))).pages
    ]
    flat = [p.replace(" ", "") for p in pages]  # the PDF wraps the line anywhere
    assert legal.replace(" ", "") in flat[-1] and not any("Impressum" in p for p in pages[:-1])
    if address:
        assert f"{address}/impressum" in legal and f"{address}/barrierefreiheit" in legal
    else:
        assert "http" not in legal and "Fuß jeder Seite" in legal


def test_the_deck_is_built_again_when_the_legal_line_changes(demo):
    _, deck, _ = demo
    assert slides.version(deck, "x", slides.legal_line(None)) != slides.version(
        deck, "x", slides.legal_line("https://a.example.org")
    )


@pytest.mark.parametrize(
    "title, lines",
    [
        ("Kurz", ["Kurz"]),
        ("Anteil der 16 Fokusleistungen, flächendeckend nutzbar (Status live)", 2),
        ("Verknüpfungen Handlungsplan (Kapitel) × Strategie 2030 (Handlungsfeld)", 2),
    ],
)
def test_long_slide_chart_titles_take_two_lines_so_a_narrow_screen_does_not_cut_them(title, lines):
    """plotly draws a title on one line: at 1024 px the map slide's title ran out of the chart."""
    from charts.slides import TITLE_LINE, two_lines

    parts = two_lines(title).split("<br>")
    if isinstance(lines, int):
        assert len(parts) == lines and " ".join(parts) == title
        assert all(len(p) <= TITLE_LINE for p in parts), parts
    else:
        assert parts == lines


@pytest.fixture
def coverage_db(engine):
    test_services.build(engine)
    return engine


D = test_services.D


def test_open_data_rows_are_the_availability_figures(coverage_db):
    df = open_data.coverage(coverage_db, as_of=D)
    gem = services.availability(coverage_db, level="GEM", as_of=D)
    krs = services.availability(coverage_db, level="KRS", as_of=D)
    assert len(df) == len(gem) + len(krs)
    by_key = df.set_index(["ebene", "ars"])
    for level, frame in (("GEM", gem), ("KRS", krs)):
        for r in frame.itertuples():
            row = by_key.loc[(level, r.ars)]
            assert row["onlinedienste"] == r.n_services and row["fokusleistungen"] == r.n_focus
            assert row["anteil_fokusleistungen"] == pytest.approx(r.share_focus)
    # hand-checked values (see test_services): Gemeinde in the Samtgemeinde 3 services, Landkreis 2 flächendeckend
    assert by_key.loc[("GEM", "031515401001"), "onlinedienste"] == 3
    assert by_key.loc[("KRS", "03151"), "onlinedienste"] == 2
    assert by_key.loc[("KRS", "03151"), "in_mindestens_einer_kommune"] == 4
    assert set(df["stichtag"]) == {D.isoformat()}


def test_open_data_package_of_demo_data_says_beispieldaten(coverage_db):
    data, name = open_data.package(coverage_db, as_of=D)
    assert name.endswith("_BEISPIELDATEN.zip")
    z = zipfile.ZipFile(io.BytesIO(data))
    csv_name, json_name, meta_name = sorted(z.namelist(), key=lambda n: (not n.endswith(".csv"), "metadaten" in n))
    meta = json.loads(z.read(meta_name))
    assert meta["beispieldaten"] is True and meta["title"].startswith("BEISPIELDATEN")
    assert "keine amtlichen Zahlen" in meta["description"]
    csv = pd.read_csv(io.BytesIO(z.read(csv_name)), dtype={"ars": str, "kreis_ars": str})
    assert set(csv["beispieldaten"]) == {True}
    assert len(csv) == meta["rows"] == len(json.loads(z.read(json_name))["data"])


def test_open_data_package_of_real_data(coverage_db):
    with coverage_db.begin() as c:
        c.execute(update(Offer).values(is_demo=False, source="Meldungen der Kommunen"))
    data, name = open_data.package(coverage_db, as_of=D)
    assert "BEISPIELDATEN" not in name
    z = zipfile.ZipFile(io.BytesIO(data))
    meta = json.loads(z.read(next(n for n in z.namelist() if n.endswith("_metadaten.json"))))
    assert meta["beispieldaten"] is False and not meta["title"].startswith("BEISPIELDATEN")
    assert meta["licence"] == "Datenlizenz Deutschland – Namensnennung 2.0"
    assert meta["source"] == "Meldungen der Kommunen" and "Meldungen der Kommunen" in meta["attribution"]
    assert meta["stichtag"] == D.isoformat() and meta["stand"] == "2025-06-30"
    assert set(meta["columns"]) >= {"ars", "onlinedienste", "beispieldaten"}
    csv = pd.read_csv(io.BytesIO(z.read(next(n for n in z.namelist() if n.endswith(".csv")))), dtype={"ars": str})
    assert set(csv["beispieldaten"]) == {False}
    assert "031515401001" in set(csv["ars"])  # keys keep their leading zero


def test_open_data_before_any_offer(engine):
    df = open_data.coverage(engine, as_of=dt.date(2025, 1, 1))
    meta = open_data.metadata(engine, as_of=dt.date(2025, 1, 1), rows=len(df))
    assert meta["beispieldaten"] is False and meta["source"] == "–"


@pytest.mark.skipif(not __import__("charts.slides").slides.chromium_path(), reason="kein Chromium installiert")
def test_png_is_rendered_locally_in_the_slide_format(demo):
    from charts import slides as charts

    _, deck, _ = demo
    data = charts.png(charts.figure(deck[3]))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (charts.WIDTH, charts.HEIGHT)


def test_pdf_shows_characters_the_font_lacks_instead_of_dropping_them(demo):
    import dataclasses

    _, deck, images = demo
    odd = dataclasses.replace(deck[0], title="Digitalisierung 🚀 中文 fertig")
    reader = PdfReader(io.BytesIO(pdf.build([odd], images)))
    text = reader.pages[0].extract_text()
    assert "Digitalisierung" in text and "fertig" in text
    assert "\ufffd" in text  # visible replacement, not a silent gap
    assert pdf.printable("Tür – ≥ 5 €") == "Tür – ≥ 5 €"


def test_pdf_without_its_font_says_which_package_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)
    problem = pdf.font_problem()
    assert problem and "fonts-dejavu-core" in problem and "DVN_FONT_DIR" in problem
    with pytest.raises(pdf.FontMissing):
        pdf.build([], {})
    monkeypatch.undo()
    assert pdf.font_problem() is None
