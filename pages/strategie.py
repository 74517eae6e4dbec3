"""Strategie: which strategic measures the action plan implements, PI progress per domain, the portfolio."""

import datetime as dt

import streamlit as st

from pages import _strategy_widgets as w
from pages import _widgets

today = dt.date.today()
_widgets.header(
    "Strategische Maßnahmen und Portfolio",
    "Wie setzen die 43 Maßnahmen des **Handlungsplans DVN** die 43 strategischen Maßnahmen der Strategie "
    "„Digitale Verwaltung 2030“ um, welche greift er (noch) nicht auf, und wie bewegt sich das Portfolio?",
)
row_keys = w.coverage_section()
if row_keys:
    w.detail_section(row_keys, today=today)
st.divider()
w.progress_section()
st.divider()
w.portfolio_section(today=today)
