"""Widget groups of the Daten page: data status tables, maintainer login, upload with preview, removing the
Beispieldaten, templates, exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.demo import remove as demo_remove
from data_access.importers import KINDS, MAX_BYTES, MAX_ROWS, ImportResult, import_file
from data_access.importers import templates as tpl
from data_access.text import clip
from formatting import date as de_date
from formatting import num
from pages import _cache, _widgets
from pages import _profile_widgets as profiles
from pages._signin import current_maintainer, maintainer_gate  # noqa: F401  (the page uses both from here)
from pages._widgets import md

PREVIEW_ROWS = 500
ACTION_ORDER = {"geändert": 0, "neu": 1, "unverändert": 2}


def german_dates(df: pd.DataFrame) -> pd.DataFrame:
    """Date and timestamp columns as 18.03.2025 (14:05) for display."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]) or col.startswith(("Stand", "Letzter", "Zeitpunkt")):
            out[col] = out[col].map(_de_datetime)
    return out


def _de_datetime(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "–"
    ts = pd.Timestamp(v)
    return de_date(ts.date()) + ("" if ts.time() == pd.Timestamp(0).time() else ts.strftime(" %H:%M"))


def table_status(df: pd.DataFrame) -> None:
    st.subheader("Datenstand je Tabelle")
    st.caption(
        "Zeilen, davon Beispieldaten und echte (importierte) Daten, der Stand der neuesten Zeile und der letzte Import."
    )
    _widgets.show_table(german_dates(df))


def checks(df: pd.DataFrame) -> None:
    st.subheader("Prüfungen: Waisen und unbekannte Schlüssel")
    st.caption("Anzahl betroffener Zeilen je Prüfung; 0 ist gut.")
    _widgets.show_table(df)


def import_log(df: pd.DataFrame) -> None:
    st.subheader("Importprotokoll")
    if df.empty:
        st.info("Noch keine Importe protokolliert.")
        return
    _widgets.show_table(german_dates(df))


def signin_log(df: pd.DataFrame) -> None:
    """The sign-in audit (only shown to a signed-in maintainer)."""
    st.subheader("Anmeldeprotokoll")
    st.caption(
        "Anmeldungen, Fehlversuche, Sperren, Abmeldungen und abgelaufene Sitzungen der Datenpflege, neueste zuerst. "
        "Passwörter werden nie protokolliert."
    )
    if df.empty:
        st.info("Noch keine Anmeldungen protokolliert.")
        return
    _widgets.show_table(german_dates(df))


def upload(user: str) -> None:
    """Choose kind, profile and file → map columns if needed → preview (neu / geändert / unverändert or every
    problem) → confirm."""
    st.caption(
        f"Angemeldet als {md(user)}. CSV (Trennzeichen Semikolon oder Komma; UTF-8 oder Windows-1252) oder Excel "
        f"(.xlsx), höchstens {MAX_BYTES // 1024 // 1024} MB und {num(MAX_ROWS)} Zeilen. Bei einem Fehler wird nichts "
        "geschrieben."
    )
    profiles.last_saved()
    kind = st.selectbox("Importart", list(KINDS), format_func=lambda k: KINDS[k].label, key="daten_kind")
    chosen = profiles.choose(kind)
    file = st.file_uploader("Datei", type=["csv", "xlsx"], key="daten_file")
    if file is None:
        st.session_state.pop("daten_preview", None)
        return
    data = file.getvalue()
    mapping, usable = profiles.editor(kind, data, file.name, chosen, user)
    if not usable:
        return
    if st.button("Vorschau", icon=":material/preview:", key="daten_preview_btn"):
        st.session_state["daten_preview"] = _run(kind, data, file.name, user, dry_run=True, profile=mapping)
    preview: ImportResult | None = st.session_state.get("daten_preview")
    if preview is None or (preview.kind, preview.file_name, preview.profile) != (kind, file.name, mapping):
        return
    show_result(preview)
    if preview.ok and (preview.new or preview.changed):
        if st.button("Import bestätigen", type="primary", icon=":material/upload:", key="daten_confirm"):
            result = _run(kind, data, file.name, user, dry_run=False, profile=mapping)
            st.session_state.pop("daten_preview", None)
            st.session_state["daten_done"] = result
            st.rerun()


def last_result() -> None:
    """The message of the import confirmed on the previous run (shown once)."""
    if result := st.session_state.pop("daten_done", None):
        (st.success if result.ok else st.error)(md(result.message))
        if not result.ok:
            problems(result)


def demo_removal(user: str) -> None:
    """Choose an area → what would be deleted (counts per table, from a dry run) → confirm → result."""
    st.subheader("Beispieldaten entfernen")
    st.caption(
        "Entfernt genau die als Beispieldaten markierten Zeilen eines Bereichs, in einer Transaktion (bei einem Fehler "
        "wird nichts gelöscht), und protokolliert es im Importprotokoll. Echte Daten bleiben unberührt; danach werden "
        "Beispieldaten nicht mehr automatisch geladen."
    )
    areas = demo_remove.AREAS
    area = st.selectbox("Bereich", list(areas), format_func=areas.get, index=len(areas) - 1, key="daten_demo_area")
    if st.button("Prüfen, was entfernt würde", icon=":material/fact_check:", key="daten_demo_check"):
        st.session_state["daten_demo_plan"] = demo_remove.remove(
            _cache.engine(), area, dry_run=True, user=user, log_dry_run=False
        )
    plan: demo_remove.Removal | None = st.session_state.get("daten_demo_plan")
    if plan is None or plan.area != area:
        return
    if not plan.ok:
        st.error(md(plan.message))
        return
    if not plan.total:
        st.info(md(plan.message))
        removal_details(plan)
        return
    st.warning(
        f"Endgültig entfernt würden {num(plan.total)} Zeilen Beispieldaten ({md(areas[area])}), je Tabelle:",
        icon=":material/warning:",
    )
    removal_details(plan)
    if st.button("Beispieldaten endgültig entfernen", type="primary", icon=":material/delete:", key="daten_demo_go"):
        result = demo_remove.remove(_cache.engine(), area, user=user)
        st.session_state.pop("daten_demo_plan", None)
        st.session_state["daten_demo_done"] = result
        st.rerun()


def removal_details(result: demo_remove.Removal) -> None:
    """Rows per table (only tables with rows) and the notes on kept master rows."""
    rows = [{"Tabelle": table, "Zeilen": n} for table, n in result.deleted.items() if n]
    if rows:
        _widgets.show_table(pd.DataFrame(rows))
    for note in result.kept:
        st.caption(md(note))


def last_removal() -> None:
    """The result of the removal confirmed on the previous run (shown once)."""
    if result := st.session_state.pop("daten_demo_done", None):
        (st.success if result.ok else st.error)(md(result.message))
        removal_details(result)


def _run(kind: str, data: bytes, name: str, user: str, *, dry_run: bool, profile=None) -> ImportResult:
    # A write (and a logged rejection) bumps the data version: the next run's queries read the new state.
    return import_file(
        _cache.engine(), kind, data, file_name=name, user=user, dry_run=dry_run, log_dry_run=False, profile=profile
    )


def show_result(result: ImportResult) -> None:
    if not result.ok:
        st.error(md(result.message))
        problems(result)
        return
    st.success(md(result.message)) if not result.dry_run else st.info(md(result.message))
    c1, c2, c3 = st.columns(3)
    c1.metric("Neu", num(result.new))
    c2.metric("Geändert", num(result.changed))
    c3.metric("Unverändert", num(result.unchanged))
    for note in result.notes:
        st.caption(md(note))
    rows = sorted(result.changes, key=lambda c: (ACTION_ORDER[c.action], c.row))[:PREVIEW_ROWS]
    _widgets.show_table(
        pd.DataFrame([{"Zeile": c.row, "Schlüssel": c.key, "Aktion": c.action, "Änderung": c.detail} for c in rows]),
    )
    if len(result.changes) > PREVIEW_ROWS:
        st.caption(f"Gezeigt: die ersten {PREVIEW_ROWS} von {num(len(result.changes))} Zeilen.")


def problems(result: ImportResult) -> None:
    df = pd.DataFrame(
        [
            {
                "Zeile": p.row,
                "Spalte": p.column_text(),
                "Wert": clip(p.value or ""),
                "Problem": clip(p.reason, 2_000),
                "Erwartet": clip(p.expected, 2_000),
            }
            for p in result.problems
        ]
    )
    _widgets.show_table(df)


def templates() -> None:
    st.subheader("Vorlagen und Spalten")
    kind = st.selectbox("Importart", list(KINDS), format_func=lambda k: KINDS[k].label, key="daten_tpl_kind")
    st.markdown(KINDS[kind].intro)
    _widgets.show_table(tpl.column_table(kind))
    c1, c2 = st.columns(2)
    c1.download_button(
        "Vorlage CSV",
        tpl.template_csv(kind),
        f"vorlage_{kind}.csv",
        "text/csv",
        key="daten_tpl_csv",
        icon=":material/download:",
    )
    c2.download_button(
        "Vorlage Excel",
        tpl.template_xlsx(kind),
        f"vorlage_{kind}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="daten_tpl_xlsx",
        icon=":material/download:",
    )
