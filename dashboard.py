"""DVN-Dashboard: page configuration and navigation (everything else lives in pages/)."""

import streamlit as st

from pages import _cache, _url, _widgets
from pages._lesehilfe import PAGE_SECTIONS

# A local favicon: a ":material/…:" page icon makes the browser fetch its SVG from fonts.gstatic.com.
st.set_page_config(page_title="DVN-Dashboard", page_icon="assets/favicon.png", layout="wide")

# ?praesentation=1: the Präsentationsmodus opens at "/" and the navigation is hidden (nothing but slides in view).
PRESENTING = _url.get("praesentation") == "1"

# Each page's url_path equals its file name (pages/pi-ziele.py → /pi-ziele): on the first request after start,
# Streamlit still resolves a deep link against the pages/ folder (see pages/__init__.py); a mismatch would show
# "Page not found". The default page is served at "/" only: Streamlit reserves its url_path but serves nothing
# there, so the Übersicht's own address /uebersicht is a hidden page that switches to it (pages/uebersicht.py).
OVERVIEW = st.Page(
    "pages/overview.py",
    title="Übersicht",
    icon=":material/dashboard:",
    url_path="overview",
    default=not PRESENTING,
)
PAGES = [
    OVERVIEW,
    st.Page("pages/karte.py", title="Onlinedienste", icon=":material/map:", url_path="karte"),
    st.Page("pages/kommune.py", title="Kommune", icon=":material/location_city:", url_path="kommune"),
    st.Page("pages/dienste.py", title="Wo gibt es …?", icon=":material/travel_explore:", url_path="dienste"),
    st.Page("pages/eakte.py", title="eAkte", icon=":material/folder_open:", url_path="eakte"),
    st.Page("pages/pi-ziele.py", title="PI-Ziele", icon=":material/flag:", url_path="pi-ziele"),
    st.Page("pages/strategie.py", title="Strategie", icon=":material/grid_on:", url_path="strategie"),
    st.Page("pages/daten.py", title="Daten", icon=":material/database:", url_path="daten"),
    st.Page(
        "pages/praesentation.py",
        title="Präsentation",
        icon=":material/slideshow:",
        url_path="praesentation",
        default=PRESENTING,
    ),
    st.Page("pages/methodik.py", title="Lesehilfe", icon=":material/help:", url_path="methodik"),
    st.Page("pages/barrierefreiheit.py", title="Barrierefreiheit", url_path="barrierefreiheit", visibility="hidden"),
    st.Page("pages/impressum.py", title="Impressum", url_path="impressum", visibility="hidden"),
    st.Page("pages/datenschutz.py", title="Datenschutz", url_path="datenschutz", visibility="hidden"),
    st.Page("pages/uebersicht.py", title="Übersicht", url_path="uebersicht", visibility="hidden"),
]

page = st.navigation(PAGES, position="hidden" if PRESENTING else "sidebar")
# An unknown value gets the German hint after the navigation, in the page; on /praesentation the page sets it to 1.
_url.value("praesentation", "0", ("0", "1"), what="den Präsentationsmodus", shown="die normale Ansicht")
try:
    with _cache.outage_guard():  # database down: a German message and a rerun by itself once it is back
        page.run()
finally:
    # Also under a page that stopped early (st.stop, e.g. no data yet): the legal pages are linked from every page.
    _widgets.footer(PAGE_SECTIONS.get("" if page is OVERVIEW else page.url_path, ()))
