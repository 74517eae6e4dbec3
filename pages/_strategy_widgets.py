"""Widget groups of the Strategie page: coverage matrix, measure details, PI progress and portfolio."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from charts import strategy as charts
from data_access.provenance import Stand
from data_access.queries import strategy as q
from formatting import date, num
from pages import _cache, _url, _widgets
from pages._widgets import md
from reports import tables

PLAN = "Handlungsplan DVN, 19.03.2024, Anlagen „Liste Maßnahmen Handlungsplan“ und „Liste Strategische Maßnahmen“"
PLAN_DATE = dt.date(2024, 3, 19)
PARAM = "massnahme"
SELECT_KEY = "strategie-massnahme"
COVERAGE_KEY = "strategie-abdeckung"
VALUES = {"anzahl": ("Anzahl Ziele", "objectives"), "geschaeftswert": ("Erreichter Geschäftswert", "bv_share")}
LEVELS = {"handlungsfeld": ("Handlungsfeld", "domain"), "massnahme": ("Strategische Maßnahme", "strategic")}


def _select_measure(row_key: str | None) -> None:
    st.session_state[SELECT_KEY] = row_key
    _url.sync(PARAM, row_key or None, None)


def _on_cell_click() -> None:
    # Heatmap y categories are the row keys; chapter headers and the 'Summe' row are not measures.
    event = st.session_state.get(COVERAGE_KEY)
    points = (event or {}).get("selection", {}).get("points", [])
    keys = set(st.session_state.get("_strategie_row_keys", []))
    for p in points:
        if p.get("y") in keys:
            _select_measure(p["y"])
            return


def coverage_section() -> list[str]:
    """Heatmap 1 (real annex data, no badge) and the list of uncovered strategic measures; returns row keys."""
    grid = _cache.load(q.coverage)
    if grid.empty:
        st.info("Der Handlungsplan ist noch nicht geladen.")
        return []
    uncovered = _cache.load(q.uncovered_strategic)
    st.subheader("Welche Maßnahmen setzen welche strategischen Maßnahmen um?")
    st.markdown(
        "Zeilen: Maßnahmen des Handlungsplans nach Kapitel B.1–B.6; Spalten: strategische Maßnahmen "
        "#1–#43 nach Handlungsfeld. **Klick auf eine Zelle** zeigt die Maßnahme unten im Detail."
    )
    summary = _cache.load(q.coverage_summary)
    st.markdown(
        f"**{summary['with_project']} von {summary['strategic']}** strategischen Maßnahmen haben eine Umsetzung "
        f"in einem Projekt (Pn); im Anhang aufgegriffen (jede Umsetzungsart, auch „Neues Projekt … offen“, Betrieb, "
        f"Linie): **{summary['referenced']} von {summary['strategic']}**."
    )
    if not uncovered.empty:
        names = ", ".join(f"#{n} {s}" for n, s in zip(uncovered["number"], uncovered["short_name"], strict=True))
        # Not "nothing happens": the plan says where these go (later extension or separate initiatives).
        st.info(
            f"**{len(uncovered)} strategische Maßnahmen noch ohne Maßnahme im Handlungsplan:** {md(names)}. "
            f"{q.LATER_OR_ELSEWHERE}",
            icon=":material/schedule:",
        )
    row_keys = list(grid.drop_duplicates("row_key").sort_values("row_no")["row_key"])
    st.session_state["_strategie_row_keys"] = row_keys
    _widgets.chart(
        charts.coverage_heatmap(grid),
        tables.coverage_matrix(grid),
        basename="abdeckung_massnahmen_strategie",
        stand=Stand(PLAN_DATE, PLAN),
        key=COVERAGE_KEY,
        on_select=_on_cell_click,
        selection_mode="points",
    )
    return row_keys


def detail_section(row_keys: list[str], *, today: dt.date) -> None:
    """Selectbox of measures (synchronised with ?massnahme=) and the selected measure's details."""
    st.subheader("Maßnahme im Detail")
    current = _url.value(PARAM, None, row_keys, what="die Maßnahme", shown="keine Maßnahme")
    if st.session_state.get(SELECT_KEY) != current and current is not None:
        st.session_state[SELECT_KEY] = current
    measures = _cache.load(q.measure_list)
    titles = dict(zip(measures["row_key"], measures["title"], strict=True))
    st.selectbox(
        "Maßnahme auswählen",
        row_keys,
        index=None,
        key=SELECT_KEY,
        placeholder="Maßnahme wählen …",
        format_func=lambda k: f"{k} {titles.get(k, '')}",
        on_change=lambda: _select_measure(st.session_state.get(SELECT_KEY)),
    )
    if current is None:
        st.caption("Noch keine Maßnahme gewählt: eine Zelle in der Matrix anklicken oder oben auswählen.")
        return
    detail = _cache.load(q.measure_detail, row_key=current)
    m = detail["measure"]
    with st.container(border=True):
        st.markdown(f"#### {md(m['row_key'])} {md(m['title'])}")
        if detail["headings"]:
            st.caption(" › ".join(md(h) for h in detail["headings"]))
        status = q.runtime_status(m["runtime_start"], m["runtime_end"], today=today)
        facts = pd.DataFrame(
            {
                "Angabe": [
                    "Kapitel",
                    "Umsetzung",
                    "Laufzeit",
                    "Gesetzliche Verpflichtung",
                    "Ressort",
                    "Behörde",
                    "Betroffen u. a.",
                    "Strategische Maßnahmen (Anlage)",
                ],
                "Wert": [
                    m["chapter"],
                    f"{m['implementation']} (Art: {m['implementation_class']})",
                    f"{m['runtime'] or 'keine Angabe'} (bewilligt laut Anlage, Stand {date(PLAN_DATE)}) · "
                    f"{status} am {date(today)}",
                    m["legal_obligation"],
                    m["responsible_ministry"],
                    _text_or_dash(m["responsible_authority"]),
                    _text_or_dash(m.get("affected")),  # "Betroffen u.a.: LGLN" (B.3.3) is no responsible authority
                    m["strategic_refs"],
                ],
            }
        )
        _widgets.show_table(facts)
        st.markdown("**Verknüpfte strategische Maßnahmen**")
        if detail["strategic"].empty:
            st.caption("Keine (in der Anlage „-“).")
        else:
            _widgets.show_table(
                tables.strategic_detail_table(detail["strategic"]),
                hide_index=True,
                width="stretch",
            )
        _widgets.caption(Stand(m["as_of"], PLAN))
        _detail_objectives(detail)


