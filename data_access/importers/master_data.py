"""Import kinds for the master data: "behoerden" (authorities), "teams" and "pis" (Program Increments).

Same rules as the other kinds (docs/IMPORT.md): keys compared without regard to case, a missing optional column
leaves stored values unchanged, a demo row matched by its key becomes an imported row ("geändert").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Annotated, Any

from pydantic import model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.importers import values as v
from data_access.importers.base import Column, Kind, Parsed, Plan, Problem, Provenance, Row, Stand, unknown_ref
from data_access.models import Authority, Ministry, ProgramIncrement, Region, Team
from data_access.periods import quarter_of

GEO_HINT = "ARS aus der Gebietstabelle (Grenzen mit „python -m geo build“ laden)"


# --- Behörden -----------------------------------------------------------------------------------------------------

EXPECT_SEAT = (
    "Regionalschlüssel (ARS) einer Einheit Niedersachsens: Gemeinde (12 Stellen), Verwaltungsgemeinschaft (9), "
    "Kreis (5) oder Land (03)"
)


def to_seat_ars(value: Any) -> str:
    """ARS of the seat at any level; Excel's dropped leading zero of '03…' is put back."""
    s = v.as_text(value).replace(" ", "")
    if not re.fullmatch(r"[0-9]+", s):
        raise v.fail("ist kein Regionalschlüssel (nur Ziffern)", EXPECT_SEAT)
    if len(s) in (1, 4, 8, 11) and s.startswith("3"):
        s = "0" + s
    if not s.startswith("03"):
        raise v.fail("liegt nicht in Niedersachsen (Schlüssel beginnt nicht mit 03)", EXPECT_SEAT)
    if len(s) == 8:
        raise v.fail("ist ein 8-stelliger Gemeindeschlüssel (AGS), kein ARS", EXPECT_SEAT)
    if len(s) not in (2, 5, 9, 12):
        raise v.fail(f"hat {len(s)} Stellen", EXPECT_SEAT)
    return s


_code = v.text(30)
_authority_name = v.text(300)
_ministry = v.text(10)
_workplaces = v.integer(0, None)
_mandant = v.text(100)


class AuthorityRow(Row):
    code: Annotated[
        str,
        v.required(*_code),
        Column(
            "Kürzel",
            ("Behördenkürzel", "Behörde", "Kurzname", "Kurzbezeichnung"),
            "Kürzel der Behörde (höchstens 30 Zeichen), z. B. NLBV oder PD H",
            "NLBV",
            text=True,
        ),
    ]
    name: Annotated[
        str,
        v.required(*_authority_name),
        Column(
            "Name",
            ("Bezeichnung", "Behördenname", "Name der Behörde"),
            "Bezeichnung der Behörde (höchstens 300 Zeichen)",
            "Niedersächsisches Landesamt für Bezüge und Versorgung",
            db=True,
        ),
    ]
    ministry: Annotated[
        str,
        v.required(*_ministry),
        Column(
            "Ressort",
            ("Ministerium", "Ressortkürzel", "Geschäftsbereich"),
            "Kürzel des Ressorts, zu dessen Geschäftsbereich die Behörde gehört: StK, MI, MF, MS, MK, MWK, MW, ML, "
            "MU, MJ oder MB",
            "MF",
            db="ministry_code",
            text=True,
        ),
    ]
    seat_ars: Annotated[
        str | None,
        v.optional(to_seat_ars, EXPECT_SEAT),
        Column(
            "Sitz-ARS",
            ("Sitz", "ARS Sitz", "Regionalschlüssel Sitz"),
            "Regionalschlüssel des Sitzes: Gemeinde (12 Stellen), Verwaltungsgemeinschaft (9), Kreis (5) oder Land "
            "(03); muss in der Gebietstabelle stehen. Eine von Excel entfernte führende 0 wird ergänzt. Leer = "
            "unbekannt",
            "032410001",
            db=True,
            text=True,
        ),
    ] = None
    planned_workplaces: Annotated[
        int | None,
        v.optional(*_workplaces),
        Column(
            "Geplante Arbeitsplätze",
            ("Arbeitsplätze geplant", "Arbeitsplätze", "eAkte-Arbeitsplätze"),
            "geplante eAkte-Arbeitsplätze der Behörde, ganze Zahl ab 0; leer = unbekannt",
            "1.200",
            db=True,
        ),
    ] = None
    mandant: Annotated[
        str | None,
        v.optional(*_mandant),
        Column(
            "Mandant",
            ("eAkte-Mandant", "Mandantenname"),
            "eAkte-Mandant, zu dem die Behörde gehört (höchstens 100 Zeichen); mehrere Behörden können einen "
            "Mandanten teilen",
            "Mandant MF",
            db=True,
        ),
    ] = None
    in_eakte_scope: Annotated[
        bool,
        v.optional(v.to_bool, v.EXPECT_BOOL, empty=True),
        Column(
            "im eAkte-Umfang",
            ("eAkte-Umfang", "eAkte", "im Umfang"),
            "ja/nein, yes/no, true/false oder x: zählt die Behörde zur eAkte-Einführung; leer = ja",
            "ja",
            db=True,
        ),
    ] = True
    stand: Stand = None


