"""Impressum: who publishes the dashboard (the operator's settings, pages/_rechtliches.py), plus the data credits."""

import streamlit as st

from pages import _rechtliches as r
from pages import _widgets

USED = {
    "betreiber": (
        "name",
        "anschrift",
        "vertreten_durch",
        "email",
        "telefon",
        "inhaltlich_verantwortlich",
        "internetadresse",
    )
}

texts = r.load()
_widgets.header("Impressum", "Angaben zum Anbieter dieses Dashboards (§ 5 DDG, § 18 MStV).")
r.warn_if_unfilled(texts, USED)
st.header("Herausgeber", anchor="herausgeber")
r.text(r.value(texts, "betreiber", "name"))
r.text(r.value(texts, "betreiber", "anschrift"))
r.field("Vertreten durch", r.value(texts, "betreiber", "vertreten_durch"))
st.header("Kontakt", anchor="kontakt")
r.field("E-Mail", r.value(texts, "betreiber", "email"))
r.field("Telefon", r.value(texts, "betreiber", "telefon"))
r.field("Internetadresse", r.value(texts, "betreiber", "internetadresse"))
st.header("Inhaltlich verantwortlich", anchor="verantwortlich")
r.text(r.value(texts, "betreiber", "inhaltlich_verantwortlich"))
st.header("Daten und Quellen", anchor="quellen")
st.markdown(
    "Grenzen der Kommunen: © GeoBasis-DE / BKG (Daten verändert), Datenlizenz Deutschland – Namensnennung 2.0. "
    "Jede Zahl nennt ihren Stand und ihre Quelle; Beispieldaten sind als solche gekennzeichnet "
    "([Lesehilfe: Stand und Quellen](/methodik#stand))."
)
