"""eAkte: rollout in the state authorities – KPIs, users with target and forecast, plan check per authority."""

import datetime as dt

import streamlit as st

from charts import eakte as charts
from data_access.provenance import Stand
from data_access.queries import eakte as q
from formatting import date, pct
from pages import _cache, _widgets
from pages import _eakte_widgets as w
from pages._lesehilfe import link
from reports import notes, tables

today = dt.date.today()
k = _cache.load(q.kpis, today=today)
INTRO = (
    "Wo steht die Einführung der elektronischen Akte (Basisdienst eAkte, DVN-Projekt P8), wer liegt hinter "
    "dem Plan, und reicht das Tempo für das Ziel und die Frist nach **NDIG § 10**?"
)
_widgets.header(
    "eAkte-Rollout in den Landesbehörden", INTRO, demo=bool(k and k["is_demo"]), mixed=bool(k and k["is_mixed"])
)
if k is None:
    st.info(
        "Noch keine eAkte-Daten geladen. Stichtagsdaten je Behörde lassen sich auf der Seite „Daten“ "
        "importieren (Importart „eAkte-Stichtage“).",
        icon=":material/info:",
    )
    st.stop()
as_of = k["as_of"]
stand = Stand.of(k)
w.kpi_row(
    k,
    today,
    {
        "authorities": _cache.load(notes.markers, keys=("eakte_authorities_2025_03",)),
        "users": _cache.load(notes.markers, keys=("eakte_users_2025_03", "eakte_users_2024_11")),
    },
)

st.header("Nutzende im Zeitverlauf")
months = w.months_choice()
series = _cache.load(q.users_series)
forecast = _cache.load(q.users_forecast, months=months)
published = _cache.load(q.milestones)
fig = charts.users_chart(
    series, forecast, published, months=months, target=k["target"], target_date=k["target_date"], deadline=k["deadline"]
)
_widgets.chart(
    fig,
    tables.users_table(series, forecast, published),
    basename="eakte_nutzende",
    stand=Stand.of(k, source=f"{k['source']}; veröffentlichte Zahlen: Quellen in der Tabelle zum Diagramm"),
    key="eakte-users",
)
st.markdown(w.forecast_text(forecast, months=months, target=k["target"]))

st.header("Behörden")
st.caption(
    f"Die Filter gelten für diesen Abschnitt. „Im Verzug“ wird zum Datenstand ({date(as_of)}) beurteilt, "
    "nicht zum heutigen Datum: geplanter Start vor dem Stand und noch nicht produktiv, oder produktiv mit "
    "einer Nutzung (aktive Nutzende ÷ geplante Arbeitsplätze) unter der Schwelle. " + link("eakte")
)
ministries = _cache.load(q.ministries)
sel = w.filters(ministries)
auth = _cache.load(
    q.authorities, ministry=sel.ministry, status=sel.status, threshold=sel.threshold, behind_only=sel.behind_only
)
st.markdown(
    f"**{len(auth)} Behörden** in der Auswahl, davon **{int(auth['behind_plan'].sum())} im Verzug** "
    f"(Start überfällig: {int(auth['late'].sum())}, Nutzung unter {pct(sel.threshold)}: "
    f"{int(auth['low_adoption'].sum())})."
)

tab_table, tab_map, tab_time, tab_ressort = st.tabs(["Übersicht", "Karte", "Zeitplan", "Nach Ressort"])
with tab_table:
    if auth.empty:
        st.info("Keine Behörde passt zu den gewählten Filtern.")
    else:
        w.show_authorities(auth)
        _widgets.caption(stand)
        _widgets.downloads(tables.authority_table(auth), "eakte_behoerden", stand=stand, key="eakte-authorities")
with tab_map:
    w.seat_map(auth, stand)
with tab_time:
    if auth.empty:
        st.info("Keine Behörde passt zu den gewählten Filtern.")
    else:
        _widgets.chart(
            charts.timeline_chart(auth, as_of=as_of, deadline=k["deadline"]),
            tables.authority_table(auth),
            basename="eakte_zeitplan",
            stand=stand,
            key="eakte-timeline",
        )
with tab_ressort:
    per_ministry = _cache.load(q.by_ministry, ministry=sel.ministry, status=sel.status)
    if per_ministry.empty:
        st.info("Keine Behörde passt zu den gewählten Filtern.")
    else:
        st.caption(
            "Je Ressort der Anteil seiner Behörden im Rollout nach Status (100 % = alle Behörden des Ressorts). "
            "Oben steht, wo am meisten zu tun ist: der geringste Anteil produktiver Behörden, bei Gleichstand die "
            "meisten noch nicht produktiven. Anzahlen und die Nutzung (aktive Nutzende ÷ geplante Arbeitsplätze) "
            "zeigt der Tooltip und die Tabelle zum Diagramm. " + link("eakte")
        )
        _widgets.chart(
            charts.ministry_chart(per_ministry),
            tables.ministry_table(per_ministry),
            basename="eakte_ressorts",
            stand=stand,
            key="eakte-ressorts",
        )
