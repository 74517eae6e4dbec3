"""Import kind "pi-ziele": PI objectives as Jira exports them (German or English headers)."""

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
    unknown_ref,
)
from data_access.importers.services import STAND
from data_access.models import Measure, PiObjective, ProgramIncrement, Team

EXPECT_JIRA_KEY = "Jira-Schlüssel wie DVN-123 (Großbuchstaben, Bindestrich, Nummer)"
JIRA_KEY = v.pattern(r"[A-Z][A-Z0-9_]{0,40}-\d{1,12}", EXPECT_JIRA_KEY, upper=True)
_team = v.text(200)
_text = v.text(4000)
_planned = v.integer(1, 10)
_actual = v.decimal(0, 10, places=1)


class ObjectiveRow(Row):
    objective_key: Annotated[str, v.required(JIRA_KEY, EXPECT_JIRA_KEY)]
    team: Annotated[str | None, v.optional(*_team)] = None
    pi: Annotated[tuple[str, int | str], v.required(v.to_pi, v.EXPECT_PI)]
    text: Annotated[str, v.required(*_text)]
    committed: Annotated[bool, v.optional(v.to_bool, v.EXPECT_BOOL, empty=False)] = False
    planned_bv: Annotated[int | None, v.optional(*_planned)] = None
    actual_bv: Annotated[Decimal | None, v.optional(*_actual)] = None
    measure: Annotated[str | None, v.optional(v.to_measure_key, v.EXPECT_MEASURE)] = None
    stand: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None


COMPARED = ("pi_number", "team_id", "text", "committed", "planned_bv", "actual_bv", "measure_id")
LABELS = {
    "pi_number": "PI",
    "team_id": "Team",
    "text": "Ziel",
    "committed": "Verbindlich",
    "planned_bv": "Geplanter BV",
    "actual_bv": "Tatsächlicher BV",
    "measure_id": "Maßnahme",
    "is_demo": "Beispieldaten",
}


def pi_label(number: int, quarter: str) -> str:
    return f"PI {number} ({quarter})"


