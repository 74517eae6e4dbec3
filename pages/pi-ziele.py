"""PI-Ziele: predictability of the programme and its teams per PI, drill-down to objectives, data quality."""

import datetime as dt

import streamlit as st

from charts import pi as ch
from data_access.provenance import Stand
from data_access.queries import pi as q
from pages import _cache, _widgets
from pages import _pi_widgets as w
from pages._lesehilfe import link
from reports import tables

today = dt.date.today()
pis = _cache.load(q.programme_predictability, today=today)
demo = bool(pis["is_demo"].any())
# Mixed: a PI with real objectives beside demo rows, or real and demo PIs side by side.
mixed = demo and (bool(pis["is_mixed"].any()) or not bool(pis.loc[pis["objectives"] > 0, "is_demo"].all()))

_widgets.header(
    "PI-Ziele und Vorhersagbarkeit",
    "Wie verlässlich liefert das Programm, was es im PI Planning zusagt? **Vorhersagbarkeit** = Σ erreichter "
    "Geschäftswert aller Ziele ÷ Σ geplanter Geschäftswert der verbindlichen Ziele; Zielband 80–100 %. "
    "Unverbindliche Ziele zählen nur beim erreichten Wert mit, daher sind über 100 % möglich. "
    + link("vorhersagbarkeit"),
    demo=demo,
    mixed=mixed,
)
if int(pis["objectives"].sum()) == 0:
    st.info(
        "Noch keine PI-Ziele geladen. Ziele lassen sich als CSV- oder Excel-Datei importieren.", icon=":material/info:"
    )
    st.page_link("pages/daten.py", label="Zum Datenimport", icon=":material/upload:")
    st.stop()

teams = _cache.load(q.team_predictability, today=today)
dq = _cache.load(q.data_quality, today=today)
as_of, source = w.provenance(pis)
stand = Stand(as_of, source, demo, mixed)

w.kpis(pis, dq)
_widgets.chart(
    ch.programme_chart(pis),
    tables.programme_table(pis),
    basename="pi-vorhersagbarkeit-programm",
    stand=stand,
    key="pi-programme",
)

st.header("Teams")
_widgets.chart(
    ch.team_heatmap(teams),
    tables.team_table(teams),
    basename="pi-vorhersagbarkeit-teams",
    stand=stand,
    key="pi-teams",
)
st.caption(
    "Grau: PI läuft noch oder das Team hat keine verbindlichen Ziele mit geplantem Geschäftswert (n/a). "
    "Leere Felder: keine Ziele in diesem PI."
)

st.header("Ziele eines PI")
c1, c2 = st.columns(2)
with c1:
    pi_number = w.pick_pi(pis)
pi_teams = _cache.load(q.team_predictability, today=today, pi_number=pi_number)
with c2:
    team, team_id = w.pick_team(pi_teams)
st.subheader(f"Teams in PI {pi_number}")
_widgets.show_table(tables.team_table(pi_teams, with_pi=False))
st.subheader(f"Ziele: PI {pi_number}, {_widgets.md(team)}")
w.objectives(
    _cache.load(q.objectives, pi_number=pi_number, team_id=team_id),
    pi_number=pi_number,
    team=team,
    stand=stand,
)

st.header("Datenqualität")
w.quality(dq, stand=stand)
st.page_link(
    "pages/daten.py", label="PI-Ziele importieren (CSV oder Excel) auf der Seite Daten", icon=":material/upload:"
)
