"""Onlinedienste: online services available to residents per Gemeinde, Verwaltungseinheit or Kreis on a map."""

import streamlit as st

from charts import maps
from charts import services as charts
from data_access import counting
from data_access.provenance import Stand
from data_access.queries import services as q
from formatting import num
from geo.load import boundaries_if_built, level_extent
from geo.load import url as boundaries_url
from pages import _cache, _usage_widgets, _widgets
from pages import _map_widgets as w
from pages._copy_link import copy_link_button
from reports import tables
from reports.labels import LEVEL_SINGULAR

meta = _cache.load(q.offers_meta)
_widgets.header(
    "Onlinedienste je Kommune",
    "Welche Onlinedienste können die Menschen einer Kommune nutzen? Gezählt wird, was ihre Gemeinde bzw. "
    "Samtgemeinde, ihr Landkreis und das Land anbieten (Zuständigkeit). Klick auf die Karte öffnet den Steckbrief.",
    demo=bool(meta and meta["is_demo"]),
    mixed=bool(meta and meta["is_mixed"]),
)
if meta is None:
    st.info("Noch keine Angebote geladen. Beispieldaten: `python -m data_access seed --demo`.", icon=":material/info:")
w.search()
copy_link_button()  # the address carries every filter (level, Themenfeld, Stichtag …)


@st.fragment
def view() -> None:
    # A fragment: changing a filter reruns only this part, not the header and the search box.
    sel = w.filters(meta)
    df = _cache.load(q.availability, **sel.options())
    column, label, share = q.MEASURES[sel.measure]
    legend = maps.classes(df[column], share=share)
    st.markdown(f"**Gezeigt:** {w.describe(sel)}")
    stand = Stand.of(meta)
    geojson = boundaries_if_built(sel.level)
    ranking = tables.ranking_table(df, measure=sel.measure)
    left, right = st.columns([3, 2])
    with left:
        if geojson is None:
            st.info(w.BUILD_HINT, icon=":material/map:")
        else:
            title = f"{label} je {LEVEL_SINGULAR[sel.level]}"
            # The figure names the boundaries by address: the browser fetches them once, not on every rerun.
            shapes = boundaries_url(sel.level)
            fig = maps.choropleth(
                df,
                shapes,
                value=column,
                title=title,
                legend_title=label,
                share=share,
                legend=legend,
                bounds=level_extent(sel.level),
            )
            event = _widgets.chart(
                fig,
                ranking,
                basename=f"karte_{w.file_part(sel, stand.as_of)}",
                stand=stand,
                key=f"map_{sel.level}",
                on_select="rerun",
                selection_mode="points",
                content=w.content(sel),
            )
            w.attribution()
            _open_selected(event)
    with right:
        st.subheader("Rangliste")
        _widgets.show_table(ranking, height=380)
        _widgets.downloads(
            ranking, f"rangliste_{w.file_part(sel, stand.as_of)}", stand=stand, key="ranking", content=w.content(sel)
        )
        dist = charts.distribution(
            df,
            value=column,
            share=share,
            legend=legend,
            title=f"Verteilung: {label}",
            x_title=f"{label}{' in %' if share else ''} (Klassen wie in der Karte)",
        )
        _widgets.chart(
            dist,
            ranking[["Name", "ARS", tables.TABLE_COLUMN[sel.measure]]],
            basename="verteilung",
            stand=stand,
            key="dist",
        )
    w.data_quality(sel.level, df, geojson)


def maturity_section(meta) -> None:
    """What "online" means here: the catalogue by Reifegrad, counted and not counted side by side."""
    table = tables.maturity_table(_cache.load(q.maturity))
    if table.empty:
        return
    st.subheader("Reifegrad der Onlinedienste")
    not_counted = table.loc[table["zählt als online"] == "nein", "Onlinedienste im Katalog"].sum()
    unknown = table.loc[table["Reifegrad"] == "unbekannt", "Onlinedienste im Katalog"].sum()
    st.caption(
        f"Gezählt werden Dienste ab Reifegrad {counting.ONLINE_FROM['1.x']} (Modell 1.x, online beantragen; Modell "
        f"2.0 ab Stufe {counting.ONLINE_FROM['2.0']}). Nicht gezählt: {num(not_counted)} Dienste, "
        f"davon {num(unknown)} ohne bekannten Reifegrad."
    )
    _widgets.chart(
        charts.maturity(table, title="Onlinedienste im Katalog nach Reifegrad"),
        table,
        basename="reifegrad",
        stand=Stand.of(meta),
        key="maturity",
    )


def _open_selected(event) -> None:
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points:
        point = points[0]
        ars = point.get("location")
        if ars:
            st.switch_page("pages/kommune.py", query_params={"ars": ars})


view()
_usage_widgets.service_view()
maturity_section(meta)
