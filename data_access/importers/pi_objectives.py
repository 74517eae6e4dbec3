"""Import kind "pi-ziele": PI objectives as Jira exports them (German or English headers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.importers import values as v
from data_access.importers.base import Column, Kind, Parsed, Plan, Problem, Provenance, Row, Stand, unknown_ref
from data_access.models import Measure, PiObjective, ProgramIncrement, Team

EXPECT_JIRA_KEY = "Jira-Schlüssel wie DVN-123 (Großbuchstaben, Bindestrich, Nummer)"
JIRA_KEY = v.pattern(r"[A-Z][A-Z0-9_]{0,40}-\d{1,12}", EXPECT_JIRA_KEY, upper=True)
_team = v.text(200)
_text = v.text(4000)
_planned = v.integer(1, 10)
_actual = v.decimal(0, 10, places=1)


class ObjectiveRow(Row):
    objective_key: Annotated[
        str,
        v.required(JIRA_KEY, EXPECT_JIRA_KEY),
        Column(
            "Schlüssel",
            ("Key", "Issue key", "Vorgangsschlüssel", "Ziel-ID", "Objective key"),
            EXPECT_JIRA_KEY,
            "DVN-123",
            text=True,
        ),
    ]
    team: Annotated[
        str | None,
        v.optional(*_team),
        Column(
            "Team",
            ("Teamname", "Team Name"),
            "Name eines angelegten Teams; leer = keinem Team zugeordnet",
            "Team Portalverbund",
            db="team_id",
        ),
    ] = None
    pi: Annotated[
        tuple[str, int | str],
        v.required(v.to_pi, v.EXPECT_PI),
        Column(
            "PI",
            ("Program Increment", "PI Nummer", "Sprint PI"),
            "PI-Nummer (18, PI 18) oder Quartal (2025-Q2, PI 2025-2); der PI muss angelegt sein",
            "PI 18",
            db="pi_number",
        ),
    ]
    text: Annotated[
        str,
        v.required(*_text),
        Column(
            "Ziel",
            ("Objective", "Summary", "Zusammenfassung", "PI-Ziel", "Beschreibung"),
            "Text des PI-Ziels (höchstens 4.000 Zeichen)",
            "Antrag Elterngeld in NAVO produktiv",
            db=True,
        ),
    ]
    committed: Annotated[
        bool,
        v.optional(v.to_bool, v.EXPECT_BOOL, empty=False),
        Column(
            "Verbindlich",
            ("Committed", "Commitment", "Zugesagt"),
            "ja/nein, yes/no, true/false oder x; leer = nicht verbindlich (Stretch-Ziel)",
            "ja",
            required=True,
            db=True,
            label="verbindlich",
        ),
    ] = False
    planned_bv: Annotated[
        int | None,
        v.optional(*_planned),
        Column(
            "Geplanter Geschäftswert",
            ("Planned Business Value", "Planned BV", "Geplanter BV", "BV geplant", "Business Value"),
            "ganze Zahl von 1 bis 10 (von den Business Ownern vergeben)",
            "8",
            db=True,
            label="Plan-BV",
        ),
    ] = None
    actual_bv: Annotated[
        Decimal | None,
        v.optional(*_actual),
        Column(
            "Tatsächlicher Geschäftswert",
            ("Actual Business Value", "Actual BV", "Tatsächlicher BV", "BV erreicht", "Erreichter Geschäftswert"),
            "Zahl von 0 bis 10 mit höchstens einer Nachkommastelle (7,5); leer, solange der PI läuft",
            "7,5",
            db=True,
            label="Ist-BV",
        ),
    ] = None
    measure: Annotated[
        str | None,
        v.optional(v.to_measure_key, v.EXPECT_MEASURE),
        Column(
            "Maßnahme",
            ("Measure", "Handlungsplan", "Maßnahme Handlungsplan"),
            "Zeilenschlüssel einer Maßnahme des Handlungsplans (B.2.1, B.2.11/2); Text danach wird ignoriert",
            "B.2.1",
            db="measure_id",
        ),
    ] = None
    stand: Stand = None


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
        items = []
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
            items.append(
                self.item(
                    p,
                    r.objective_key,
                    {"objective_key": r.objective_key},
                    pi_number=number,
                    team_id=team_id,
                    measure_id=measure_id,
                )
            )
        if plan.problems:
            return plan
        existing = self.existing(session, PiObjective, lambda o: o["objective_key"], keys=["objective_key"])
        self.upsert(plan, PiObjective, items, existing, prov)
        return plan
