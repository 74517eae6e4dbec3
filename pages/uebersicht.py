"""/uebersicht: the Übersicht's own address. The default page is served at "/" (Streamlit gives it no other path),
so this hidden page hands the visitor on to it with the address's parameters: no "Page not found" dialog."""

import streamlit as st

import pages  # noqa: F401  (a first request after start runs this file on its own: see pages/__init__.py)

st.switch_page("pages/overview.py", query_params=st.query_params.to_dict())
