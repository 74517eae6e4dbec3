"""Widget groups of the usage figures (Nutzungszahlen): the service view below the map and the Steckbrief section."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from charts import services as charts
from data_access import counting
from data_access.provenance import Stand
from data_access.queries import usage
from data_access.units import Unit
from formatting import month, num
from pages import _cache, _url, _widgets
from pages._widgets import md
from reports import tables

NO_DATA = "Noch keine Nutzungszahlen geladen: Import „nutzung“ auf der Seite Daten (siehe docs/IMPORT.md)."


def rule_text() -> str:
    """The hardly-used rule in one German sentence, with the configured thresholds."""
    return (
        f"**Live, aber kaum genutzt:** seit mindestens {counting.HARDLY_USED_MONTHS} vollen Monaten ohne Unterbrechung "
        f"live, für jeden dieser Monate gemeldet, und darin weniger als {num(counting.HARDLY_USED_PER_1000, 1)} "
        f"Anträge je 1.000 Einwohner der anbietenden Einheit (ohne bekannte Einwohnerzahl: weniger als "
        f"{num(counting.HARDLY_USED_BELOW)} Anträge). Sonst „nicht beurteilt“."
    )


def _window_text(meta: dict) -> str:
    first, last = usage.window_bounds(meta["last"])
    return f"{month(first)} bis {month(last)}"


def _units_table(df: pd.DataFrame, basename: str, *, stand: Stand, key: str) -> None:
    table = tables.usage_table(df)
    _widgets.show_table(table, height=min(380, 38 + 35 * len(table)))
    _widgets.downloads(table, basename, stand=stand, key=key)


def service_view() -> None:
    """Below the map: one service's applications per month, its offering units per 1.000 residents and the offers
    that are live but hardly used."""
    st.subheader("Nutzung der Onlinedienste")
    meta = _cache.load(usage.usage_meta)
    if meta is None:
        st.caption(NO_DATA)
        return
    if meta["is_demo"]:
        _widgets.demo_badge(mixed=meta["is_mixed"])
    services = _cache.load(usage.usage_services)
    names = dict(zip(services["service_key"], services["name"], strict=True))
    key = _url.choice(
        "dienst", "Onlinedienst mit Nutzungszahlen", names, services["service_key"].iloc[0], what="den Onlinedienst"
    )
    stand = Stand.of(meta)
    per_month = _cache.load(usage.monthly, service_key=key)
    title = f"Anträge je Monat: {html.escape(names[key])} (alle anbietenden Einheiten)"
    _widgets.chart(
        charts.usage(per_month, title=title),
        tables.usage_month_table(per_month),
        basename=f"nutzung_{key}",
        stand=stand,
        key="usage_month",
    )
    everything = _cache.load(usage.window)
    st.markdown(
        f"**Je anbietende Einheit**, {_window_text(meta)}: Anträge und Anträge je 1.000 Einwohner (wo die "
        "Einwohnerzahl bekannt ist). Eine Zahl des Kreises umfasst alle Einwohner, die er versorgt."
    )
    _units_table(
        everything.loc[everything["service_key"] == key], f"nutzung_einheiten_{key}", stand=stand, key="usage_units"
    )
    hardly = everything.loc[everything["hardly_used"].map(lambda h: h is True)]
    st.caption(rule_text())
    # Built only while open, like the charts' tables (_widgets.table_alternative): the list can be long.
    label = f"Alle Angebote „live, aber kaum genutzt“: {num(len(hardly))}"
    with st.expander(label, key="usage_hardly-table", on_change="rerun") as box:
        if box.open:
            _units_table(hardly, "kaum_genutzt", stand=stand, key="usage_hardly")


def unit_view(info: Unit) -> None:
    """Steckbrief: the use of the services this unit offers itself (a Gemeinde: its Verwaltungseinheit)."""
    st.subheader("Nutzung der eigenen Onlinedienste")
    meta = _cache.load(usage.usage_meta)
    if meta is None:
        st.caption(NO_DATA)
        return
    ars = _cache.load(usage.offering_units, unit=info)
    per_month = _cache.load(usage.monthly, ars=ars) if ars else pd.DataFrame()
    if per_month.empty:
        st.caption(f"Für die Onlinedienste, die {md(info.name)} selbst anbietet, sind keine Nutzungszahlen gemeldet.")
        return
    stand = Stand.of(meta)
    window = _cache.load(usage.window, ars=ars)
    total = int(window["transactions"].sum())
    # One unit's residents (a kreisfreie Stadt's Kreis row and Verwaltungseinheit serve the same people).
    population = window["population"].max()
    k1, k2, k3 = st.columns(3)
    k1.metric(f"Anträge, {_window_text(meta)}", num(total))
    if population == population and population > 0:
        k2.metric("je 1.000 Einwohner", num(total * 1000 / population, 1))
    k3.metric("Angebote live, aber kaum genutzt", num(int(window["hardly_used"].map(lambda h: h is True).sum())))
    st.caption(
        "Gezählt werden die Anträge über die Onlinedienste, die diese Verwaltung selbst anbietet (eine kreisfreie "
        "Stadt mit ihren Kreis- und Gemeindeaufgaben); was Landkreis und Land anbieten, steht in deren Steckbrief. "
        + rule_text()
    )
    _widgets.chart(
        charts.usage(per_month, title=f"Anträge je Monat über die eigenen Onlinedienste ({html.escape(info.name)})"),
        tables.usage_month_table(per_month),
        basename=f"nutzung_{info.ars}",
        stand=stand,
        key="usage_unit_month",
    )
    _units_table(window, f"nutzung_dienste_{info.ars}", stand=stand, key="usage_unit")
