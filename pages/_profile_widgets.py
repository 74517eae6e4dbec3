"""Widget groups of the Daten page for column mapping (profiles): choose a profile, map the columns of an uploaded
file of a foreign layout, save the mapping, exchange profiles as JSON files. Only called for the signed-in
maintainer (pages/daten.py opens the import area through the maintainer gate)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from data_access.importers import KINDS
from data_access.importers import profiles as prof
from data_access.importers.reading import FileRejected
from formatting import date as de_date
from pages import _cache, _widgets
from pages._widgets import md

NONE_LABEL = "– keine –"
MAP_PREFIX = "daten_map_"


def choose(kind: str) -> prof.Profile | None:
    """The stored profile chosen for the upload (None: our column names)."""
    if pending := st.session_state.pop("daten_profile_pending", None):
        st.session_state["daten_profile"] = pending  # a profile saved on the previous run becomes the choice
    stored = {p.name: p for p in _cache.load(prof.list_profiles, kind=kind)}
    if st.session_state.get("daten_profile") not in stored:
        st.session_state.pop("daten_profile", None)  # another kind, or a profile gone
    if not stored:
        return None
    name = st.selectbox(
        "Spaltenzuordnung (Profil)",
        [None, *stored],
        format_func=lambda n: "keine – Spaltennamen wie in der Vorlage" if n is None else n,
        key="daten_profile",
        help="Ein Profil ordnet die Spalten einer Datei mit fremden Spaltennamen unseren Spalten zu.",
    )
    return stored.get(name)


def _columns(kind: str, data: bytes, file_name: str, profile: prof.Profile | None) -> prof.FileColumns | None:
    """The file's columns and samples, read once per file, kind and profile in this session."""
    key = (kind, file_name, hashlib.sha256(data).hexdigest(), profile)
    cached = st.session_state.get("daten_columns")
    if cached is None or cached[0] != key:
        try:
            found = prof.file_columns(kind, data, file_name=file_name, profile=profile)
        except FileRejected:
            found = None  # the preview reports why
        cached = (key, found)
        st.session_state["daten_columns"] = cached
        for k in [k for k in st.session_state if str(k).startswith(MAP_PREFIX)]:
            del st.session_state[k]  # a new file or profile: the editor starts from its suggestion
    return cached[1]


def editor(kind: str, data: bytes, file_name: str, profile: prof.Profile | None, user: str):
    """The mapping editor for an uploaded file; returns (mapping to apply or None, usable).

    Open by itself when a required column is not found under our names (else behind the toggle "Spalten zuordnen");
    the choice equal to the chosen profile's suggestion applies that profile (so the import log names it), any other
    choice an unsaved mapping.
    """
    spec = KINDS[kind]
    found = _columns(kind, data, file_name, profile)
    if found is None:
        return profile, True
    missing = [c.header for c in spec.columns if c.required and c.field not in found.suggested]
    # On by itself for a file that needs it; reset with the map choices when another file or profile comes.
    if not st.toggle("Spalten zuordnen", value=bool(missing), key=f"{MAP_PREFIX}_open"):
        return profile, True
    with st.container(border=True):
        if missing:
            st.warning(
                "Die Datei hat nicht alle Pflichtspalten unter unseren Namen (es fehlen "
                + ", ".join(f"„{md(h)}“" for h in missing)
                + "). Bitte jeder Spalte die passende Spalte der Datei zuordnen; Pflichtspalten sind markiert.",
                icon=":material/warning:",
            )
        else:
            st.caption("Welche Spalte der Datei welche Spalte füllt; Pflichtspalten sind markiert.")
        chosen: dict[str, str | None] = {}
        options = [None, *found.headers]
        grid = st.columns(2)
        for i, col in enumerate(spec.columns):
            suggestion = found.suggested.get(col.field)
            chosen[col.field] = grid[i % 2].selectbox(
                md(col.header) + (" (Pflicht)" if col.required else ""),
                options,
                index=options.index(suggestion),
                format_func=lambda h: NONE_LABEL if h is None else h,
                key=f"{MAP_PREFIX}{col.field}",
            )
        _widgets.show_table(
            pd.DataFrame(
                [
                    {
                        "Spalte": c.header,
                        "Pflichtspalte": "ja" if c.required else "nein",
                        "Spalte der Datei": chosen[c.field] or NONE_LABEL,
                        "Beispielwerte": " · ".join(found.samples.get(chosen[c.field] or "", [])),
                    }
                    for c in spec.columns
                ]
            )
        )
        doubled = [h for h in found.headers if list(chosen.values()).count(h) > 1]
        if doubled:
            st.error(
                "Jede Spalte der Datei darf nur eine Spalte füllen; mehrfach gewählt: "
                + ", ".join(f"„{md(h)}“" for h in doubled)
            )
            return None, False
        kept = [
            f"„{md(h)}“ (→ {md(col.header)})"
            for col in spec.columns
            for h in found.headers
            if chosen[col.field] is None and h not in chosen.values() and spec.column_for(h) is col
        ]
        if kept:
            st.caption(
                "Ohne Zuordnung, aber an unserem Spaltennamen erkannt und daher verwendet: " + ", ".join(kept) + ". "
                "Soll eine solche Spalte nicht verwendet werden, sie in der Datei umbenennen oder entfernen."
            )
        if profile is not None and {f: h for f, h in chosen.items() if h} == found.suggested:
            applied = profile
        elif mapping := prof.mapping_from(kind, chosen):
            applied = prof.make_profile("", kind, mapping, unsaved=True)
        else:
            applied = None
        _save_form(kind, prof.mapping_from(kind, chosen), profile, user)
    return applied, True


