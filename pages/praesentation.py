"""Präsentationsmodus: the programme's key slides full-width for a projector, keyboard/clicker navigation, exports."""

import streamlit as st

from charts import slides as charts
from data_access.queries import services
from geo.load import boundaries_if_built, level_extent
from geo.load import url as boundaries_url
from pages import _cache, _url, _widgets
from pages import _slides as w
from pages._widgets import md
from reports import slides as model

# dashboard.py hides the navigation when ?praesentation=1; opened as /praesentation, set it once.
if _url.get("praesentation") != "1":
    st.switch_page("pages/praesentation.py", query_params={**st.query_params.to_dict(), "praesentation": "1"})

deck = _cache.load(model.deck)
n = len(deck)
geojson = boundaries_if_built(model.MAP_LEVEL)  # inline for the exported images
shapes = boundaries_url(model.MAP_LEVEL)  # by address on the page: fetched once, not on every slide change
seconds = w.interval()


@st.fragment(run_every=seconds or None)
def show() -> None:
    # A fragment: Weiter/Zurück and the auto-advance timer redraw the slide only, not the export popover.
    index = w.advance_if_due(w.slide_index(n), n, seconds)
    slide = deck[index]
    fig = charts.figure(slide, geojson=shapes, bounds=level_extent(model.MAP_LEVEL)) if slide.chart else None
    w.heading(slide)
    if slide.chart is None:
        w.kpi_tiles(slide)
        if slide.note:
            st.info(md(slide.note), icon=":material/info:")
        st.caption(md(slide.stand))
    else:
        w.chart_slide(slide, fig, index)
        if slide.note:
            st.caption(md(slide.note))
    if index == n - 1:  # the end of the talk: where the audience finds the operator's legal pages
        _widgets.legal_links()
    st.divider()
    w.navigation(index, n)


show()
meta = _cache.load(services.offers_meta)
w.options(deck, geojson, _cache.engine(), meta and meta["as_of"], demo=bool(meta and meta["is_demo"]), current=seconds)