def _detail_objectives(detail: dict) -> None:
    obj, epics = detail["objectives"], detail["epics"]
    st.markdown("**PI-Ziele zu dieser Maßnahme**")
    if obj.empty:
        st.caption("Keine PI-Ziele mit Bezug zu dieser Maßnahme.")
    else:
        if obj["is_demo"].any():
            _widgets.demo_badge(mixed=not obj["is_demo"].all())
        _widgets.show_table(
            tables.measure_objectives_table(obj),
            hide_index=True,
            width="stretch",
        )
    if not epics.empty:
        st.markdown("**Epics zu dieser Maßnahme**")
        _widgets.show_table(
            tables.epics_table(epics),
            hide_index=True,
            width="stretch",
        )


def _choice(param: str, label: str, options: dict, key: str, *, what: str) -> str:
    """A segmented control in ?param= over `options` (value → (label, query argument)); returns the argument."""
    labels = {k: v[0] for k, v in options.items()}
    return options[_url.segmented(param, label, labels, next(iter(options)), what=what, key=key)][1]


def progress_section() -> None:
    """Heatmap 2: PI objectives per domain (or strategic measure) and PI, count or achieved BV share."""
    st.subheader("Fortschritt: PI-Ziele je Handlungsfeld und PI")
    c1, c2 = st.columns(2)
    with c1:
        value = _choice("wert", "Wert", VALUES, "strategie-wert", what="den Wert")
    with c2:
        level = _choice("ebene", "Zeilen", LEVELS, "strategie-ebene", what="die Zeilen")
    cells = _cache.load(q.progress, level=level)
    if cells.empty:
        st.info("Noch keine PI-Ziele mit Bezug zu Maßnahmen des Handlungsplans geladen.")
        return
    demo = bool(cells["is_demo"].any())
    mixed = demo and bool(cells["has_real"].any())
    if demo:
        _widgets.demo_badge(mixed=mixed)
    rows = _cache.load(q.progress_rows, level=level)
    st.markdown(
        "Ein Ziel zählt für jedes Handlungsfeld, mit dem seine Maßnahme laut Anlage verknüpft ist. "
        "Geschäftswert-Anteil = Σ erreicht ÷ Σ geplant (verbindliche Ziele); Zielband 80–100 %."
    )
    _widgets.chart(
        charts.progress_heatmap(cells, rows, value=value, level=level),
        q.progress_matrix(cells, rows, value=value),
        basename=f"pi_ziele_{level}_{value}",
        stand=Stand(cells["as_of"].max(), f"{cells['source'].iloc[0]}; Verknüpfung: {PLAN}", demo, mixed),
        key="strategie-fortschritt",
    )


