"""Provenance travels with every file (issue 15): one rule for file names, the CSV "Herkunft" column, the Excel
note, and chart images with title, Stand, source, badge and – on maps – the BKG attribution drawn in."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from charts import slides
from charts.slides import RenderError
from data_access.provenance import Stand
from reports import images
from reports.files import PROVENANCE_COLUMN, file_name, to_csv_bytes, to_excel_bytes

REAL = Stand(dt.date(2025, 3, 18), "Import angebote.csv (angebote)")
DEMO = Stand(dt.date(2025, 3, 18), "Demo-Seed", demo=True)
MIXED = Stand(dt.date(2025, 3, 18), "Demo-Seed; Import x.csv", demo=True, mixed=True)


@pytest.mark.parametrize(
    ("stand", "expected"),
    [
        (REAL, "rangliste_2025-03-18.csv"),
        (DEMO, "rangliste_2025-03-18_BEISPIELDATEN.csv"),
        (MIXED, "rangliste_2025-03-18_TEILWEISE-BEISPIELDATEN.csv"),
        (Stand(dt.datetime(2025, 3, 18, 9, 30), "x"), "rangliste_2025-03-18.csv"),
        (Stand(pd.Timestamp("2025-03-18"), "x"), "rangliste_2025-03-18.csv"),
        (Stand("2024/25", "x", demo=True), "rangliste_2024-25_BEISPIELDATEN.csv"),
        (Stand(None, "x"), "rangliste.csv"),
    ],
)
def test_file_name_carries_stand_and_demo_suffix(stand, expected):
    assert file_name("rangliste", stand, "csv") == expected


def test_file_name_never_carries_path_or_markup_characters():
    name = file_name("verlauf_../../Göttingen <b>", REAL, "xlsx")
    assert name == "verlauf_..-..-Göttingen-b_2025-03-18.xlsx"
    assert "/" not in name and "<" not in name and " " not in name


def test_csv_has_a_herkunft_column_in_every_row():
    df = pd.DataFrame({"Einheit": ["Aurich", "Emden"], "Anzahl": [1.5, 2]})
    lines = to_csv_bytes(df, stand=DEMO).decode("utf-8-sig").splitlines()
    assert lines[0] == f"Einheit;Anzahl;{PROVENANCE_COLUMN}"
    assert lines[1] == "Aurich;1,5;Stand: 18.03.2025 · Quelle: Demo-Seed · Beispieldaten"
    assert lines[2].endswith("· Beispieldaten")
    back = pd.read_csv(io.BytesIO(to_csv_bytes(df, stand=MIXED)), sep=";", decimal=",", encoding="utf-8-sig")
    assert set(back[PROVENANCE_COLUMN]) == {
        "Stand: 18.03.2025 · Quelle: Demo-Seed; Import x.csv · teilweise Beispieldaten"
    }
    assert list(back["Anzahl"]) == [1.5, 2.0]  # the data columns are unchanged


def test_an_existing_herkunft_column_is_replaced_not_doubled_and_the_frame_is_untouched():
    df = pd.DataFrame({"a": [1], PROVENANCE_COLUMN: ["alt"]})
    head = to_csv_bytes(df, stand=REAL).decode("utf-8-sig").splitlines()
    assert head == ["a;Herkunft", "1;Stand: 18.03.2025 · Quelle: Import angebote.csv (angebote)"]
    assert list(df[PROVENANCE_COLUMN]) == ["alt"]


def test_a_source_that_looks_like_a_formula_stays_inside_the_text_of_the_cell():
    lines = to_csv_bytes(pd.DataFrame({"a": [1]}), stand=Stand(None, "=HYPERLINK(1)")).decode("utf-8-sig")
    assert "Quelle: =HYPERLINK" in lines  # inside the text, not at the start of a cell: no formula


def test_excel_note_above_the_header():
    ws = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(pd.DataFrame({"a": [1]}), note=DEMO.text()))).active
    assert ws["A1"].value == "Stand: 18.03.2025 · Quelle: Demo-Seed · Beispieldaten"
    assert ws["A3"].value == "a"


def _bar() -> go.Figure:
    fig = go.Figure(go.Bar(x=["A", "B"], y=[1, 2]))
    fig.update_layout(title=dict(text="Angebote je Kreis &amp; Stadt"), height=400)
    return fig


def _orange(img: Image.Image, y: int) -> bool:
    r, g, b = img.convert("RGB").getpixel((img.width - 5, y))
    return (r, g, b) == images.ORANGE


@pytest.fixture
def fake_render(monkeypatch):
    """A plain grey chart instead of kaleido, so the frame is tested without a browser."""

    def render(fig, *, width, height):
        buf = io.BytesIO()
        Image.new("RGB", (width, height), (128, 128, 128)).save(buf, format="PNG")
        return buf.getvalue()

    monkeypatch.setattr(images, "png", render)


def test_image_of_demo_figure_has_badge_band_footer_and_text_chunks(fake_render):
    img = Image.open(io.BytesIO(images.chart_png(_bar(), DEMO, width=800)))
    assert img.width == 800 and img.height > 400 + 60  # badge band above, footer below the 400 px chart
    assert _orange(img, 2)
    assert img.text["Title"] == "Angebote je Kreis & Stadt"
    assert img.text["Source"] == "Stand: 18.03.2025 · Quelle: Demo-Seed · Beispieldaten"
    assert img.text["Comment"] == "Beispieldaten – keine amtlichen Zahlen"


def test_image_of_real_figure_has_no_badge(fake_render):
    img = Image.open(io.BytesIO(images.chart_png(_bar(), REAL, width=800)))
    assert not _orange(img, 2)
    assert "Comment" not in img.text
    assert img.text["Source"] == REAL.text()


def test_image_of_a_map_names_the_bkg(fake_render):
    fig = go.Figure(go.Choroplethmap(geojson={"type": "FeatureCollection", "features": []}, locations=[], z=[]))
    img = Image.open(io.BytesIO(images.chart_png(fig, MIXED, width=800)))
    assert "GeoBasis-DE / BKG" in img.text["Source"]
    assert "teilweise Beispieldaten" in img.text["Source"]
    assert img.text["Comment"] == "Teilweise Beispieldaten – nicht alle Zahlen sind echt"


def test_a_failed_render_becomes_a_german_picture_not_an_error(monkeypatch):
    def broken(fig, *, width, height):
        raise RenderError("Bildexport nicht möglich: kein Chromium installiert (Paket „chromium“).")

    monkeypatch.setattr(images, "png", broken)
    img = Image.open(io.BytesIO(images.chart_png(_bar(), DEMO, width=800)))
    assert img.format == "PNG" and img.text["Source"] == DEMO.text()


@pytest.mark.skipif(slides.chromium_path() is None, reason="needs the local Chromium (Debian package chromium)")
def test_real_render_in_the_local_chromium():
    img = Image.open(io.BytesIO(images.chart_png(_bar(), DEMO, width=900)))
    assert img.width == 900 and img.height > 400
    colours = img.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 10  # a drawn chart, not an empty frame


def test_content_leads_the_note_of_csv_and_excel():
    from reports.files import provenance_text

    df = pd.DataFrame({"Name": ["A"], "Wert": [1]})
    about = "Lücken: Samtgemeinde Sickte (ARS 031575404), Stichtag 31.12.2025"
    csv = to_csv_bytes(df, stand=DEMO, content=about).decode("utf-8-sig")
    assert f"Inhalt: {about} · Stand: 18.03.2025" in csv.splitlines()[1]
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(df, note=provenance_text(DEMO, about)))).active
    assert sheet["A1"].value.startswith(f"Inhalt: {about} · Stand: 18.03.2025") and "Beispieldaten" in sheet["A1"].value


def test_slug_makes_german_names_file_safe():
    from reports.files import slug

    assert slug("Samtgemeinde Sickte", "031575404") == "samtgemeinde-sickte_031575404"
    assert slug("Göttingen <b>", None, "Straße & Verkehr") == "goettingen-b_strasse-verkehr"
    assert slug("../..", "") == ""
