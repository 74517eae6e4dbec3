"""The dashboard's pages, run through st.navigation in dashboard.py (one file per page, helpers start with _)."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# Streamlit treats a folder named pages/ as an old-style multipage app until st.navigation has run once in the
# process. If a shared deep link (/eakte, /kommune?ars=…) is the first request after the server started, it runs
# that page file on its own, with a sidebar of file names (cache, widgets, …). Every page imports this package,
# so here is the one place to switch to st.navigation and rerun: dashboard.py then builds the real navigation
# and resolves the same page (v1 and v2 pages share the hash of their url path). Pinned Streamlit; the e2e test
# test_first_visit_after_start_gets_the_app_navigation proves it on every upgrade.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
