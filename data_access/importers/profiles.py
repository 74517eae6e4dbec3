"""Column mapping for files of a foreign layout: named profiles (file header → our column), stored in the database.

A profile renames the file's header cells before the kind parses the table, so validation, messages (with the
file's own column: „Spalte „Leistungsbezeichnung“ (→ Name)“) and all-or-nothing writing stay those of every import.
Columns the profile does not name are recognised by our names as always. Profiles travel as small JSON files
(`to_file` / `from_file`) so they can be versioned next to the exports they describe.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from data_access import read
from data_access.db import transaction
from data_access.importers.base import Column, Kind, Problem
from data_access.importers.reading import MAX_COLUMNS, Table, normalise_header, read_table
from data_access.importers.values import as_text, is_empty
from data_access.models import ImportProfile
from data_access.text import clip, listing
from data_access.version import bump

if TYPE_CHECKING:
    from collections.abc import Iterable

FILE_FORMAT = "dvn-importprofil"
FILE_VERSION = 1
MAX_FILE_BYTES = 64 * 1024  # 200 pairs of 200-character headers fit; anything larger is not a profile
MAX_HEADER_CHARS = 200
NAME_CHARS = 60
NAME_RULE = f"1–{NAME_CHARS} Zeichen: Buchstaben, Ziffern, Leerzeichen, Punkt, Unterstrich oder Bindestrich"
_NAME = re.compile(rf"[0-9A-Za-zÄÖÜäöüß](?:[0-9A-Za-zÄÖÜäöüß _.\-]{{0,{NAME_CHARS - 2}}}[0-9A-Za-zÄÖÜäöüß_.\-])?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SAMPLES = 3


class ProfileError(ValueError):
    """A profile cannot be used or stored; the message is German and says what is expected."""


def _kinds() -> dict[str, Kind]:
    from data_access.importers import KINDS  # the registry imports this module

    return KINDS


@dataclass(frozen=True)
class Profile:
    """A column mapping: the file's header → the field of the kind's row model. `name` "" = not saved."""

    name: str
    kind: str
    mapping: dict[str, str]  # file header → field, in the file's column order
    saved_by: str = ""
    saved_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        return f"Profil „{self.name}“" if self.name else "Spaltenzuordnung ohne Profil"

    def pairs(self) -> list[tuple[str, Column]]:
        spec = _kinds()[self.kind]
        return [(source, spec.column(f)) for source, f in self.mapping.items()]

    def describe(self) -> str:
        """'Leistungsbezeichnung → Name; Typ → Modell' (for the import log)."""
        return "; ".join(f"{clip(source)} → {col.header}" for source, col in self.pairs())


def make_profile(
    name: str,
    kind: str,
    mapping: dict[str, str],
    *,
    saved_by: str = "",
    saved_at: dt.datetime | None = None,
    unsaved: bool = False,
) -> Profile:
    """A validated profile: every target names a column of `kind` (header, field name or a recognised name), each
    target at most once, each source a plain header. Raises ProfileError with the German reason."""
    kinds = _kinds()
    if kind not in kinds:
        raise ProfileError(f"Unbekannte Importart „{clip(str(kind))}“; bekannt: {', '.join(kinds)}.")
    spec = kinds[kind]
    name = "" if unsaved else check_name(name)
    if not mapping:
        raise ProfileError("Die Spaltenzuordnung ordnet keine Spalte zu; mindestens eine Spalte der Datei zuordnen.")
    if len(mapping) > MAX_COLUMNS:
        raise ProfileError(f"Die Spaltenzuordnung hat {len(mapping)} Einträge; erlaubt sind höchstens {MAX_COLUMNS}.")
    out: dict[str, str] = {}
    sources: dict[str, str] = {}  # normalised source → source
    targets: dict[str, str] = {}  # field → source
    for source, target in mapping.items():
        if not isinstance(source, str) or not isinstance(target, str):
            raise ProfileError("Spalten der Zuordnung müssen Texte sein (Spalte der Datei → Spalte der Importart).")
        source = source.strip()
        norm = normalise_header(source)
        if not norm or len(source) > MAX_HEADER_CHARS or _CONTROL.search(source):
            raise ProfileError(
                f"Die Spalte der Datei „{clip(source)}“ ist kein brauchbarer Spaltenname "
                f"(erwartet 1–{MAX_HEADER_CHARS} Zeichen ohne Steuerzeichen)."
            )
        if norm in sources:
            raise ProfileError(f"Die Spalte der Datei „{clip(source)}“ steht doppelt in der Zuordnung.")
        col = spec.column_for(target)
        if col is None:
            raise ProfileError(
                f"„{clip(source)}“ ist der Spalte „{clip(target)}“ zugeordnet, die es in der Importart {spec.label} "
                f"nicht gibt; bekannt: {listing((c.header for c in spec.columns), quote=False)}."
            )
        if col.field in targets:
            raise ProfileError(
                f"„{clip(targets[col.field])}“ und „{clip(source)}“ sind beide der Spalte „{col.header}“ zugeordnet; "
                "jede Spalte der Importart darf nur eine Spalte der Datei erhalten."
            )
        sources[norm], targets[col.field], out[source] = source, source, col.field
    return Profile(name, kind, out, clip(saved_by or "", 200), saved_at)


def check_name(name: str) -> str:
    name = (name or "").strip() if isinstance(name, str) else ""
    if not _NAME.fullmatch(name):
        raise ProfileError(f"„{clip(name)}“ ist kein gültiger Profilname (erwartet {NAME_RULE}).")
    return name


# --- applying a profile to a read table ----------------------------------------------------------------------------


@dataclass
class Applied:
    """A table with the profile's header cells renamed, and what the import needs to report on it."""

    table: Table
    renamed: dict[str, str] = field(default_factory=dict)  # our header → the file's header
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def header_words(spec: Kind, profile: Profile | None) -> set[str]:
    """The normalised header names that locate the header row: ours and the profile's sources."""
    return spec.header_words() | {normalise_header(s) for s in (profile.mapping if profile else ())}


