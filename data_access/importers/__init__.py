"""Importers for the operational tables: one all-or-nothing transaction per file, preview, import log."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from data_access import logs, summary
from data_access.db import refresh_statistics, take_import_lock, transaction, unreachable
from data_access.importers.base import Kind, Parsed, Problem, Provenance, RowChange
from data_access.importers.eakte import Eakte
from data_access.importers.epics import Epics
from data_access.importers.kommunal_status import KommunalStatus
from data_access.importers.master_data import Authorities, ProgramIncrements, Teams
from data_access.importers.offers import Offers
from data_access.importers.pi_objectives import PiObjectives
from data_access.importers.population import Population
from data_access.importers.profiles import Profile, ProfileError, apply, get_profile, header_words, name_sources
from data_access.importers.reading import MAX_BYTES, MAX_ROWS, FileRejected, read_table, too_big
from data_access.importers.services import Services
from data_access.importers.usage import Usage
from data_access.models import ImportLog
from data_access.text import clip
from data_access.version import bump
from formatting import num

# Master data first (Behörden, Teams, PIs): the kinds after them refer to it.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Authorities(),
        Teams(),
        ProgramIncrements(),
        Services(),
        Offers(),
        Usage(),
        Eakte(),
        PiObjectives(),
        Epics(),
        Population(),
        KommunalStatus(),
    )
}
LISTED_IN_MESSAGE = 50
FILE_NAME_CHARS = 120
LOG_MESSAGE_CHARS = 20_000  # 50 problems of at most ~300 characters each fit; nothing can grow a row beyond this
log = logging.getLogger(__name__)

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportRejected",
    "ImportResult",
    "Problem",
    "Profile",
    "ProfileError",
    "RowChange",
    "import_file",
]


class ImportRejected(Exception):
    """Raised by ImportResult.raise_for_problems(); the message is the full German report."""


@dataclass
class ImportResult:
    ok: bool
    kind: str
    file_name: str
    sha256: str
    dry_run: bool
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    file_format: str = ""
    message: str = ""
    seconds: float = 0.0
    profile: Profile | None = None  # the column mapping applied to the file's header
    renamed: dict[str, str] = field(default_factory=dict)  # our header → the file's header it was mapped from

    @property
    def result(self) -> str:
        """The import log's result word: ok / abgelehnt / unverändert / probelauf."""
        if not self.ok:
            return "abgelehnt"
        if self.dry_run:
            return "probelauf"
        return "ok" if self.new or self.changed else "unverändert"

    def report(self, limit: int = 200) -> str:
        """The message and the first `limit` problems, one per line (what the CLI prints)."""
        lines = [self.message, *(f"- {p.text()}" for p in self.problems[:limit])]
        if len(self.problems) > limit:
            lines.append(f"- … und {num(len(self.problems) - limit)} weitere Probleme")
        return "\n".join(lines)

    def raise_for_problems(self) -> ImportResult:
        if not self.ok:
            raise ImportRejected(self.report())
        return self


