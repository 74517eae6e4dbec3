"""Removing the Beispieldaten per area: exactly the is_demo rows, all-or-nothing, logged like an import."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, exists, func, insert, select, true
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from data_access import summary
from data_access.db import refresh_statistics, take_import_lock, transaction
from data_access.models import (
    Authority,
    EakteSnapshot,
    Epic,
    ImportLog,
    Offer,
    OnlineService,
    PiObjective,
    ProgramIncrement,
    ServiceLeika,
    ServiceUsage,
    Team,
)
from data_access.version import bump
from formatting import date as de_date
from formatting import num

AREAS = {
    "onlinedienste": "Onlinedienste, Angebote und Nutzungszahlen",
    "eakte": "eAkte",
    "pi": "PI-Ziele",
    "portfolio": "Portfolio (Epics)",
    "alle": "alle Bereiche",
}
LOG_KIND = "beispieldaten"  # the import log's kind for a removal; seeding --if-empty looks for it
# The import kinds whose tables an area deletes from or reads references of: their locks keep an import of the
# same rows from interleaving with the removal (taken in this order, always sorted, so two removals cannot deadlock).
LOCKS = {
    "onlinedienste": ("angebote", "nutzung", "onlinedienste"),
    "eakte": ("angebote", "behoerden", "eakte"),
    "pi": ("pi-ziele", "pis", "teams"),
    "portfolio": ("epics",),
}
log = logging.getLogger(__name__)

__all__ = ["AREAS", "LOG_KIND", "Removal", "delete_demo_rows", "remove", "removed_before"]


@dataclass
class Removal:
    """What a removal deleted (or, as a dry run, would delete): rows per table, kept master rows, a German summary."""

    area: str
    dry_run: bool
    ok: bool = True
    deleted: dict[str, int] = field(default_factory=dict)  # German table name → rows, in deletion order
    kept: list[str] = field(default_factory=list)  # one German sentence per kind of kept master row
    message: str = ""

    @property
    def total(self) -> int:
        return sum(self.deleted.values())

    def report(self) -> str:
        """The summary, one line per table with rows and the kept master rows (what the CLI prints)."""
        lines = [self.message]
        lines += [f"- {table}: {num(n)}" for table, n in self.deleted.items() if n]
        lines += [f"Hinweis: {k}" for k in self.kept]
        return "\n".join(lines)


def _areas(area: str) -> set[str]:
    if area not in AREAS:
        raise ValueError(f"Unbekannter Bereich „{area}“; bekannt: {', '.join(AREAS)}")
    return set(LOCKS) if area == "alle" else {area}


def _steps(areas: set[str]):
    """(German table name, model, condition of the rows to delete) in an order that respects the foreign keys.

    A demo master row goes only when no row that stays refers to it; "stays" is judged on the fact rows that are
    not deleted by this removal, so the same condition counts (dry run, before) and deletes (after the facts).
    """

    def staying(model):
        return ~model.is_demo if _area_of[model] in areas else true()

    facts = [(label, m, m.is_demo) for label, m, area in FACTS if area in areas]
    service_gone = (
        OnlineService.is_demo
        & ~exists().where(Offer.service_id == OnlineService.id, staying(Offer))
        & ~exists().where(ServiceUsage.service_id == OnlineService.id, staying(ServiceUsage))
    )
    masters = []
    if "onlinedienste" in areas:
        masters.append(
            (
                "LeiKa-Schlüssel der Onlinedienste",
                ServiceLeika,
                ServiceLeika.service_id.in_(select(OnlineService.id).where(service_gone)),
            )
        )
        masters.append(("Onlinedienste", OnlineService, service_gone))
    if "eakte" in areas:
        masters.append(
            (
                "Behörden",
                Authority,
                Authority.is_demo
                & ~exists().where(EakteSnapshot.authority_id == Authority.id, staying(EakteSnapshot))
                & ~exists().where(Offer.authority_id == Authority.id, staying(Offer)),
            )
        )
    if "pi" in areas:
        masters.append(
            ("Teams", Team, Team.is_demo & ~exists().where(PiObjective.team_id == Team.id, staying(PiObjective)))
        )
        masters.append(
            (
                "Program Increments",
                ProgramIncrement,
                ProgramIncrement.is_demo
                & ~exists().where(PiObjective.pi_number == ProgramIncrement.number, staying(PiObjective)),
            )
        )
    return facts + masters


FACTS = (
    ("Angebote", Offer, "onlinedienste"),
    ("Nutzungszahlen", ServiceUsage, "onlinedienste"),
    ("eAkte-Stichtage", EakteSnapshot, "eakte"),
    ("PI-Ziele", PiObjective, "pi"),
    ("Epics", Epic, "portfolio"),
)
_area_of = {m: area for _label, m, area in FACTS}

# Demo master rows a real row refers to: (area, German sentence with {n}, model, condition).
_KEPT_BY_REAL = (
    (
        "onlinedienste",
        "{n} Onlinedienste aus den Beispieldaten bleiben, weil echte Angebote oder Nutzungszahlen sie nutzen; ein "
        "Import der Art „onlinedienste“ macht sie zu echten Zeilen.",
        OnlineService,
        OnlineService.is_demo
        & (
            exists().where(Offer.service_id == OnlineService.id, ~Offer.is_demo)
            | exists().where(ServiceUsage.service_id == OnlineService.id, ~ServiceUsage.is_demo)
        ),
    ),
    (
        "eakte",
        "{n} Behörden aus den Beispieldaten bleiben, weil echte eAkte-Stichtage oder Angebote sie nutzen; ein Import "
        "der Art „behoerden“ macht sie zu echten Zeilen.",
        Authority,
        Authority.is_demo
        & (
            exists().where(EakteSnapshot.authority_id == Authority.id, ~EakteSnapshot.is_demo)
            | exists().where(Offer.authority_id == Authority.id, ~Offer.is_demo)
        ),
    ),
    (
        "pi",
        "{n} Teams aus den Beispieldaten bleiben, weil echte PI-Ziele sie nutzen; ein Import der Art „teams“ macht "
        "sie zu echten Zeilen.",
        Team,
        Team.is_demo & exists().where(PiObjective.team_id == Team.id, ~PiObjective.is_demo),
    ),
    (
        "pi",
        "{n} Program Increments aus den Beispieldaten bleiben, weil echte PI-Ziele sie nutzen; ein Import der Art "
        "„pis“ macht sie zu echten Zeilen.",
        ProgramIncrement,
        ProgramIncrement.is_demo
        & exists().where(PiObjective.pi_number == ProgramIncrement.number, ~PiObjective.is_demo),
    ),
)


def _count(s: Session, model, condition) -> int:
    return int(s.scalar(select(func.count()).select_from(model).where(condition)) or 0)


def _kept(s: Session, areas: set[str], steps) -> list[str]:
    """German notes on the demo master rows of the areas that stay: used by real rows, or by another area's demo."""
    notes = []
    for area, sentence, model, condition in _KEPT_BY_REAL:
        if area in areas and (n := _count(s, model, condition)):
            notes.append(sentence.format(n=num(n)))
    for label, model, condition in steps:
        if model in _area_of or model is ServiceLeika:
            continue
        kept_by_real = [c for a, _s, m, c in _KEPT_BY_REAL if m is model]
        rest = model.is_demo & ~condition
        for c in kept_by_real:
            rest = rest & ~c
        if n := _count(s, model, rest):
            notes.append(
                f"{num(n)} {label} aus den Beispieldaten bleiben, weil Beispieldaten eines anderen Bereichs sie "
                "noch nutzen (mit „alle“ gehen sie mit)."
            )
    return notes


