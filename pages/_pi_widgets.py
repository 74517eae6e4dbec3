"""Widget groups of the PI-Ziele page: KPIs, PI/team choice kept in the URL, drill-down and quality list."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from charts import pi as ch
from data_access.provenance import Stand
from data_access.queries import pi as q
from formatting import date, num, pct
from pages import _url, _widgets
from pages._widgets import md
from reports import tables

ALL_TEAMS = "Alle Teams"


def provenance(pis: pd.DataFrame) -> tuple:
    """Stand (newest as-of of the PI data) and the sources, for every caption of the page."""
    sources = sorted({s for s in pis["source"].dropna()})
    return pis["as_of"].dropna().max(), " · ".join(sources) or "PI-Planung DVN"


def kpis(pis: pd.DataFrame, dq: pd.DataFrame) -> None:
    """Last finished PI, the running PI, PIs in the band and the number of data-quality findings."""
    done = pis[(pis["status"] == q.DONE) & (pis["objectives"] > 0)]
    running = pis[pis["status"] == q.RUNNING]
    c1, c2, c3, c4 = st.columns(4)
    if done.empty:
        c1.metric("Vorhersagbarkeit letztes PI", "n/a")
    else:
        last = done.iloc[-1]
        c1.metric(
            f"Vorhersagbarkeit PI {last['pi_number']} ({md(last['quarter'])})",
            pct(last["predictability"]),
            help="Σ erreichter Geschäftswert aller Ziele ÷ Σ geplanter Geschäftswert der verbindlichen Ziele",
        )
    if running.empty:
        c2.metric("Laufendes PI", "–")
    else:
        now = running.iloc[-1]
        c2.metric(
            f"PI {now['pi_number']} ({md(now['quarter'])}) läuft",
            f"{num(now['objectives'])} Ziele",
            help=f"bis {date(now['end_date'])}; {num(now['committed'])} verbindlich, "
            f"{num(now['uncommitted'])} unverbindlich",
        )
    recent = done.tail(8)
    in_band = sum(ch.category(v) == 3 for v in recent["predictability"])
    c3.metric("PIs im Zielband 80–100 %", f"{in_band} von {len(recent)}", help="die letzten bewerteten PIs (bis 8)")
    c4.metric("Hinweise zur Datenqualität", num(len(dq)))


def pick_pi(pis: pd.DataFrame) -> int:
    """PI chooser (?pi=18): newest first, default the last finished PI."""
    with_obj = pis[pis["objectives"] > 0]
    names = {str(r.pi_number): f"PI {r.pi_number} ({r.quarter}) – {r.status}" for r in with_obj.itertuples()}
    options = list(names)[::-1]
    done = with_obj[with_obj["status"] == q.DONE]
    default = str(done["pi_number"].iloc[-1]) if not done.empty else options[0]
    return int(_url.select("pi", "PI", options, default, key="pi_pick", what="das PI", format_func=names.get))


def pick_team(teams: pd.DataFrame) -> tuple[str, int | None]:
    """Team chooser (?team=Name) among the teams with objectives in the PI; 'Alle Teams' by default."""
    ids = dict(zip(teams["team"], teams["team_id"], strict=True))
    choice = _url.select("team", "Team", [ALL_TEAMS, *ids], ALL_TEAMS, key="team_pick", what="das Team", omit=ALL_TEAMS)
    return choice, (None if choice == ALL_TEAMS else int(ids[choice]))


def objectives(df: pd.DataFrame, *, pi_number: int, team: str, stand: Stand) -> None:
    """The drill-down list of one PI (and team) with its downloads."""
    if df.empty:
        st.info("Für diese Auswahl gibt es keine PI-Ziele.")
        return
    _widgets.show_table(
        tables.objectives_table(df, display=True),
        column_config={
            "Ziel": st.column_config.TextColumn(width="medium"),
            **{c: st.column_config.TextColumn(width="small") for c in ("verbindlich", "Plan-BV", "Ist-BV")},
        },
    )
    _widgets.caption(stand)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", team).strip("-").lower()
    _widgets.downloads(tables.objectives_table(df), f"pi-{pi_number}-ziele-{slug}", stand=stand, key="pi-objectives")


def quality(dq: pd.DataFrame, *, stand: Stand) -> None:
    """Data-quality findings: counts per check, the full list in an expander."""
    if dq.empty:
        st.success(
            "Keine Auffälligkeiten: alle Ziele haben Team und geplanten Geschäftswert, alle beendeten PIs "
            "sind bewertet.",
            icon=":material/check_circle:",
        )
        return
    st.warning(
        f"{num(len(dq))} Hinweise zur Datenqualität – bitte in der Quelle korrigieren und neu importieren.",
        icon=":material/warning:",
    )
    _widgets.show_table(tables.quality_summary(dq))
    with st.expander("Alle Hinweise"):
        table = tables.quality_table(dq)
        _widgets.show_table(table)
        _widgets.downloads(table, "pi-datenqualitaet", stand=stand, key="pi-dq")