def import_file(
    engine: Engine,
    kind: str,
    data: bytes | str | Path,
    *,
    file_name: str | None = None,
    user: str = "unbekannt",
    dry_run: bool = False,
    log_dry_run: bool = True,
    today: dt.date | None = None,
    profile: str | Profile | None = None,
) -> ImportResult:
    """Validate a file and, unless `dry_run`, write it in one transaction; every run goes to the import log.

    Idempotent: rows are matched on their natural key and only new or changed rows are written.
    A rejected or dry run leaves every data table untouched (only the import log gets a row).
    `profile` (a stored profile's name or an unsaved Profile) renames the file's header cells first
    (profiles.apply); an unknown name raises ProfileError before anything is read or logged.
    """
    started = dt.datetime.now()
    clock = _clock()
    if kind not in KINDS:
        raise ValueError(f"Unbekannte Importart „{kind}“; bekannt: {', '.join(KINDS)}")
    spec = KINDS[kind]
    if isinstance(profile, str):
        profile = get_profile(engine, profile, kind=kind)
    elif profile is not None and profile.kind != kind:
        raise ProfileError(
            f"Die Spaltenzuordnung gehört zur Importart {KINDS[profile.kind].label}, nicht zu {spec.label}."
        )
    unreadable = None
    if not isinstance(data, bytes):
        path = Path(data)
        file_name = file_name or path.name
        data, unreadable = _read_bounded(path, file_name)
    file_name = clip(file_name or "upload", FILE_NAME_CHARS)
    result = ImportResult(
        ok=False,
        kind=kind,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
        profile=profile,
    )
    prov = Provenance(f"Import {file_name} ({kind})", today or dt.date.today())
    rows: list[Parsed] = []
    try:
        if unreadable:
            raise unreadable
        table = read_table(
            data,
            file_name=file_name,
            header_words=header_words(spec, profile),
            sheet_names=spec.sheet_names,
            header_rows=spec.header_rows,
        )
        result.file_format = table.file_format
        mapped = []
        if profile is not None:
            applied = apply(profile, spec, table)
            table, result.renamed, mapped, result.notes = (
                applied.table,
                applied.renamed,
                applied.problems,
                applied.notes,
            )
        rows, result.problems, notes = spec.parse(table)
        result.problems, result.notes = mapped + result.problems, result.notes + notes
        result.rows = len(table.rows)
    except FileRejected as exc:
        result.problems = [Problem(None, None, None, str(exc))]
    except Exception as exc:  # a defect of ours must still end in a German message and a log entry
        log.exception("Import %s: unerwarteter Fehler beim Lesen", file_name)
        result.problems = [Problem(None, None, None, internal_error(exc))]
    parse_problems, result.problems = result.problems, []
    if rows or not parse_problems:
        # References are checked even when some rows failed, so one report lists every problem.
        try:
            with transaction(engine) as s:
                if not dry_run:
                    take_import_lock(s, kind)  # a concurrent import of this kind finishes first; we plan on its result
                plan = spec.plan(s, rows, prov)
                result.problems = sorted(parse_problems + plan.problems, key=lambda p: p.row or 0)
                result.changes = plan.changes
                result.notes += plan.notes
                if not result.problems:
                    result.ok = True
                    result.new, result.changed = plan.count("neu"), plan.count("geändert")
                    result.unchanged = plan.count("unverändert")
                    if not dry_run and plan.write and (result.new or result.changed):
                        plan.write(s)
                        if spec.changes_reach:
                            summary.refresh(s)  # in this transaction: the summary never shows a half import
                    _finish(result, started, clock)
                    if not dry_run or log_dry_run:
                        _log(s, result, started, user)
        except SQLAlchemyError as exc:
            result.ok = False
            result.problems = [Problem(None, None, None, database_refusal(exc))]
        except Exception as exc:
            log.exception("Import %s: unerwarteter Fehler beim Prüfen oder Schreiben", file_name)
            result.ok = False
            result.problems = [Problem(None, None, None, internal_error(exc))]
    else:
        result.problems = parse_problems
    if not result.ok:
        _finish(result, started, clock)
        try:
            with transaction(engine) as s:
                _log(s, result, started, user)
        except SQLAlchemyError as exc:  # e.g. SQLite still locked by the other import: the rejection stands
            log.warning("Import %s: Ablehnung nicht protokolliert (%s)", file_name, exc.__class__.__name__)
            why = "Datenbank nicht erreichbar" if unreachable(exc) else "Datenbank belegt"
            result.notes.append(f"Die Ablehnung konnte nicht ins Importprotokoll geschrieben werden ({why}).")
    elif not dry_run and (result.new or result.changed):
        refresh_statistics(engine)
    if not dry_run or not result.ok:
        # The operations log: counts and the outcome, who imported (the maintainer's name), no cell values.
        logs.event(
            "import",
            art=kind,
            ergebnis=result.result,
            zeilen=result.rows,
            neu=result.new,
            geaendert=result.changed,
            probleme=len(result.problems),
            probelauf=dry_run,
            sekunden=round(result.seconds, 2),
            sha256=result.sha256,
            wer=user or None,
        )
    return result