def apply(profile: Profile, spec: Kind, table: Table) -> Applied:
    """Rename the header cells the profile names to our headers (before the kind parses the table).

    A file column that our names would recognise as a column the profile fills from another file column is left
    unused (the profile decides). A profile column missing from the file is a note, or a problem when its column is
    required and nothing else in the file provides it.
    """
    by_norm = {normalise_header(s): (s, f) for s, f in profile.mapping.items()}
    headers, parts = list(table.headers), list(table.header_parts)
    parts += [""] * (len(headers) - len(parts))
    found: dict[str, str] = {}  # field → the file's header
    renamed: dict[str, str] = {}
    done: set[int] = set()
    for i, h in enumerate(headers):
        hit = by_norm.get(normalise_header(h)) or (by_norm.get(normalise_header(parts[i])) if parts[i] else None)
        if hit and hit[1] not in found:
            col = spec.column(hit[1])
            found[col.field], renamed[col.header] = h, h
            headers[i], parts[i] = col.header, ""
            done.add(i)
    shadowed = []
    for i, h in enumerate(headers):
        if i in done:
            continue
        col = spec.column_for(h, parts[i])
        if col is not None and col.field in found and found[col.field] != h:
            shadowed.append(h)
            headers[i], parts[i] = "", ""
    out = Applied(replace(table, headers=headers, header_parts=parts if table.header_parts else []), renamed)
    if shadowed:
        out.notes.append(f"Durch das {profile.label} ersetzt und nicht verwendet: {listing(shadowed)}")
    present = {c.field for h, p in zip(headers, parts, strict=True) if (c := spec.column_for(h, p)) is not None}
    missing = [(s, spec.column(f)) for s, f in profile.mapping.items() if f not in found]
    for source, col in missing:
        if col.required and col.field not in present:
            out.problems.append(
                Problem(
                    None,
                    None,
                    None,
                    f"Die Spalte „{clip(source)}“, die das {profile.label} der Pflichtspalte „{col.header}“ "
                    "zuordnet, fehlt in der Datei",
                    "die Spalten der Datei, für die das Profil angelegt wurde",
                )
            )
    if rest := [f"„{clip(s)}“ (→ {c.header})" for s, c in missing if not (c.required and c.field not in present)]:
        out.notes.append(f"Im {profile.label} zugeordnet, aber nicht in der Datei: {', '.join(rest)}")
    return out


def name_sources(problems: Iterable[Problem], renamed: dict[str, str]) -> list[Problem]:
    """Problems about a renamed column name the file's column as well: „Spalte „Leistungsbezeichnung“ (→ Name)“."""
    return [replace(p, source=renamed[p.column]) if p.column in renamed else p for p in problems]