def delete_demo_rows(s: Session, area: str = "alle", *, dry_run: bool = False) -> dict[str, int]:
    """Delete (or only count) the demo rows of `area` in the caller's transaction; rows per German table name."""
    counts = {}
    for label, model, condition in _steps(_areas(area)):
        if dry_run:
            counts[label] = _count(s, model, condition)
        else:
            counts[label] = s.execute(delete(model).where(condition)).rowcount
    return counts


def remove(
    engine: Engine,
    area: str = "alle",
    *,
    dry_run: bool = False,
    user: str = "unbekannt",
    log_dry_run: bool = True,
) -> Removal:
    """Remove the Beispieldaten of `area` (onlinedienste, eakte, pi, portfolio or alle) in one transaction.

    Only rows flagged is_demo go, and a demo master row (service, authority, team, PI) only when no remaining row
    uses it; real rows are never touched. Any error rolls everything back and is reported in German. Every run
    (a dry run when `log_dry_run`) gets a row in the import log, kind LOG_KIND.
    """
    areas = _areas(area)
    started = dt.datetime.now().replace(microsecond=0)
    result = Removal(area=area, dry_run=dry_run)
    steps = _steps(areas)
    try:
        with transaction(engine) as s:
            if not dry_run:
                for kind in sorted({k for a in areas for k in LOCKS[a]}):
                    take_import_lock(s, kind)
            result.kept = _kept(s, areas, steps)
            result.deleted = delete_demo_rows(s, area, dry_run=dry_run)
            if not dry_run and "onlinedienste" in areas and sum(result.deleted.values()):
                summary.refresh(s)  # offers went: the availability summary follows in the same transaction
            result.message = _message(result)
            if not dry_run or log_dry_run:
                _log(s, result, started, user)
    except SQLAlchemyError as exc:
        log.warning("Beispieldaten entfernen: Datenbankfehler %s", exc.__class__.__name__, exc_info=exc)
        _failed(engine, result, started, user)
        return result
    except Exception as exc:  # a defect of ours must still end in a German message and a log entry
        log.exception("Beispieldaten entfernen: unerwarteter Fehler", exc_info=exc)
        _failed(engine, result, started, user)
        return result
    if not dry_run and result.total:
        refresh_statistics(engine)
    return result