def _read_bounded(path: Path, file_name: str) -> tuple[bytes, FileRejected | None]:
    """Read at most MAX_BYTES + 1 bytes: a 5 GB file given to the CLI is rejected without being loaded."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return b"", FileRejected(f"Die Datei „{file_name}“ kann nicht gelesen werden ({exc.strerror or exc}).")
    if len(data) > MAX_BYTES:
        return data[:0], too_big(file_name, path.stat().st_size)
    return data, None


def internal_error(exc: Exception) -> str:
    return (
        "Die Datei konnte wegen eines internen Fehlers nicht verarbeitet werden; es wurde nichts geändert. "
        f"Die technische Ursache ({exc.__class__.__name__}) steht im Server-Protokoll; bitte die Datenpflege "
        "informieren."
    )


def database_refusal(exc: SQLAlchemyError) -> str:
    """A German whole-file reason for a database error; the raw error goes to the server log, not to the user."""
    log.warning("Import: Datenbankfehler %s", exc.__class__.__name__, exc_info=exc)
    if unreachable(exc):
        return (
            "Die Verbindung zur Datenbank ist während des Imports abgebrochen; die Transaktion wurde zurückgerollt, es "
            "wurde nichts geändert. Bitte erneut importieren, sobald die Datenbank wieder erreichbar ist."
        )
    if isinstance(exc, OperationalError) and "lock" in str(exc).lower():
        return (
            "Ein anderer Import dieser Art läuft gerade und ist nach der Wartezeit noch nicht fertig; es wurde "
            "nichts geändert. Bitte in einigen Minuten erneut importieren."
        )
    if isinstance(exc, IntegrityError):
        return (
            "Die Datenbank hat das Schreiben abgelehnt, weil es gleichzeitig eine andere Änderung derselben Zeilen "
            "gab; es wurde nichts geändert. Bitte die Datei erneut importieren – sie wird dann auf dem neuen Stand "
            "geprüft."
        )
    return (
        "Die Datenbank hat das Schreiben abgelehnt; es wurde nichts geändert. Die technische Ursache steht im "
        "Server-Protokoll; bitte die Datenpflege informieren."
    )


def _clock():
    import time

    t0 = time.perf_counter()
    return lambda: time.perf_counter() - t0


def _finish(result: ImportResult, started: dt.datetime, clock) -> None:
    result.seconds = clock()
    result.problems = name_sources(result.problems, result.renamed)
    name, label = f"„{result.file_name}“", KINDS[result.kind].label
    if result.profile is not None:
        label += f", {result.profile.label}"
    counts = f"{result.new} neu, {result.changed} geändert, {result.unchanged} unverändert"
    if not result.ok:
        n = len(result.problems)
        how = f" ({result.profile.label})" if result.profile is not None else ""
        result.message = f"{name} abgelehnt{how} – es wurde nichts geschrieben. " + (
            f"{n} Problem:" if n == 1 else f"{n} Probleme:"
        )
    elif result.dry_run:
        result.message = f"Vorschau für {name} ({label}): {counts} – noch nichts geschrieben."
    elif result.new or result.changed:
        result.message = f"{name} importiert ({label}): {counts}."
    else:
        rows = "die Zeile ist" if result.unchanged == 1 else f"alle {result.unchanged} Zeilen sind"
        result.message = f"{name}: keine Änderungen – {rows} bereits so gespeichert ({label})."


def _log(session, result: ImportResult, started: dt.datetime, user: str) -> None:
    shown = [p.text() for p in result.problems[:LISTED_IN_MESSAGE]]
    if len(result.problems) > LISTED_IN_MESSAGE:
        shown.append(f"… und {len(result.problems) - LISTED_IN_MESSAGE} weitere")
    session.execute(
        insert(ImportLog).values(
            started_at=started.replace(microsecond=0),
            user_name=clip(user or "unbekannt", 200),
            file_name=result.file_name,
            sha256=result.sha256,
            kind=result.kind,
            rows=result.rows,
            result=result.result,
            message=clip("\n".join([result.message, *_mapping_line(result), *shown]), LOG_MESSAGE_CHARS),
        )
    )
    bump(session)  # the imported rows and the log row become visible to every instance's caches together


def _mapping_line(result: ImportResult) -> list[str]:
    """The import log's record of the column mapping used (which profile, which file column became which of ours)."""
    if result.profile is None:
        return []
    return [clip(f"Spaltenzuordnung ({result.profile.label}): {result.profile.describe()}", 2_000)]
