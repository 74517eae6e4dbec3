"""Übersicht: the programme's headline figures, each with its Stand and source."""

import streamlit as st

from data_access.provenance import Stand
from data_access.queries import overview as q
from formatting import num, pct
from pages import _cache, _widgets
from pages._lesehilfe import link
from reports import notes

eakte = _cache.load(q.eakte_headline)
services = _cache.load(q.services_headline)
pi = _cache.load(q.latest_pi_predictability)
focus = _cache.load(q.focus_connections)
shown = [x for x in (eakte, services, pi, focus) if x]
demo = any(x["is_demo"] for x in shown)
# Mixed: a figure holds real rows beside demo ones, or a real figure stands beside a demo one.
mixed = demo and (any(x.get("is_mixed") for x in shown) or not all(x["is_demo"] for x in shown))

_widgets.header(
    "DVN-Dashboard",
    "Stand des Programms **Digitale Verwaltung Niedersachsen**: eAkte, Onlinedienste und PI-Ziele auf einen Blick.",
    demo=demo,
    mixed=mixed,
)

c1, c2, c3, c4 = st.columns(4)
with c1:
    if eakte:
        st.metric("Behörden mit eAkte produktiv", f"{eakte['productive']} von {eakte['scope']}")
        _widgets.caption(Stand.of(eakte))
        _widgets.published(_cache.load(notes.markers, keys=("eakte_authorities_2025_03",)))
    else:
        st.metric("Behörden mit eAkte produktiv", "–")
        st.caption("Noch keine eAkte-Daten geladen.")
with c2:
    if eakte:
        st.metric(
            "eAkte-Nutzende", num(eakte["users"]), help="Aktive Nutzende der Landesbehörden am Stand. " + link("eakte")
        )
        if eakte["target"]:
            st.caption(notes.eakte_target_note(eakte["target"]))
        _widgets.caption(Stand.of(eakte))
        _widgets.published(_cache.load(notes.markers, keys=("eakte_users_2025_03",)))
    else:
        st.metric("eAkte-Nutzende", "–")
with c3:
    if services:
        st.metric(
            "Onlinedienste flächendeckend",
            num(services["services_full"]),
            delta=f"{num(services['services_more'])} weitere in mind. einer Kommune",
            delta_color="off",
            help="Flächendeckend: in jeder Kommune mit Einwohnern nutzbar (über Gemeinde, Kreis oder Land), ab "
            "Reifegrad 3. Weitere: in mindestens einer Kommune nutzbar, aber nicht überall. " + link("flaechendeckend"),
        )
        st.caption(
            f"Fokusleistungen flächendeckend: {services['focus_full']} von {services['focus_total']}, "
            f"{services['focus_more']} weitere in mind. einer Kommune"
        )
        _widgets.caption(Stand.of(services))
        _widgets.published(
            _cache.load(notes.markers, keys=("ozg_services_online_2025", "ozg_services_one_kommune_2025"))
        )
    else:
        st.metric("Onlinedienste flächendeckend", "–")
        st.caption("Noch keine Angebote geladen.")
with c4:
    if pi:
        st.metric(
            f"Vorhersagbarkeit PI {pi['pi_number']} ({_widgets.md(pi['quarter'])})",
            pct(pi["predictability"]),
            help="Σ erreichter Geschäftswert ÷ Σ geplanter Geschäftswert der verbindlichen Ziele; Zielband 80–100 %. "
            + link("vorhersagbarkeit"),
        )
        _widgets.caption(Stand.of(pi, date_key="end_date"))
    else:
        st.metric("Vorhersagbarkeit letztes PI", "–")
        st.caption("Noch kein abgeschlossenes PI bewertet.")

if focus:
    st.subheader("Fokusleistungen in den Kommunen")
    f1, f2 = st.columns(2)
    f1.metric(
        "Fokusleistungs-Anbindungen in Kommunen",
        num(focus["connections"]),
        help="Gezählt: Anbindungen, also Kommune × Fokusleistung mit Status live (Kreise, Einheits- und Samtgemeinden). "
        + link("fokusleistungen"),
    )
    f2.metric(
        "Kommunale Verwaltungen mit mindestens einer Fokusleistung",
        pct(focus["share"]),
        help=f"{num(focus['connected'])} von {num(focus['units'])} Kreisen, Einheits- und Samtgemeinden",
    )
    _widgets.caption(Stand.of(focus))
    _widgets.published(
        _cache.load(notes.markers, keys=("focus_share_2025_q1", "focus_share_target_2025_06", "focus_connections_2025"))
    )

st.divider()
st.page_link("pages/karte.py", label="Onlinedienste je Kommune", icon=":material/map:")
st.page_link("pages/eakte.py", label="eAkte-Rollout", icon=":material/folder_open:")
st.page_link("pages/pi-ziele.py", label="PI-Ziele", icon=":material/flag:")
st.page_link("pages/strategie.py", label="Strategische Maßnahmen", icon=":material/grid_on:")