# --- the file's columns for the mapping editor ---------------------------------------------------------------------


@dataclass
class FileColumns:
    headers: list[str]  # the file's header cells (non-empty, first of equal names), in file order
    samples: dict[str, list[str]]  # header → up to SAMPLES non-empty values as text
    suggested: dict[str, str]  # field → file header: from the profile, else recognised by our names
    file_format: str


def file_columns(kind: str, data: bytes, *, file_name: str, profile: Profile | None = None) -> FileColumns:
    """The header and a few sample values of an uploaded file, and which file column would fill which of ours.

    Raises reading.FileRejected for an unreadable file (the import's preview says the same, so the page can skip the
    editor).
    """
    spec = _kinds()[kind]
    table = read_table(
        data,
        file_name=file_name,
        header_words=header_words(spec, profile),
        sheet_names=spec.sheet_names,
        header_rows=spec.header_rows,
    )
    headers, index = [], {}
    for i, h in enumerate(table.headers):
        if h and h not in index:
            headers.append(h)
            index[h] = i
    samples: dict[str, list[str]] = {h: [] for h in headers}
    for rec in table.rows[:200]:
        for h, i in index.items():
            if len(samples[h]) < SAMPLES and i < len(rec) and not is_empty(rec[i]):
                text = clip(as_text(rec[i]))
                if text not in samples[h]:
                    samples[h].append(text)
    suggested: dict[str, str] = {}
    if profile:
        by_norm = {normalise_header(s): f for s, f in profile.mapping.items()}
        for h in headers:
            if (f := by_norm.get(normalise_header(h))) and f not in suggested:
                suggested[f] = h
    parts = table.header_parts
    for h in headers:
        col = spec.column_for(h, parts[index[h]] if index[h] < len(parts) else "")
        if col is not None and col.field not in suggested and h not in suggested.values():
            suggested[col.field] = h
    return FileColumns(headers, samples, suggested, table.file_format)


def mapping_from(kind: str, chosen: dict[str, str | None]) -> dict[str, str]:
    """The profile mapping of an editor's choice (field → file header): only the columns our names would not
    already recognise, so a profile holds exactly the foreign part of a layout."""
    spec = _kinds()[kind]
    out = {}
    for f, h in chosen.items():
        if h and (spec.column_for(h) is None or spec.column_for(h).field != f):
            out[h] = f
    return out


# --- storage ---------------------------------------------------------------------------------------------------------


def _from_row(r: Any) -> Profile:
    mapping = r["mapping"] if isinstance(r["mapping"], dict) else json.loads(r["mapping"])
    saved_at = r["saved_at"]
    if hasattr(saved_at, "to_pydatetime"):  # pandas hands back a Timestamp (NaT for none)
        saved_at = None if saved_at != saved_at else saved_at.to_pydatetime()
    return Profile(r["name"], r["kind"], dict(mapping), r["saved_by"], saved_at)


def list_profiles(engine: Engine, *, kind: str | None = None) -> list[Profile]:
    """The stored profiles (of one kind), by kind and name."""
    p = ImportProfile
    stmt = select(p.name, p.kind, p.mapping, p.saved_by, p.saved_at).order_by(p.kind, p.name)
    if kind:
        stmt = stmt.where(p.kind == kind)
    return [_from_row(r) for r in read.frame(engine, stmt).to_dict("records")]


def get_profile(engine: Engine, name: str, *, kind: str | None = None) -> Profile:
    """The stored profile `name` (case does not matter); with `kind`, it must belong to that kind.

    Raises ProfileError naming the known profiles (of that kind).
    """
    every = list_profiles(engine)
    hit = next((p for p in every if p.name.casefold() == str(name).strip().casefold()), None)
    kinds = _kinds()
    if hit is None:
        known = [p.name for p in every if kind is None or p.kind == kind]
        where = f" für {kinds[kind].label} ({kind})" if kind in kinds else ""
        listed = f"bekannt{where}: {listing(known)}" if known else f"es gibt noch kein Profil{where}"
        raise ProfileError(f"Unbekanntes Profil „{clip(str(name))}“; {listed}.")
    if kind is not None and hit.kind != kind:
        raise ProfileError(
            f"Das Profil „{hit.name}“ gehört zur Importart {kinds[hit.kind].label} ({hit.kind}), nicht zu "
            f"{kinds[kind].label} ({kind})."
        )
    return hit


