"""Import kind "epics": portfolio epics with stage, owner, budget and action-plan measure."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.importers import values as v
from data_access.importers.base import Column, Kind, Parsed, Plan, Problem, Provenance, Row, Stand
from data_access.importers.pi_objectives import EXPECT_JIRA_KEY, JIRA_KEY
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
    epic_key: Annotated[
        str,
        v.required(JIRA_KEY, EXPECT_JIRA_KEY),
        Column(
            "Schlüssel",
            ("Key", "Issue key", "Vorgangsschlüssel", "Epic-Schlüssel"),
            EXPECT_JIRA_KEY,
            "DVNPF-12",
            text=True,
        ),
    ]
    title: Annotated[
        str,
        v.required(*_title),
        Column(
            "Titel",
            ("Summary", "Zusammenfassung", "Epic Name", "Name"),
            "Titel des Epics (höchstens 300 Zeichen)",
            "Zentrale Bezahlplattform",
            db=True,
        ),
    ]
    stage: Annotated[
        str,
        v.required(*_stage),
        Column(
            "Phase",
            ("Stage", "Status", "Stufe"),
            "Ideenspeicher, Review, Analyse, Auftragspeicher oder in Umsetzung",
            "Analyse",
            db=True,
        ),
    ]
    owner: Annotated[
        str | None,
        v.optional(*_owner),
        Column(
            "Epic Owner",
            ("Owner", "Verantwortlich", "Verantwortliche Person"),
            "Name oder Organisationseinheit",
            "MI Referat 41",
            db=True,
            label="Verantwortlich",
        ),
    ] = None
    budget_eur: Annotated[
        Decimal | None,
        v.optional(*_budget),
        Column(
            "Budget (EUR)",
            ("Budget", "Budget EUR", "Budget in EUR"),
            "Betrag in Euro, z. B. 1.250.000,00",
            "1.250.000",
            db=True,
            label="Budget (€)",
        ),
    ] = None
    measure: Annotated[
        str | None,
        v.optional(v.to_measure_key, v.EXPECT_MEASURE),
        Column(
            "Maßnahme",
            ("Measure", "Handlungsplan"),
            "Zeilenschlüssel einer Maßnahme des Handlungsplans (B.2.1)",
            "B.1.2",
            db="measure_id",
        ),
    ] = None
    stand: Stand = None


class Epics(Kind):
    name = "epics"
    label = "Epics"
    table = "epic"
    sheet_names = ("Epics", "Daten")
    key_fields = ("epic_key",)
    row_model = EpicRow
    intro = "Portfolio-Epics (Ideenspeicher → Review → Analyse → Auftragspeicher → in Umsetzung). Schlüssel: Jira-Schlüssel."

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
        existing = self.existing(session, Epic, lambda o: o["epic_key"], keys=["epic_key"])
        items = [
            self.item(p, p.row.epic_key, {"epic_key": p.row.epic_key}, measure_id=measures.get(p.row.measure))
            for p in rows
        ]
        self.upsert(plan, Epic, items, existing, prov)
        return plan