class Authorities(Kind):
    name = "behoerden"
    label = "Behörden"
    table = "authority"
    sheet_names = ("Behörden", "Behoerden", "Daten")
    key_fields = ("code",)
    row_model = AuthorityRow
    intro = (
        "Landesbehörden mit Ressort, Sitz und eAkte-Mandant; Schlüssel ist das Kürzel. Das Ressort muss eines der "
        "Ressorts der Landesregierung sein (StK, MI, MF, MS, MK, MWK, MW, ML, MU, MJ, MB), der Sitz eine Einheit der "
        "Gebietstabelle. Fehlende optionale Spalten lassen vorhandene Werte unverändert."
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        ministries = list(session.scalars(select(Ministry.code).order_by(Ministry.code)))
        by_fold = {m.casefold(): m for m in ministries}
        seats = {r.seat_ars for r in (p.row for p in rows) if r.seat_ars}
        known = set(session.scalars(select(Region.ars))) if seats else set()
        plan = Plan()
        items = []
        for p in rows:
            r = p.row
            ministry = by_fold.get(r.ministry.casefold())
            if ministry is None:
                plan.problems.append(
                    unknown_ref(p, self.column("ministry"), r.ministry, "Kürzel eines Ressorts", ministries)
                )
            if r.seat_ars and r.seat_ars not in known:
                plan.problems.append(
                    Problem(
                        p.line,
                        self.column("seat_ars").header,
                        r.seat_ars,
                        "ist keine bekannte Gebietseinheit",
                        GEO_HINT,
                    )
                )
            items.append(self.item(p, v.fold(r.code), {"code": r.code}, ministry_code=ministry))
        if plan.problems:
            return plan
        existing = self.existing(session, Authority, lambda o: v.fold(o["code"]), keys=["code"])
        self.upsert(plan, Authority, items, existing, prov)
        return plan


# --- Teams --------------------------------------------------------------------------------------------------------

_team_name = v.text(200)
_area = v.text(200)


class TeamRow(Row):
    name: Annotated[
        str,
        v.required(*_team_name),
        Column(
            "Name",
            ("Team", "Teamname", "Team Name"),
            "Name des Teams (höchstens 200 Zeichen)",
            "Team Portalverbund",
        ),
    ]
    area: Annotated[
        str | None,
        v.optional(*_area),
        Column(
            "ART/Bereich",
            ("ART", "Bereich", "Agile Release Train", "Release Train"),
            "Agile Release Train oder Bereich des Programms (höchstens 200 Zeichen); leer = keiner",
            "ART Onlinedienste",
            db=True,
        ),
    ] = None
    active_from: Annotated[
        v.OptionalDate,
        Column(
            "aktiv von",
            ("aktiv seit", "Beginn", "Start", "von"),
            "Datum, ab dem das Team arbeitet; leer = unbekannt",
            "01.01.2021",
            db=True,
        ),
    ] = None
    active_to: Annotated[
        v.OptionalDate,
        Column(
            "aktiv bis",
            ("Ende", "bis", "aufgelöst am"),
            "letzter Tag des Teams, nicht vor „aktiv von“; leer = weiterhin aktiv",
            "31.12.2026",
            db=True,
        ),
    ] = None
    stand: Stand = None


class Teams(Kind):
    name = "teams"
    label = "Teams"
    table = "team"
    sheet_names = ("Teams", "Daten")
    key_fields = ("name",)
    row_model = TeamRow
    intro = (
        "Die Teams des Programms mit ART bzw. Bereich und dem Zeitraum, in dem sie arbeiten; Schlüssel ist der Name "
        "(so, wie PI-Ziele ihn nennen). „aktiv bis“ darf nicht vor „aktiv von“ liegen – geprüft auch gegen den "
        "gespeicherten Wert, wenn die Datei nur eine der beiden Spalten hat."
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        existing = self.existing(session, Team, lambda o: v.fold(o["name"]), keys=["name"])
        plan = Plan()
        items = []
        for p in rows:
            r = p.row
            given = self.given(r)
            old = existing.get(v.fold(r.name))
            start = r.active_from if "active_from" in given or old is None else old["active_from"]
            end = r.active_to if "active_to" in given or old is None else old["active_to"]
            if start and end and end < start:
                if "active_to" in given:
                    note = "" if "active_from" in given else ", gespeicherter Wert"
                    field, value, reason = "active_to", end, f"liegt vor „aktiv von“ ({v.de_date(start)}{note})"
                else:
                    field, value, reason = (
                        "active_from",
                        start,
                        f"liegt nach „aktiv bis“ ({v.de_date(end)}, gespeicherter Wert)",
                    )
                plan.problems.append(
                    Problem(
                        p.line,
                        self.column(field).header,
                        v.de_date(value),
                        reason,
                        "„aktiv bis“ am oder nach „aktiv von“",
                    )
                )
            items.append(self.item(p, v.fold(r.name), {"name": r.name}))
        if plan.problems:
            return plan
        self.upsert(plan, Team, items, existing, prov)
        return plan


# --- Program Increments -------------------------------------------------------------------------------------------

EXPECT_PI_NUMBER = "PI-Nummer, ganze Zahl von 1 bis 999 (18 oder PI 18)"
EXPECT_QUARTER = "Quartal wie 2025-Q2 (auch 2025-2, Q2/2025, Q2 2025)"


def to_pi_number(value: Any) -> int:
    s = v.as_text(value)
    s = re.sub(r"^\s*PI\s*", "", s, flags=re.IGNORECASE).strip()
    if not re.fullmatch(r"[0-9]{1,3}", s) or int(s) == 0:
        raise v.fail("ist keine PI-Nummer", EXPECT_PI_NUMBER)
    return int(s)


def to_quarter(value: Any) -> str:
    s = v.as_text(value).upper().replace(" ", "")
    if m := re.fullmatch(r"([0-9]{4})[-/.]?Q?([1-4])", s):
        return f"{m[1]}-Q{m[2]}"
    if m := re.fullmatch(r"Q([1-4])[-/.]?([0-9]{4})", s):
        return f"{m[2]}-Q{m[1]}"
    raise v.fail("ist keine Quartalsangabe", EXPECT_QUARTER)


_place = v.text(200)


class PiRow(Row):
    number: Annotated[
        int,
        v.required(to_pi_number, EXPECT_PI_NUMBER),
        Column("Nummer", ("PI", "PI-Nummer", "PI Nummer", "Program Increment"), EXPECT_PI_NUMBER, "18"),
    ]
    quarter: Annotated[
        str | None,
        v.optional(to_quarter, EXPECT_QUARTER),
        Column(
            "Quartal",
            ("PI-Quartal", "Quarter"),
            f"{EXPECT_QUARTER}; muss das Quartal des Beginns sein; leer = aus dem Beginn bestimmt",
            "2025-Q2",
            db=True,
        ),
    ] = None
    start_date: Annotated[
        v.Date,
        Column("Beginn", ("Start", "von", "Startdatum"), "erster Tag des PI", "01.04.2025", db=True),
    ]
    end_date: Annotated[
        v.Date,
        Column("Ende", ("bis", "Enddatum"), "letzter Tag des PI, nach dem Beginn", "30.06.2025", db=True),
    ]
    planning_start: Annotated[
        v.OptionalDate,
        Column(
            "Planung von",
            ("Planungstermin", "PI Planning", "PI-Planung", "Planung Beginn"),
            "erster Tag der PI-Planung; leer = unbekannt",
            "18.03.2025",
            db=True,
        ),
    ] = None
    planning_end: Annotated[
        v.OptionalDate,
        Column(
            "Planung bis",
            ("Planungstermin bis", "Planung Ende"),
            "letzter Tag der PI-Planung, nicht vor ihrem Beginn",
            "19.03.2025",
            db=True,
        ),
    ] = None
    planning_place: Annotated[
        str | None,
        v.optional(*_place),
        Column(
            "Ort",
            ("Planungsort", "Ort der Planung", "Veranstaltungsort"),
            "Ort der PI-Planung (höchstens 200 Zeichen), z. B. online",
            "Expowal Hannover",
            db=True,
        ),
    ] = None
    stand: Stand = None

    @model_validator(mode="after")
    def _dates_fit(self):
        if self.end_date <= self.start_date:
            raise v.fail_in(
                "end_date",
                f"liegt nicht nach dem Beginn ({v.de_date(self.start_date)})",
                "Ende nach dem Beginn",
            )
        if self.quarter and self.quarter != quarter_of(self.start_date):
            raise v.fail_in(
                "quarter",
                f"passt nicht zum Beginn {v.de_date(self.start_date)} (Quartal {quarter_of(self.start_date)})",
                "das Quartal des Beginns oder leer (dann wird es aus dem Beginn bestimmt)",
            )
        if self.planning_start and self.planning_end and self.planning_end < self.planning_start:
            raise v.fail_in(
                "planning_end",
                f"liegt vor dem Beginn der Planung ({v.de_date(self.planning_start)})",
                "Ende der Planung am oder nach ihrem Beginn",
            )
        return self


class ProgramIncrements(Kind):
    name = "pis"
    label = "Program Increments"
    table = "program_increment"
    sheet_names = ("PIs", "Program Increments", "PI", "Daten")
    key_fields = ("number",)
    row_model = PiRow
    intro = (
        "Die Program Increments mit Zeitraum und PI-Planung; Schlüssel ist die PI-Nummer. Das Ende liegt nach dem "
        "Beginn, und kein PI überschneidet sich mit einem anderen – weder in der Datei noch mit einem gespeicherten "
        "PI. Das Quartal wird aus dem Beginn bestimmt; eine angegebene Quartalsangabe muss dazu passen, und jedes "
        "Quartal gehört zu höchstens einem PI."
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        stored = self.existing(session, ProgramIncrement, lambda o: o["number"], pk="number")
        plan = Plan()
        # The PIs after this import: stored ones, replaced by the file's rows (line None = stored, untouched).
        final: dict[int, tuple[dt.date, dt.date, str, Parsed | None]] = {
            n: (o["start_date"], o["end_date"], o["quarter"], None) for n, o in stored.items()
        }
        items = []
        for p in rows:
            r = p.row
            quarter = r.quarter or quarter_of(r.start_date)
            final[r.number] = (r.start_date, r.end_date, quarter, p)
            # The quarter is derived from the start when the column is missing or empty: it is always given.
            item = self.item(p, r.number, {"number": r.number}, quarter=quarter)
            items.append(replace(item, given=item.given | {"quarter"}))
        plan.problems += self._overlaps(final) + self._quarters(final)
        if plan.problems:
            return plan
        self.upsert(plan, ProgramIncrement, items, stored, prov, pk="number")
        return plan

    def _overlaps(self, final: dict) -> list[Problem]:
        """Sweep by start (n log n, also for a hostile file): each PI against the one reaching furthest before it."""
        out: list[Problem] = []
        reach: tuple[int, dt.date, dt.date, Parsed | None] | None = None
        for number, (start, end, _q, p) in sorted(final.items(), key=lambda kv: (kv[1][0], kv[0])):
            if reach is not None and start <= reach[2]:
                other, o_start, o_end, o_p = reach
                if p is not None:
                    out.append(self._overlap(p, "start_date", start, other, o_start, o_end, o_p))
                elif o_p is not None:
                    out.append(self._overlap(o_p, "end_date", o_end, number, start, end, None))
            if reach is None or end > reach[2]:
                reach = (number, start, end, p)
        return out

    def _overlap(self, p: Parsed, field: str, value: dt.date, other: int, start, end, other_p) -> Problem:
        where = f", Zeile {other_p.line}" if other_p is not None else ", gespeichert"
        return Problem(
            p.line,
            self.column(field).header,
            v.de_date(value),
            f"überschneidet sich mit PI {other} ({v.de_date(start)} bis {v.de_date(end)}{where})",
            "PI-Zeiträume ohne Überschneidung",
        )

    def _quarters(self, final: dict) -> list[Problem]:
        first: dict[str, tuple[int, Parsed | None]] = {}
        out = []
        for number, (_s, _e, quarter, p) in sorted(final.items()):
            if quarter not in first:
                first[quarter] = (number, p)
                continue
            other, o_p = first[quarter]
            culprit = p or o_p
            if culprit is None:
                continue
            shown = other if culprit is p else number
            if "quarter" in culprit.row.model_fields_set and culprit.row.quarter:
                column, value, reason = "quarter", quarter, f"ist schon PI {shown} zugeordnet"
            else:
                column, value = "start_date", v.de_date(culprit.row.start_date)
                reason = f"liegt im Quartal {quarter}, das schon PI {shown} zugeordnet ist"
            out.append(Problem(culprit.line, self.column(column).header, value, reason, "je Quartal höchstens ein PI"))
        return out
