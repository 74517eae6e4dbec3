"""Baseline (issue 16): one small plotly bar chart, nothing of the project."""

import plotly.express as px
import streamlit as st

st.title("Baseline: ein Diagramm")
st.plotly_chart(px.bar(x=["A", "B", "C", "D"], y=[3, 1, 4, 2]))
