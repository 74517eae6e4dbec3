"""Import kind "epics": portfolio epics with stage, owner, budget and action-plan measure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.importers import values as v
from data_access.importers.base import (
    Column,
    Kind,
    Parsed,
    Plan,
    Problem,
    Provenance,
    Row,
    RowChange,
    bulk_insert,
    bulk_update,
    differences,
)
from data_access.importers.pi_objectives import EXPECT_JIRA_KEY, JIRA_KEY, _norm
from data_access.importers.services import STAND
from data_access.models import EPIC_STAGES, Epic, Measure

_title = v.text(300)
_stage = v.choice(
    EPIC_STAGES,
    {
        "idea": "Ideenspeicher",
        "funnel": "Ideenspeicher",
        "analysis": "Analyse",
        "portfolio backlog": "Auftragspeicher",
        "implementing": "in Umsetzung",
        "umsetzung": "in Umsetzung",
    },
)
_owner = v.text(200, contact=True)
_budget = v.decimal(0, 999_999_999_999, places=2)


class EpicRow(Row):
    epic_key: Annotated[str, v.required(JIRA_KEY, EXPECT_JIRA_KEY)]
    title: Annotated[str, v.required(*_title)]
    stage: Annotated[str, v.required(*_stage)]
    owner: Annotated[str | None, v.optional(*_owner)] = None
    budget_eur: Annotated[Decimal | None, v.optional(*_budget)] = None
    measure: Annotated[str | None, v.optional(v.to_measure_key, v.EXPECT_MEASURE)] = None
    stand: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None


LABELS = {
    "title": "Titel",
    "stage": "Phase",
    "owner": "Epic Owner",
    "budget_eur": "Budget",
    "measure_id": "Maßnahme",
    "is_demo": "Beispieldaten",
}
SOURCE_FIELDS = {
    "title": "title",
    "stage": "stage",
    "owner": "owner",
    "budget_eur": "budget_eur",
    "measure_id": "measure",
}


class Epics(Kind):
    name = "epics"
    label = "Epics"
    table = "epic"
    sheet_names = ("Epics", "Daten")
    key_fields = ("epic_key",)
    row_model = EpicRow
    intro = "Portfolio-Epics (Ideenspeicher → Review → Analyse → Auftragspeicher → in Umsetzung). Schlüssel: Jira-Schlüssel."
    columns = (
        Column(
            "epic_key",
            "Schlüssel",
            ("Key", "Issue key", "Vorgangsschlüssel", "Epic-Schlüssel"),
            True,
            EXPECT_JIRA_KEY,
            "DVNPF-12",
        ),
        Column(
            "title",
            "Titel",
            ("Summary", "Zusammenfassung", "Epic Name", "Name"),
            True,
            "Titel des Epics (höchstens 300 Zeichen)",
            "Zentrale Bezahlplattform",
        ),
        Column(
            "stage",
            "Phase",
            ("Stage", "Status", "Stufe"),
            True,
            "Ideenspeicher, Review, Analyse, Auftragspeicher oder in Umsetzung",
            "Analyse",
        ),
        Column(
            "owner",
            "Epic Owner",
            ("Owner", "Verantwortlich", "Verantwortliche Person"),
            False,
            "Name oder Organisationseinheit",
            "MI Referat 41",
        ),
        Column(
            "budget_eur",
            "Budget (EUR)",
            ("Budget", "Budget EUR", "Budget in EUR"),
            False,
            "Betrag in Euro, z. B. 1.250.000,00",
            "1.250.000",
        ),
        Column(
            "measure",
            "Maßnahme",
            ("Measure", "Handlungsplan"),
            False,
            "Zeilenschlüssel einer Maßnahme des Handlungsplans (B.2.1)",
            "B.1.2",
        ),
        STAND,
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        measures = dict(session.execute(select(Measure.row_key, Measure.id)).all())
        plan = Plan()
        for p in rows:
            if p.row.measure and p.row.measure not in measures:
                plan.problems.append(
                    Problem(
                        p.line,
                        self.column("measure").header,
                        p.row.measure,
                        "ist keine Maßnahme des Handlungsplans",
                        v.EXPECT_MEASURE,
                    )
                )
        if plan.problems:
            return plan
        existing = {
            o.epic_key: o
            for o in session.execute(
                select(Epic.id, Epic.epic_key, Epic.is_demo, *[getattr(Epic, c) for c in SOURCE_FIELDS])
            )
        }
        inserts, updates = [], []
        for p in rows:
            r = p.row
            old = existing.get(r.epic_key)
            full = {
                "title": r.title,
                "stage": r.stage,
                "owner": r.owner,
                "budget_eur": r.budget_eur,
                "measure_id": measures.get(r.measure) if r.measure else None,
            }
            vals = {k: x for k, x in full.items() if old is None or SOURCE_FIELDS[k] in r.model_fields_set}
            if old is None:
                inserts.append({"epic_key": r.epic_key, **vals, **prov.values(r.stand)})
                plan.changes.append(RowChange(p.line, r.epic_key, "neu"))
                continue
            before = {c: _norm(getattr(old, c)) for c in vals} | {"is_demo": old.is_demo}
            after = {c: _norm(x) for c, x in vals.items()} | {"is_demo": False}
            if before == after:
                plan.changes.append(RowChange(p.line, r.epic_key, "unverändert"))
            else:
                plan.changes.append(RowChange(p.line, r.epic_key, "geändert", differences(before, after, LABELS)))
                updates.append({"id": old.id, **vals, **prov.values(r.stand)})

        def write(s: Session) -> None:
            if inserts:
                bulk_insert(s, Epic, inserts)
            if updates:
                bulk_update(s, Epic, updates)

        plan.write = write
        return plan