def _message(result: Removal) -> str:
    what = f"Beispieldaten ({AREAS[result.area]})"
    if not result.total:
        return f"Keine {what} vorhanden – es gibt nichts zu entfernen."
    if result.dry_run:
        return f"Probelauf: {num(result.total)} Zeilen {what} würden entfernt – noch nichts gelöscht."
    return f"{num(result.total)} Zeilen {what} entfernt."


def _failed(engine: Engine, result: Removal, started: dt.datetime, user: str) -> None:
    result.ok, result.deleted = False, {}
    result.message = (
        f"Die Beispieldaten ({AREAS[result.area]}) konnten nicht entfernt werden; es wurde nichts gelöscht. Die "
        "technische Ursache steht im Server-Protokoll; bitte später erneut versuchen oder die Datenpflege informieren."
    )
    try:
        with transaction(engine) as s:
            _log(s, result, started, user)
    except SQLAlchemyError as exc:  # e.g. SQLite still locked: the failure stands
        log.warning("Beispieldaten entfernen: Fehlschlag nicht protokolliert (%s)", exc.__class__.__name__)


def _result_word(result: Removal) -> str:
    if not result.ok:
        return "abgelehnt"
    if result.dry_run:
        return "probelauf"
    return "ok" if result.total else "unverändert"


def _log(s: Session, result: Removal, started: dt.datetime, user: str) -> None:
    s.execute(
        insert(ImportLog).values(
            started_at=started,
            user_name=(user or "unbekannt")[:200],
            file_name=f"Beispieldaten entfernen: {result.area}",
            sha256="",
            kind=LOG_KIND,
            rows=result.total,
            result=_result_word(result),
            message=result.report(),
        )
    )
    bump(s)  # last statement of the removal (or failure log) transaction


def removed_before(engine: Engine) -> dt.datetime | None:
    """When Beispieldaten were last removed (a successful, non-empty removal in the import log), else None."""
    with engine.connect() as c:
        return c.scalar(
            select(func.max(ImportLog.started_at)).where(ImportLog.kind == LOG_KIND, ImportLog.result == "ok")
        )


def removed_note(when: dt.datetime) -> str:
    return (
        f"Die Beispieldaten wurden am {de_date(when.date())} entfernt – sie werden nicht automatisch neu geladen "
        "(ausdrücklich: python -m data_access seed --demo)."
    )
