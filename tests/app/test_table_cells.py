"""AppTest: no table on any page shows "None" (or nan, NaT, <NA>) in a cell; a missing value reads "–".

The grid draws its placeholder (Streamlit's default: "None") for every missing cell, whatever the Styler's display
value says; other cells show the Styler's display values (pages/_widgets.show_table passes every table through
formatting.german_table). Both are read from the element's protobuf, as the browser gets them.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pytest

from data_access.db import make_engine
from data_access.queries import regions
from tests.app._tables import open_tables

PAGES = [
    "pages/overview.py",
    "pages/karte.py",
    "pages/kommune.py",
    "pages/dienste.py",
    "pages/eakte.py",
    "pages/pi-ziele.py",
    "pages/strategie.py",
    "pages/daten.py",
]
MISSING_TEXT = {"None", "nan", "NaN", "NaT", "<NA>"}


def _shown(element) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table's values and the texts the browser is told to show in its cells."""
    values = element.value
    styler = element.proto.arrow_data.styler
    if not styler.display_values:
        return values, values.astype(object).where(values.notna(), None)
    shown = pa.ipc.open_stream(io.BytesIO(styler.display_values)).read_pandas()
    return values, shown


@pytest.fixture(scope="module")
def vwg_ars(demo_url) -> str:
    e = make_engine(demo_url)
    try:
        return regions.units(e, level="VWG")["ars"].iloc[0]
    finally:
        e.dispose()


@pytest.mark.parametrize("page", PAGES)
def test_no_cell_reads_none(open_page, demo_url, demo_geo_dir, monkeypatch, vwg_ars, page):
    monkeypatch.setenv("DVN_GEO_DIR", str(demo_geo_dir))
    at = open_tables(open_page(demo_url, page, {"ars": vwg_ars} if page == "pages/kommune.py" else None))
    assert not at.exception, at.exception
    tables = list(at.dataframe)
    if page != "pages/overview.py":
        assert tables, f"{page}: keine Tabelle gefunden – die Prüfung prüft nichts"
    for element in tables:
        assert element.proto.placeholder == "–", f"{page}: Tabelle ohne Platzhalter „–“: {list(element.value.columns)}"
        values, shown = _shown(element)
        assert shown.shape == values.shape
        bad = [(col, v) for col in shown.columns for v in shown[col] if v is None or str(v).strip() in MISSING_TEXT]
        assert not bad, f"{page}: Zellen ohne „–“: {bad[:5]} in {list(values.columns)}"
        for i, col in enumerate(values.columns):
            missing = values[col].isna().to_numpy()
            assert (shown.iloc[missing, i].astype(str) == "–").all(), f"{page}: {col}: fehlender Wert nicht als „–“"
