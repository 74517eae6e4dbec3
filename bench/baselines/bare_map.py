"""Baseline (issue 16): the bare choropleth of the app's GEM boundaries (DVN_GEO_DIR/GEM.geojson), no other elements."""

import json
import os
from pathlib import Path

import plotly.express as px
import streamlit as st

with open(Path(os.environ["DVN_GEO_DIR"]) / "GEM.geojson", encoding="utf-8") as f:
    geojson = json.load(f)
ids = [feature["id"] for feature in geojson["features"]]
fig = px.choropleth_map(
    locations=ids,
    geojson=geojson,
    color=[i % 7 for i in range(len(ids))],
    map_style="white-bg",
    zoom=5,
    center={"lat": 51.0, "lon": 10.4},
)
st.title("Baseline: Karte")
st.plotly_chart(fig)