def save_profile(engine: Engine, profile: Profile, *, user: str = "", replace_existing: bool = False) -> Profile:
    """Store a profile under its name; an existing name (case does not matter) only with `replace_existing`."""
    profile = make_profile(profile.name, profile.kind, profile.mapping, saved_by=user or profile.saved_by)
    now = dt.datetime.now().replace(microsecond=0)
    values = {
        "name": profile.name,
        "kind": profile.kind,
        "mapping": profile.mapping,
        "saved_by": profile.saved_by or "unbekannt",
        "saved_at": now,
    }
    try:
        with transaction(engine) as s:
            rows = s.execute(select(ImportProfile.id, ImportProfile.name)).all()
            old = next((r for r in rows if r.name.casefold() == profile.name.casefold()), None)
            if old is not None and not replace_existing:
                raise ProfileError(
                    f"Ein Profil „{old.name}“ gibt es schon; einen anderen Namen wählen oder das vorhandene "
                    "ausdrücklich ersetzen (Seite Daten: „vorhandenes ersetzen“, Kommandozeile: --ersetzen)."
                )
            if old is None:
                s.execute(ImportProfile.__table__.insert().values(values))
            else:
                s.execute(ImportProfile.__table__.update().where(ImportProfile.id == old.id).values(values))
            bump(s)
    except IntegrityError:  # saved at the same moment by another session under the same name
        raise ProfileError(
            f"Das Profil „{profile.name}“ wurde gerade gleichzeitig an anderer Stelle gespeichert; es wurde nichts "
            "geändert. Bitte die Profilliste prüfen und erneut speichern."
        ) from None
    return replace(profile, saved_by=values["saved_by"], saved_at=now)


# --- profile files -------------------------------------------------------------------------------------------------


def to_file(profile: Profile) -> bytes:
    """The profile as a JSON file (UTF-8); targets are written as our German headers."""
    doc = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "name": profile.name,
        "art": profile.kind,
        "zuordnung": {source: col.header for source, col in profile.pairs()},
        "gespeichert_von": profile.saved_by,
        "gespeichert_am": profile.saved_at.isoformat(timespec="seconds") if profile.saved_at else None,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def file_name(profile: Profile) -> str:
    return "profil_" + re.sub(r"[^\w.-]+", "_", profile.name).strip("_.") + ".json"


def from_file(data: bytes, *, file_name: str = "Profildatei") -> Profile:
    """A profile read from a file written by `to_file` (or by hand); bounded and validated, German errors."""
    name = clip(file_name)
    if len(data) > MAX_FILE_BYTES:
        raise ProfileError(
            f"Die Profildatei „{name}“ ist {len(data)} Byte groß; erlaubt sind höchstens {MAX_FILE_BYTES} Byte."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError(f"Die Profildatei „{name}“ ist kein UTF-8-Text.") from None

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        if doubled := sorted({k for k in keys if keys.count(k) > 1}):
            raise ProfileError(f"Die Profildatei „{name}“ nennt {listing(doubled)} doppelt.")
        return dict(items)

    try:
        doc = json.loads(text, object_pairs_hook=pairs)
    except ProfileError:
        raise
    except (ValueError, RecursionError) as exc:
        where = f" (Zeile {exc.lineno}, Spalte {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ProfileError(f"Die Profildatei „{name}“ ist kein gültiges JSON{where}.") from None
    if not isinstance(doc, dict) or doc.get("format") != FILE_FORMAT:
        raise ProfileError(
            f'Die Datei „{name}“ ist keine Profildatei (erwartet ein JSON-Objekt mit "format": "{FILE_FORMAT}", '
            "wie es der Export eines Profils schreibt)."
        )
    if doc.get("version") != FILE_VERSION:
        raise ProfileError(
            f"Die Profildatei „{name}“ hat die Version {clip(str(doc.get('version')))}; gelesen wird Version "
            f"{FILE_VERSION}."
        )
    if not isinstance(doc.get("zuordnung"), dict):
        raise ProfileError(
            f'Der Profildatei „{name}“ fehlt die Zuordnung ("zuordnung": {{"Spalte der Datei": "Spalte"}}).'
        )
    by = doc.get("gespeichert_von")
    return make_profile(doc.get("name"), doc.get("art"), doc["zuordnung"], saved_by=by if isinstance(by, str) else "")
