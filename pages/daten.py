"""Daten: Datenstand und Datenqualität, Importprotokoll, Vorlagen und Exporte; Datenimport für die Datenpflege."""

import datetime as dt

import streamlit as st

from data_access import signin
from data_access.importers.templates import EXPORT_TABLES, export_table
from data_access.provenance import Stand
from data_access.queries import data_quality as q
from formatting import num
from pages import _cache, _url, _widgets
from pages import _daten_widgets as w
from pages import _profile_widgets as profiles

_widgets.header(
    "Daten",
    "Woher die Zahlen kommen: Stand und Herkunft je Tabelle, Prüfungen, Importprotokoll, Vorlagen und Exporte. "
    "Importieren darf nur die Datenpflege.",
    demo=_cache.load(q.has_demo_rows),
)
w.last_result()
w.last_removal()

labels = {"stand": "Datenstand", "import": "Import", "export": "Vorlagen und Exporte", "protokoll": "Importprotokoll"}
choice = _url.segmented(
    "bereich",
    "Bereich",
    labels,
    "stand",
    what="den Bereich",
    key="daten_bereich",
    cleared="stand",
    label_visibility="collapsed",
)

if choice == "stand":
    w.table_status(_cache.load(q.table_status))
    w.checks(_cache.load(q.checks))
elif choice == "import":
    st.subheader("Datei importieren")
    if user := w.maintainer_gate():
        w.upload(user)
        profiles.manage(user)
        w.demo_removal(user)
elif choice == "export":
    w.templates()
    st.subheader("Tabellen exportieren")
    if not w.current_maintainer():
        # Raw tables hold what pages only show aggregated (names of Epic Owners, the import log): maintainers only.
        st.info(
            "Ganze Tabellen exportiert nur die angemeldete Datenpflege (Bereich „Import“). Jede Tabelle und jedes "
            "Diagramm der anderen Seiten lässt sich dort als CSV, Excel oder Bild herunterladen.",
            icon=":material/lock:",
        )
    else:
        st.caption(
            "Alle Zeilen einer Tabelle als CSV (Semikolon, Dezimalkomma) oder Excel; Zellen, die mit = + - @ "
            "beginnen, werden entschärft."
        )
        table = st.selectbox("Tabelle", EXPORT_TABLES, index=None, placeholder="Tabelle wählen", key="daten_export")
        if table:
            df = _cache.load(export_table, table=table)
            st.caption(f"{num(len(df))} Zeilen")
            # A raw table: its Stand is the moment of export; demo rows are flagged in the table's own is_demo column.
            demo_rows = "is_demo" in df and bool(df["is_demo"].any())
            mixed = demo_rows and not bool(df["is_demo"].all())
            export = Stand(dt.datetime.now().date(), f"DVN-Programmdatenbank, Tabelle {table}", demo_rows, mixed)
            _widgets.downloads(df, f"dvn_{table}", stand=export, key=f"daten_export_{table}")
else:
    maintainer = w.current_maintainer()
    w.import_log(_cache.load(q.import_log, people=bool(maintainer)))
    if maintainer:
        w.signin_log(signin.recent_events(_cache.engine()))  # not cached: the audit must be current
    else:
        st.caption(
            "Wer importiert hat, die einzelnen Probleme abgelehnter Dateien und das Anmeldeprotokoll sieht nur die "
            "angemeldete Datenpflege (Bereich „Import“)."
        )
