"""German formats and safe exports."""

import datetime as dt
import io

import openpyxl
import pandas as pd

from data_access.text import escape_formulas
from formatting import date, german_table, month, num, pct, stand
from reports.files import to_csv_bytes, to_excel_bytes


def test_german_numbers_and_dates():
    assert num(1234.5, 1) == "1.234,5"
    assert num(21000) == "21.000"
    assert num(44.55, 1) == "44,6" and num(-1234567.891, 2) == "-1.234.567,89"  # decimal rounding, as babel
    assert num(None) == "–" and num(float("nan")) == "–"
    assert pct(0.873) == "87 %"
    assert pct(1.042, 1) == "104,2 %"
    assert pct(None) == "n/a"
    assert date(dt.date(2025, 3, 18)) == "18.03.2025"
    assert date("2025-03-18") == "18.03.2025"
    assert month(dt.date(2025, 3, 1)) == "März 2025"
    assert stand(dt.date(2024, 3, 19), "Handlungsplan DVN") == "Stand: 19.03.2024 · Quelle: Handlungsplan DVN"


def test_formula_cells_are_escaped_but_numbers_are_not():
    df = pd.DataFrame({"text": ["=HYPERLINK(1)", "+49+A1", "-x", "@SUM(A1)", "normal"], "zahl": [-1, 2, 3, 4, 5]})
    out = escape_formulas(df)
    assert out["text"].tolist() == ["'=HYPERLINK(1)", "'+49+A1", "'-x", "'@SUM(A1)", "normal"]
    assert out["zahl"].tolist() == [-1, 2, 3, 4, 5]


def test_csv_is_german_excel_friendly():
    df = pd.DataFrame({"Name": ["=1+1"], "Anteil": [0.5], "Datum": [pd.Timestamp("2025-03-18")]})
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines() == ["Name;Anteil;Datum", "'=1+1;0,5;18.03.2025"]


def test_excel_has_note_and_escaped_cells():
    wb = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(pd.DataFrame({"a": ["@x"]}), note="Stand: 18.03.2025")))
    ws = wb.active
    assert ws["A1"].value == "Stand: 18.03.2025"
    assert ws["A3"].value == "a" and ws["A4"].value == "'@x"


def test_german_table_formats_display_but_keeps_values():
    df = pd.DataFrame(
        {
            "Zeilen": pd.array([59378, None, 7], dtype="Int64"),
            "Anteil": [0.5, 1234.25, 3.0],
            "Stand": [dt.date(2025, 3, 18), None, dt.date(2024, 1, 1)],
            "Name": ["Hann. Münden", "Seeburg", "Waake"],
            "aktiv": [True, False, True],
        }
    )
    styler = german_table(df)
    shown = styler.to_string().splitlines()
    assert shown[1].split() == ["0", "59.378", "0,5", "18.03.2025", "Hann.", "Münden", "True"]
    assert shown[2].split() == ["1", "–", "1.234,2", "–", "Seeburg", "False"]
    assert styler.data is df  # sorting, downloads and AppTest see the numbers, not text


def test_german_table_shows_a_dash_for_every_missing_value():
    """st.dataframe prints "None" for a missing text cell: every kind of missing value shows "–" instead."""
    df = pd.DataFrame(
        {
            "Name": ["Seeburg", None, float("nan")],
            "Hinweis": pd.array(["x", pd.NA, None], dtype="string"),
            "Zahl": [1.5, None, float("nan")],
            "Tag": pd.to_datetime(["2025-03-18", None, None]),
            "leer": [None, None, None],
        }
    )
    shown = [line.split() for line in german_table(df).to_string().splitlines()[1:]]
    assert shown[0] == ["0", "Seeburg", "x", "1,5", "18.03.2025", "–"]
    assert [row[1:] for row in shown[1:]] == [["–"] * 5, ["–"] * 5]
    assert not any("None" in cell or "nan" in cell.lower() or "<NA>" in cell for row in shown for cell in row)
