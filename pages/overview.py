"""Übersicht: the programme's headline figures, each with its Stand and source."""

import pandas as pd
import streamlit as st

from data_access.provenance import Stand
from data_access.queries import attention
from data_access.queries import overview as q
from formatting import date, num, pct
from pages import _cache, _widgets
from pages._lesehilfe import link
from reports import notes

eakte = _cache.load(q.eakte_headline)
services = _cache.load(q.services_headline)
pi = _cache.load(q.latest_pi_predictability)
focus = _cache.load(q.focus_connections)
eakte_trend = _cache.load(q.eakte_trend) if eakte else None
services_trend = _cache.load(q.services_trend) if services else None
pi_trend = _cache.load(q.pi_trend) if pi else None
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


def delta(change, *, unit: str = "", share: bool = False) -> dict:
    """st.metric arguments for a change: German number with sign, grey without change, nothing when unknown."""
    if change is None:
        return {}
    text = f"{num(abs(change) * 100, 1)} Pp." if share else f"{num(abs(change))}{unit}"
    if round(change, 3 if share else 0) == 0:
        return dict(delta="±0" + (" Pp." if share else unit), delta_color="off", delta_arrow="off")
    return dict(delta=("-" if change < 0 else "+") + text)


def since(trend: dict | None, key: str = "since") -> dict:
    return dict(delta_description=f"seit {date(trend[key])}") if trend and trend.get(key) else {}


def sparkline(label: str, whens: list, values: list, shown: list[str]) -> None:
    """A small trend under a KPI: a Vega-Lite line with its values as alternative text (st.metric's own sparkline
    has none, which screen readers announce as an unlabelled graphic); the table is in the expander below."""
    if not values or len(values) < 2:
        return
    points = [{"i": i, "Wert": v} for i, v in enumerate(values)]
    spec = {
        "data": {"values": points},
        "mark": {"type": "line", "point": {"size": 18, "aria": False}, "aria": False, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "i", "type": "ordinal", "axis": None},
            "y": {"field": "Wert", "type": "quantitative", "axis": None, "scale": {"zero": False}},
            "tooltip": None,
        },
        "config": {"view": {"stroke": None}},
    }
    alt = f"Verlauf {label}: " + ", ".join(f"{w} {v}" for w, v in zip(whens, shown, strict=True))
    st.vega_lite_chart(spec, height=44, width="stretch", alt=alt)


# One Stand line for the page: the sources report at different times, so each KPI keeps its own Stand below it.
stands = {
    "eAkte": eakte and eakte["as_of"],
    "Onlinedienste": services and services["as_of"],
    "PI-Ziele": pi and pi["end_date"],
}
stands = {k: v for k, v in stands.items() if v}
if len(set(stands.values())) == 1:
    st.caption(f"Stand aller Kennzahlen: {date(next(iter(stands.values())))}")
elif stands:
    st.caption(
        "Stand: "
        + " · ".join(f"{k} {date(v)}" for k, v in stands.items())
        + " – die Quellen melden zu eigenen Zeitpunkten (eAkte: letzter Stichtag der Behörden, Onlinedienste: "
        "neuester Angebotsstand, PI-Ziele: Ende des letzten abgeschlossenen PI); jede Kennzahl nennt ihren Stand."
    )

c1, c2, c3, c4 = st.columns(4)
with c1:
    if eakte:
        st.metric(
            "Behörden mit eAkte produktiv",
            f"{eakte['productive']} von {eakte['scope']}",
            **delta(eakte_trend and eakte_trend["productive_change"]),
            **since(eakte_trend),
        )
        if eakte_trend:
            sparkline(
                "Behörden mit eAkte produktiv",
                [date(d) for d in eakte_trend["dates"]],
                eakte_trend["productive"],
                [num(v) for v in eakte_trend["productive"]],
            )
        _widgets.caption(Stand.of(eakte))
        _widgets.published(_cache.load(notes.markers, keys=("eakte_authorities_2025_03",)))
    else:
        st.metric("Behörden mit eAkte produktiv", "–")
        st.caption("Noch keine eAkte-Daten geladen.")
with c2:
    if eakte:
        st.metric(
            "eAkte-Nutzende",
            num(eakte["users"]),
            **delta(eakte_trend and eakte_trend["users_change"]),
            **since(eakte_trend),
            help="Aktive Nutzende der Landesbehörden am Stand. " + link("eakte"),
        )
        if eakte_trend:
            sparkline(
                "eAkte-Nutzende",
                [date(d) for d in eakte_trend["dates"]],
                eakte_trend["users"],
                [num(v) for v in eakte_trend["users"]],
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
            **delta(services_trend and services_trend["services_change"]),
            **since(services_trend),
            help="Flächendeckend: in jeder Kommune mit Einwohnern nutzbar (über Gemeinde, Kreis oder Land), ab "
            "Reifegrad 3. Weitere: in mindestens einer Kommune nutzbar, aber nicht überall. " + link("flaechendeckend"),
        )
        if services_trend:
            sparkline(
                "Onlinedienste flächendeckend",
                [date(d) for d in services_trend["dates"]],
                services_trend["services"],
                [num(v) for v in services_trend["services"]],
            )
        st.caption(
            f"{num(services['services_more'])} weitere in mind. einer Kommune. "
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
            **delta(pi_trend and pi_trend["change"], share=True),
            **(dict(delta_description=f"ggü. PI {pi_trend['previous']}") if pi_trend and pi_trend["previous"] else {}),
            help="Σ erreichter Geschäftswert ÷ Σ geplanter Geschäftswert der verbindlichen Ziele; Zielband 80–100 %. "
            + link("vorhersagbarkeit"),
        )
        if pi_trend:
            sparkline(
                "Vorhersagbarkeit",
                [f"PI {n}" for n in pi_trend["pis"]],
                [round(v * 100, 1) for v in pi_trend["values"]],
                [pct(v) for v in pi_trend["values"]],
            )
        _widgets.caption(Stand.of(pi, date_key="end_date"))
    else:
        st.metric("Vorhersagbarkeit letztes PI", "–")
        st.caption("Noch kein abgeschlossenes PI bewertet.")