def portfolio_section(*, today: dt.date) -> None:
    """Epics by stage (funnel + board), measures by implementation type and approved runtime."""
    st.subheader("Portfolio")
    stages = _cache.load(q.epics_by_stage)
    if stages["epics"].sum() == 0:
        st.info("Noch keine Epics im Portfolio geladen.")
    else:
        demo = bool(stages["is_demo"].any())
        mixed = demo and bool(stages["has_real"].any())
        if demo:
            _widgets.demo_badge(mixed=mixed)
        as_of = stages["as_of"].dropna().max()
        source = stages["source"].dropna().iloc[0]
        stand = Stand(as_of, source, demo, mixed)
        table = tables.epics_table(stages)
        _widgets.chart(
            charts.epic_funnel(stages),
            table,
            basename="epics_je_phase",
            stand=stand,
            key="strategie-epics",
        )
        _board(_cache.load(q.epic_board), stand=stand)
    st.markdown("**Maßnahmen des Handlungsplans nach Umsetzungsart und bewilligter Laufzeit**")
    types = _cache.load(q.implementation_types)
    _widgets.chart(
        charts.implementation_bar(types),
        tables.implementation_table(types),
        basename="massnahmen_umsetzungsart",
        stand=Stand(PLAN_DATE, PLAN),
        key="strategie-umsetzung",
    )
    runtimes = _cache.load(q.measure_runtimes, today=today)
    _widgets.chart(
        charts.runtime_timeline(runtimes, today=today),
        tables.runtime_table(runtimes, today=today),
        basename="massnahmen_laufzeit",
        stand=Stand(PLAN_DATE, PLAN),
        key="strategie-laufzeit",
    )
    without = runtimes[runtimes["status"] == "ohne bewilligte Laufzeit"]
    st.caption(
        f"Ohne bewilligte Laufzeit („offen“ oder keine Angabe), daher nicht im Zeitstrahl: "
        f"{md(', '.join(without['row_key']))}"
    )


def _board(epics: pd.DataFrame, *, stand: Stand, per_stage: int = 4) -> None:
    with st.expander("Board: Epics je Phase (größtes Budget zuerst)", expanded=True):
        cols = st.columns(len(q.EPIC_STAGES))
        for col, stage in zip(cols, q.EPIC_STAGES, strict=True):
            part = epics[epics["stage"] == stage]
            with col.container(border=True):
                st.markdown(f"**{md(stage)}** ({len(part)})")
                for e in part.head(per_stage).itertuples():
                    owner = e.owner if isinstance(e.owner, str) else "–"
                    budget = "Budget offen" if pd.isna(e.budget_eur) else f"{num(e.budget_eur / 1e6, 2)} Mio. €"
                    st.markdown(f"**{md(e.epic_key)}** {md(charts.short(e.title, 45))}  \n{md(owner)} · {md(budget)}")
                if len(part) > per_stage:
                    st.caption(f"… und {len(part) - per_stage} weitere (siehe Tabelle)")
    with st.expander("Tabelle: alle Epics"):
        table = tables.epics_table(epics)
        _widgets.show_table(table)
        _widgets.downloads(table, "epics", stand=stand, key="strategie-epics-tabelle")
    _widgets.caption(stand)


def _text_or_dash(value) -> str:
    """A text cell, or "–" when the annex has none (None and pandas' NaN alike)."""
    return "–" if value is None or pd.isna(value) or value == "" else str(value)
