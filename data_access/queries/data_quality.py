"""Data quality for the Daten page: Stand and demo/real counts per table, consistency checks, import log."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, case, exists, func, not_, select

from data_access.models import (
    Authority,
    EakteSnapshot,
    Epic,
    ImportLog,
    Offer,
    OnlineService,
    PiObjective,
    ProgramIncrement,
    Region,
    ServiceLeika,
    ServiceUsage,
    Team,
)
from data_access.read import reading
from data_access.text import clip
from data_access.units import Level

# (table label, model, import kind or None): the operational tables a maintainer looks after.
TABLES = (
    ("Onlinedienste", OnlineService, "onlinedienste"),
    ("Angebote", Offer, "angebote"),
    ("Nutzungszahlen", ServiceUsage, "nutzung"),
    ("eAkte-Stichtage", EakteSnapshot, "eakte"),
    ("PI-Ziele", PiObjective, "pi-ziele"),
    ("Epics", Epic, "epics"),
    ("Behörden", Authority, "behoerden"),
    ("Teams", Team, "teams"),
    ("Program Increments", ProgramIncrement, "pis"),
    ("Gebietseinheiten", Region, None),
)


def table_status(engine: Engine) -> pd.DataFrame:
    """One row per operational table: Tabelle, Importart, Zeilen, Beispieldaten, Importiert/echt,
    Stand (newest as_of of the non-demo rows), Letzter Import (time of the newest successful import), Ergebnis."""
    last = (
        select(ImportLog.kind, func.max(ImportLog.started_at).label("last"))
        .where(ImportLog.result.in_(("ok", "unverändert")))
        .group_by(ImportLog.kind)
    )
    rows = []
    with reading(engine) as conn:
        imports = {k: t for k, t in conn.execute(last)}
        for label, model, kind in TABLES:
            stmt = select(
                func.count(),
                func.coalesce(func.sum(case((model.is_demo, 1), else_=0)), 0),
                func.max(case((not_(model.is_demo), model.as_of))),
                func.max(case((model.is_demo, model.as_of))),
            ).select_from(model)
            total, demo, stand_real, stand_demo = conn.execute(stmt).one()
            rows.append(
                {
                    "Tabelle": label,
                    "Importart": kind or "–",
                    "Zeilen": total,
                    "Beispieldaten": demo,
                    "Echte Daten": total - demo,
                    "Stand echte Daten": stand_real,
                    "Stand Beispieldaten": stand_demo,
                    "Letzter Import": imports.get(kind) if kind else None,
                }
            )
    return pd.DataFrame(rows)


def checks(engine: Engine) -> pd.DataFrame:
    """One row per consistency check: Prüfung, Anzahl (rows affected), Hinweis. Zero is good."""
    level = select(Region.level).where(Region.ars == Offer.region_ars).scalar_subquery()
    queries = [
        (
            "Onlinedienste ohne Angebot",
            select(func.count())
            .select_from(OnlineService)
            .where(~exists().where(Offer.service_id == OnlineService.id)),
            "Katalogeinträge, die keine Einheit anbietet oder plant",
        ),
        (
            "Onlinedienste ohne LeiKa-Schlüssel",
            select(func.count())
            .select_from(OnlineService)
            .where(~exists().where(ServiceLeika.service_id == OnlineService.id)),
            "ohne Schlüssel lassen sie sich nicht mit dem Bund abgleichen",
        ),
        (
            "LeiKa-Schlüssel nicht 14-stellig",
            select(func.count()).select_from(ServiceLeika).where(func.length(ServiceLeika.leika_key) != 14),
            "unbekanntes Schlüsselformat",
        ),
        (
            "Angebote auf Gemeindeebene",
            select(func.count()).select_from(Offer).where(level == Level.GEM),
            "Angebote gelten für Land, Kreis oder Verwaltungsgemeinschaft",
        ),
        (
            "Gebietsschlüssel außerhalb Niedersachsens",
            select(func.count()).select_from(Region).where(not_(Region.ars.like("03%"))),
            "ARS beginnt nicht mit 03",
        ),
        (
            "Mehrere offene Zeiträume je Angebot",
            select(func.count()).select_from(
                select(Offer.service_id, Offer.region_ars)
                .where(Offer.valid_to.is_(None))
                .group_by(Offer.service_id, Offer.region_ars)
                .having(func.count() > 1)
                .subquery()
            ),
            "je Dienst und Einheit darf nur ein Status gelten",
        ),
        (
            "Behörden im eAkte-Umfang ohne Stichtag",
            select(func.count())
            .select_from(Authority)
            .where(Authority.in_eakte_scope, ~exists().where(EakteSnapshot.authority_id == Authority.id)),
            "keine eAkte-Zahlen gemeldet",
        ),
        (
            "PI-Ziele ohne Team",
            select(func.count()).select_from(PiObjective).where(PiObjective.team_id.is_(None)),
            "zählen nur in der Programmsumme",
        ),
        (
            "PI-Ziele ohne Maßnahme",
            select(func.count()).select_from(PiObjective).where(PiObjective.measure_id.is_(None)),
            "nicht dem Handlungsplan zugeordnet",
        ),
        (
            "PI-Ziele ohne geplanten Geschäftswert",
            select(func.count())
            .select_from(PiObjective)
            .where(and_(PiObjective.committed, PiObjective.planned_bv.is_(None))),
            "verbindlich, aber ohne BV: fehlt in der Vorhersagbarkeit",
        ),
        (
            "Teams ohne PI-Ziele",
            select(func.count()).select_from(Team).where(~exists().where(PiObjective.team_id == Team.id)),
            "verwaiste Teams",
        ),
        (
            "Epics ohne Maßnahme",
            select(func.count()).select_from(Epic).where(Epic.measure_id.is_(None)),
            "nicht dem Handlungsplan zugeordnet",
        ),
    ]
    with reading(engine) as conn:
        return pd.DataFrame(
            [
                {"Prüfung": name, "Anzahl": conn.execute(stmt).scalar_one(), "Hinweis": hint}
                for name, stmt, hint in queries
            ]
        )


LOG_MESSAGE_CHARS = 2_000


def import_log(engine: Engine, *, limit: int = 200, people: bool = False) -> pd.DataFrame:
    """The newest import runs, one row each: Zeitpunkt, Importart, Datei, Zeilen, Ergebnis, SHA-256, Meldung and,
    with `people` (for the signed-in Datenpflege only), Wer.

    Without `people` the names never leave the database and Meldung is only its first line (the summary): the
    problem lines below it quote cell values, which can be names (Epic Owner). Only the first LOG_MESSAGE_CHARS of
    each message leave the database: one oversized row (written by an older version, or by hand) must not make the
    protocol too big to send to the browser.
    """
    columns = [
        ImportLog.started_at,
        ImportLog.kind,
        ImportLog.file_name,
        ImportLog.rows,
        ImportLog.result,
        *([ImportLog.user_name] if people else []),
        ImportLog.sha256,
        func.substr(ImportLog.message, 1, LOG_MESSAGE_CHARS + 1),
    ]
    stmt = select(*columns).order_by(ImportLog.started_at.desc(), ImportLog.id.desc()).limit(limit)
    with reading(engine) as conn:
        rows = [(*r[:-1], _message(r[-1], people)) for r in conn.execute(stmt)]
    names = ["Zeitpunkt", "Importart", "Datei", "Zeilen", "Ergebnis", *(["Wer"] if people else []), "SHA-256"]
    return pd.DataFrame(rows, columns=[*names, "Meldung"])


def _message(text: str | None, full: bool) -> str:
    text = clip(text or "", LOG_MESSAGE_CHARS)
    return text if full else text.split("\n", 1)[0]


def has_demo_rows(engine: Engine) -> bool:
    """True when any operational table holds Beispieldaten (the page then shows the badge)."""
    with reading(engine) as conn:
        return any(conn.execute(select(exists().where(model.is_demo))).scalar() for _, model, _ in TABLES)