st.header("Handlungsbedarf", anchor="handlungsbedarf")
found = _cache.load(attention.findings) if shown else []
if not shown:
    st.info(
        "Noch keine Daten geladen: der Handlungsbedarf erscheint, sobald Daten importiert sind.", icon=":material/info:"
    )
elif not found:
    st.success(
        "Derzeit kein Handlungsbedarf: keine Behörde im Verzug, keine neuen oder zurückgezogenen Onlinedienste seit "
        "dem Vorquartal, keine Kommune weit unter ihrer Vergleichsgruppe, keine Hinweise zu den PI-Zielen.",
        icon=":material/check_circle:",
    )
for f in found:
    with st.container(border=True):
        st.markdown(f"**{_widgets.md(f.topic)}: {_widgets.md(f.title)}**")
        st.caption(f"{_widgets.md(f.detail)} · Stand: {date(f.stand)}" if f.stand else _widgets.md(f.detail))
        links = st.columns(len(f.links)) if len(f.links) <= 3 else [st.container() for _ in f.links]
        for box, target in zip(links, f.links, strict=True):
            box.page_link(
                target.page, label=target.label, icon=":material/arrow_forward:", query_params=dict(target.query)
            )
st.caption("Wie die Hinweise entstehen: " + link("handlungsbedarf"))

if focus:
    st.subheader("Fokusleistungen in den Kommunen")
    f1, f2 = st.columns(2)
    f1.metric(
        "Fokusleistungs-Anbindungen in Kommunen",
        num(focus["connections"]),
        **delta(services_trend and services_trend["focus_change"]),
        **since(services_trend),
        help="Gezählt: Anbindungen, also Kommune × Fokusleistung mit Status live (Kreise, Einheits- und Samtgemeinden). "
        + link("fokusleistungen"),
    )
    if services_trend:
        with f1:
            sparkline(
                "Fokusleistungs-Anbindungen",
                [date(d) for d in services_trend["dates"]],
                services_trend["connections"],
                [num(v) for v in services_trend["connections"]],
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


trend_rows = [
    (label, when, value)
    for trend, label, key, dates in (
        (eakte_trend, "Behörden mit eAkte produktiv", "productive", "dates"),
        (eakte_trend, "eAkte-Nutzende", "users", "dates"),
        (services_trend, "Onlinedienste flächendeckend", "services", "dates"),
        (services_trend, "Fokusleistungs-Anbindungen", "connections", "dates"),
        (pi_trend, "Vorhersagbarkeit", "values", "pis"),
    )
    if trend
    for when, value in zip(trend[dates], trend[key], strict=True)
]
if trend_rows:
    with st.expander("Verläufe der Kennzahlen als Tabelle", key="overview-trends", on_change="rerun") as box:
        if box.open:
            table = pd.DataFrame(trend_rows, columns=["Kennzahl", "Stichtag oder PI", "Wert"])
            table["Stichtag oder PI"] = [
                f"PI {w}" if isinstance(w, int) else date(w) for w in table["Stichtag oder PI"]
            ]
            table["Wert"] = [
                pct(v) if k.startswith("Vorhersagbarkeit") else num(v)
                for k, v in zip(table["Kennzahl"], table["Wert"], strict=True)
            ]
            _widgets.show_table(table)
            # Several sources with their own Stand: the file names the newest and every source (each row's Kennzahl
            # says where it comes from).
            stand = Stand(
                max(stands.values()),
                "; ".join(sorted({x["source"] for x in shown if x.get("source")})) or "–",
                demo,
                mixed,
            )
            _widgets.caption(stand)
            _widgets.downloads(
                table, "uebersicht_verlaeufe", stand=stand, key="overview-trends", content="Verläufe der Kennzahlen"
            )

st.divider()
st.page_link("pages/karte.py", label="Onlinedienste je Kommune", icon=":material/map:")
st.page_link("pages/eakte.py", label="eAkte-Rollout", icon=":material/folder_open:")
st.page_link("pages/pi-ziele.py", label="PI-Ziele", icon=":material/flag:")
st.page_link("pages/strategie.py", label="Strategische Maßnahmen", icon=":material/grid_on:")