def _save_form(kind: str, mapping: dict[str, str], profile: prof.Profile | None, user: str) -> None:
    st.caption("Die Zuordnung als Profil speichern, um sie bei späteren Importen und auf der Kommandozeile zu nutzen.")
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    name = c1.text_input(
        "Name des Profils",
        value=profile.name if profile else "",
        max_chars=prof.NAME_CHARS,
        key="daten_profile_name",
        help=prof.NAME_RULE,
    )
    replace = c2.checkbox("vorhandenes ersetzen", key="daten_profile_replace")
    if st.button("Als Profil speichern", icon=":material/save:", key="daten_profile_save"):
        try:
            saved = prof.save_profile(
                _cache.engine(), prof.make_profile(name, kind, mapping), user=user, replace_existing=replace
            )
        except prof.ProfileError as exc:
            st.error(md(str(exc)))
            return
        st.session_state["daten_profile_pending"] = saved.name
        st.session_state["daten_profile_done"] = f"Profil „{saved.name}“ gespeichert: {saved.describe()}"
        st.rerun()


def last_saved() -> None:
    """The message of the profile saved or read on the previous run (shown once)."""
    if message := st.session_state.pop("daten_profile_done", None):
        st.success(md(message))


def manage(user: str) -> None:
    """Every stored profile; download one as a JSON file, read one from a file."""
    st.subheader("Profile der Spaltenzuordnung")
    st.caption(
        "Gespeicherte Zuordnungen für Dateien mit fremden Spaltennamen. Als JSON-Datei herunterladen, um sie zu "
        "versionieren oder in eine andere Datenbank zu übernehmen; auf der Kommandozeile: "
        "`python -m data_access profil list|export|import`."
    )
    stored = _cache.load(prof.list_profiles)
    if stored:
        _widgets.show_table(
            pd.DataFrame(
                [
                    {
                        "Profil": p.name,
                        "Importart": KINDS[p.kind].label,
                        "Zuordnung": p.describe(),
                        "Gespeichert von": p.saved_by,
                        "Gespeichert am": f"{de_date(p.saved_at.date())} {p.saved_at:%H:%M}" if p.saved_at else "–",
                    }
                    for p in stored
                ]
            )
        )
        by_name = {p.name: p for p in stored}
        name = st.selectbox("Profil", list(by_name), key="daten_profile_export")
        if name:
            chosen = by_name[name]
            st.download_button(
                "Profil herunterladen (JSON)",
                prof.to_file(chosen),
                prof.file_name(chosen),
                "application/json",
                icon=":material/download:",
                key="daten_profile_download",
            )
    else:
        st.info("Noch keine Profile gespeichert.")
    upload = st.file_uploader("Profildatei einlesen (JSON)", type=["json"], key="daten_profile_upload")
    if upload is None:
        return
    replace = st.checkbox("ein Profil gleichen Namens ersetzen", key="daten_profile_upload_replace")
    if st.button("Profil einlesen", icon=":material/upload_file:", key="daten_profile_read"):
        try:
            saved = prof.save_profile(
                _cache.engine(),
                prof.from_file(upload.getvalue(), file_name=upload.name),
                user=user,
                replace_existing=replace,
            )
        except prof.ProfileError as exc:
            st.error(md(str(exc)))
            return
        st.session_state["daten_profile_done"] = f"Profil „{saved.name}“ ({saved.kind}) eingelesen: {saved.describe()}"
        st.rerun()