class PiObjectives(Kind):
    name = "pi-ziele"
    label = "PI-Ziele"
    table = "pi_objective"
    sheet_names = ("PI-Ziele", "PI Objectives", "Daten")
    key_fields = ("objective_key",)
    row_model = ObjectiveRow
    intro = (
        "PI-Ziele aus einem Jira-Export (deutsche oder englische Spaltennamen). Schlüssel: Jira-Schlüssel. "
        "Team und PI müssen angelegt sein; ein leeres Team ist erlaubt."
    )
    columns = (
        Column(
            "objective_key",
            "Schlüssel",
            ("Key", "Issue key", "Vorgangsschlüssel", "Ziel-ID", "Objective key"),
            True,
            EXPECT_JIRA_KEY,
            "DVN-123",
        ),
        Column(
            "team",
            "Team",
            ("Teamname", "Team Name"),
            False,
            "Name eines angelegten Teams; leer = keinem Team zugeordnet",
            "Team Portalverbund",
        ),
        Column(
            "pi",
            "PI",
            ("Program Increment", "PI Nummer", "Sprint PI"),
            True,
            "PI-Nummer (18, PI 18) oder Quartal (2025-Q2, PI 2025-2); der PI muss angelegt sein",
            "PI 18",
        ),
        Column(
            "text",
            "Ziel",
            ("Objective", "Summary", "Zusammenfassung", "PI-Ziel", "Beschreibung"),
            True,
            "Text des PI-Ziels (höchstens 4.000 Zeichen)",
            "Antrag Elterngeld in NAVO produktiv",
        ),
        Column(
            "committed",
            "Verbindlich",
            ("Committed", "Commitment", "Zugesagt"),
            True,
            "ja/nein, yes/no, true/false oder x; leer = nicht verbindlich (Stretch-Ziel)",
            "ja",
        ),
        Column(
            "planned_bv",
            "Geplanter Geschäftswert",
            ("Planned Business Value", "Planned BV", "Geplanter BV", "BV geplant", "Business Value"),
            False,
            "ganze Zahl von 1 bis 10 (von den Business Ownern vergeben)",
            "8",
        ),
        Column(
            "actual_bv",
            "Tatsächlicher Geschäftswert",
            ("Actual Business Value", "Actual BV", "Tatsächlicher BV", "BV erreicht", "Erreichter Geschäftswert"),
            False,
            "Zahl von 0 bis 10 mit höchstens einer Nachkommastelle (7,5); leer, solange der PI läuft",
            "7,5",
        ),
        Column(
            "measure",
            "Maßnahme",
            ("Measure", "Handlungsplan", "Maßnahme Handlungsplan"),
            False,
            "Zeilenschlüssel einer Maßnahme des Handlungsplans (B.2.1, B.2.11/2); Text danach wird ignoriert",
            "B.2.1",
        ),
        STAND,
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        pis = session.execute(
            select(ProgramIncrement.number, ProgramIncrement.quarter).order_by(ProgramIncrement.number)
        ).all()
        by_number = {n: n for n, _ in pis}
        by_quarter = {q: n for n, q in pis}
        teams = dict(session.execute(select(Team.name, Team.id).order_by(Team.name)).all())
        folded_teams = {name.casefold(): tid for name, tid in teams.items()}
        measures = dict(session.execute(select(Measure.row_key, Measure.id)).all())
        col = {c.field: c for c in self.columns}
        plan = Plan()
        resolved = []
        for p in rows:
            r = p.row
            kind, raw = r.pi
            number = (by_number if kind == "number" else by_quarter).get(raw)
            if number is None:
                plan.problems.append(
                    unknown_ref(p, col["pi"], str(raw), "ein angelegter PI", [pi_label(n, q) for n, q in pis], limit=40)
                )
            team_id = None
            if r.team:
                team_id = folded_teams.get(r.team.casefold())
                if team_id is None:
                    plan.problems.append(
                        unknown_ref(
                            p,
                            col["team"],
                            r.team,
                            "Name eines angelegten Teams",
                            sorted(teams, key=str.casefold),
                            limit=40,
                        )
                    )
            measure_id = None
            if r.measure:
                measure_id = measures.get(r.measure)
                if measure_id is None:
                    plan.problems.append(
                        Problem(
                            p.line,
                            col["measure"].header,
                            r.measure,
                            "ist keine Maßnahme des Handlungsplans",
                            v.EXPECT_MEASURE,
                        )
                    )
            resolved.append(
                (
                    p,
                    {
                        "pi_number": number,
                        "team_id": team_id,
                        "text": r.text,
                        "committed": r.committed,
                        "planned_bv": r.planned_bv,
                        "actual_bv": r.actual_bv,
                        "measure_id": measure_id,
                    },
                )
            )
        if plan.problems:
            return plan
        existing = {
            o.objective_key: o
            for o in session.execute(
                select(
                    PiObjective.id,
                    PiObjective.objective_key,
                    PiObjective.is_demo,
                    *[getattr(PiObjective, c) for c in COMPARED],
                )
            )
        }
        source_fields = {
            "pi_number": "pi",
            "team_id": "team",
            "text": "text",
            "committed": "committed",
            "planned_bv": "planned_bv",
            "actual_bv": "actual_bv",
            "measure_id": "measure",
        }
        inserts, updates = [], []
        for p, resolved_vals in resolved:
            r = p.row
            old = existing.get(r.objective_key)
            vals = {k: x for k, x in resolved_vals.items() if old is None or source_fields[k] in r.model_fields_set}
            if old is None:
                inserts.append({"objective_key": r.objective_key, **vals, **prov.values(r.stand)})
                plan.changes.append(RowChange(p.line, r.objective_key, "neu"))
                continue
            before = {c: _norm(getattr(old, c)) for c in vals} | {"is_demo": old.is_demo}
            after = {c: _norm(x) for c, x in vals.items()} | {"is_demo": False}
            if before == after:
                plan.changes.append(RowChange(p.line, r.objective_key, "unverändert"))
            else:
                plan.changes.append(RowChange(p.line, r.objective_key, "geändert", differences(before, after, LABELS)))
                updates.append({"id": old.id, **vals, **prov.values(r.stand)})

        def write(s: Session) -> None:
            if inserts:
                bulk_insert(s, PiObjective, inserts)
            if updates:
                bulk_update(s, PiObjective, updates)

        plan.write = write
        return plan


def _norm(x):
    """Numeric(4,1) comes back as Decimal('7.5') or float on SQLite; compare by value."""
    return Decimal(str(x)).normalize() if isinstance(x, Decimal | float) else x
