"""Baseline (issue 16): a bare Streamlit page, a title and four st.metric, nothing of the project."""

import streamlit as st

st.title("Baseline")
for col, (label, value) in zip(st.columns(4), [("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")], strict=True):
    col.metric(label, value)
