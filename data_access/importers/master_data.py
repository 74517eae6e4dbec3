"""Import kinds for the master data: "behoerden" (authorities), "teams" and "pis" (Program Increments).

Same rules as the other kinds (docs/IMPORT.md): keys compared without regard to case, a missing optional column
leaves stored values unchanged, a demo row matched by its key becomes an imported row ("geändert").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import model_validator
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
from data_access.models import Authority, Ministry, ProgramIncrement, Region, Team

GEO_HINT = "ARS aus der Gebietstabelle (Grenzen mit „python -m geo build“ laden)"


def _fold(key: str) -> str:
    """The comparison form of a key: case and runs of spaces do not matter ("PD  h" is "PD H")."""
    return " ".join(key.casefold().split())


def _date(d: dt.date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "–"


def _upsert(
    kind: Kind,
    plan: Plan,
    model,
    items: Iterable[tuple[Parsed, dict[str, Any], set[str]]],
    existing: dict[str, Any],
    labels: dict[str, str],
    prov: Provenance,
    *,
    key_field: str,
    pk: str = "id",
) -> None:
    """Plan inserts and updates for rows matched on a folded key.

    `items`: (parsed row, values of every compared column, the compared columns the file gives). A new row gets all
    values; an existing row only the given ones (a missing optional column leaves the stored value unchanged).
    """
    inserts, updates = [], []
    for p, vals, given in items:
        r = p.row
        key = getattr(r, key_field)
        old = existing.get(_fold(str(key)))
        text = kind.key_text(r)
        if old is None:
            inserts.append({key_field: key, **vals, **prov.values(r.stand)})
            plan.changes.append(RowChange(p.line, text, "neu"))
            continue
        vals = {c: x for c, x in vals.items() if c in given}
        before = {c: getattr(old, c) for c in vals} | {"is_demo": old.is_demo}
        after = vals | {"is_demo": False}
        if before == after:
            plan.changes.append(RowChange(p.line, text, "unverändert"))
            continue
        plan.changes.append(RowChange(p.line, text, "geändert", differences(before, after, labels)))
        updates.append({pk: getattr(old, pk), **vals, **prov.values(r.stand)})

    def write(s: Session) -> None:
        if inserts:
            bulk_insert(s, model, inserts)
        if updates:
            bulk_update(s, model, updates, key=pk)

    plan.write = write


def _given(row: Row, mapping: dict[str, str]) -> set[str]:
    """Database columns whose file column is present (mapping: database column → row field)."""
    return {col for col, f in mapping.items() if f in row.model_fields_set}


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
    code: Annotated[str, v.required(*_code)]
    name: Annotated[str, v.required(*_authority_name)]
    ministry: Annotated[str, v.required(*_ministry)]
    seat_ars: Annotated[str | None, v.optional(to_seat_ars, EXPECT_SEAT)] = None
    planned_workplaces: Annotated[int | None, v.optional(*_workplaces)] = None
    mandant: Annotated[str | None, v.optional(*_mandant)] = None
    in_eakte_scope: Annotated[bool, v.optional(v.to_bool, v.EXPECT_BOOL, empty=True)] = True
    stand: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None


AUTHORITY_FIELDS = {  # database column → row field
    "name": "name",
    "ministry_code": "ministry",
    "seat_ars": "seat_ars",
    "planned_workplaces": "planned_workplaces",
    "mandant": "mandant",
    "in_eakte_scope": "in_eakte_scope",
}
AUTHORITY_LABELS = {
    "name": "Name",
    "ministry_code": "Ressort",
    "seat_ars": "Sitz-ARS",
    "planned_workplaces": "Geplante Arbeitsplätze",
    "mandant": "Mandant",
    "in_eakte_scope": "im eAkte-Umfang",
    "is_demo": "Beispieldaten",
}


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
    columns = (
        Column(
            "code",
            "Kürzel",
            ("Behördenkürzel", "Behörde", "Kurzname", "Kurzbezeichnung"),
            True,
            "Kürzel der Behörde (höchstens 30 Zeichen), z. B. NLBV oder PD H",
            "NLBV",
        ),
        Column(
            "name",
            "Name",
            ("Bezeichnung", "Behördenname", "Name der Behörde"),
            True,
            "Bezeichnung der Behörde (höchstens 300 Zeichen)",
            "Niedersächsisches Landesamt für Bezüge und Versorgung",
        ),
        Column(
            "ministry",
            "Ressort",
            ("Ministerium", "Ressortkürzel", "Geschäftsbereich"),
            True,
            "Kürzel des Ressorts, zu dessen Geschäftsbereich die Behörde gehört: StK, MI, MF, MS, MK, MWK, MW, ML, "
            "MU, MJ oder MB",
            "MF",
        ),
        Column(
            "seat_ars",
            "Sitz-ARS",
            ("Sitz", "ARS Sitz", "Regionalschlüssel Sitz"),
            False,
            "Regionalschlüssel des Sitzes: Gemeinde (12 Stellen), Verwaltungsgemeinschaft (9), Kreis (5) oder Land "
            "(03); muss in der Gebietstabelle stehen. Eine von Excel entfernte führende 0 wird ergänzt. Leer = "
            "unbekannt",
            "032410001",
        ),
        Column(
            "planned_workplaces",
            "Geplante Arbeitsplätze",
            ("Arbeitsplätze geplant", "Arbeitsplätze", "eAkte-Arbeitsplätze"),
            False,
            "geplante eAkte-Arbeitsplätze der Behörde, ganze Zahl ab 0; leer = unbekannt",
            "1.200",
        ),
        Column(
            "mandant",
            "Mandant",
            ("eAkte-Mandant", "Mandantenname"),
            False,
            "eAkte-Mandant, zu dem die Behörde gehört (höchstens 100 Zeichen); mehrere Behörden können einen "
            "Mandanten teilen",
            "Mandant MF",
        ),
        Column(
            "in_eakte_scope",
            "im eAkte-Umfang",
            ("eAkte-Umfang", "eAkte", "im Umfang"),
            False,
            "ja/nein, yes/no, true/false oder x: zählt die Behörde zur eAkte-Einführung; leer = ja",
            "ja",
        ),
        STAND,
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
            vals = {col: getattr(r, f) for col, f in AUTHORITY_FIELDS.items()} | {"ministry_code": ministry}
            items.append((p, vals, _given(r, AUTHORITY_FIELDS)))
        if plan.problems:
            return plan
        existing = {
            _fold(o.code): o
            for o in session.execute(
                select(
                    Authority.id,
                    Authority.code,
                    Authority.is_demo,
                    *[getattr(Authority, c) for c in AUTHORITY_FIELDS],
                )
            )
        }
        _upsert(self, plan, Authority, items, existing, AUTHORITY_LABELS, prov, key_field="code")
        return plan


# --- Teams --------------------------------------------------------------------------------------------------------

_team_name = v.text(200)
_area = v.text(200)


class TeamRow(Row):
    name: Annotated[str, v.required(*_team_name)]
    area: Annotated[str | None, v.optional(*_area)] = None
    active_from: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None
    active_to: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None
    stand: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None


TEAM_FIELDS = {"area": "area", "active_from": "active_from", "active_to": "active_to"}
TEAM_LABELS = {"area": "ART/Bereich", "active_from": "aktiv von", "active_to": "aktiv bis", "is_demo": "Beispieldaten"}


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
    columns = (
        Column(
            "name",
            "Name",
            ("Team", "Teamname", "Team Name"),
            True,
            "Name des Teams (höchstens 200 Zeichen)",
            "Team Portalverbund",
        ),
        Column(
            "area",
            "ART/Bereich",
            ("ART", "Bereich", "Agile Release Train", "Release Train"),
            False,
            "Agile Release Train oder Bereich des Programms (höchstens 200 Zeichen); leer = keiner",
            "ART Onlinedienste",
        ),
        Column(
            "active_from",
            "aktiv von",
            ("aktiv seit", "Beginn", "Start", "von"),
            False,
            "Datum, ab dem das Team arbeitet; leer = unbekannt",
            "01.01.2021",
        ),
        Column(
            "active_to",
            "aktiv bis",
            ("Ende", "bis", "aufgelöst am"),
            False,
            "letzter Tag des Teams, nicht vor „aktiv von“; leer = weiterhin aktiv",
            "31.12.2026",
        ),
        STAND,
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        existing = {
            _fold(o.name): o
            for o in session.execute(select(Team.id, Team.name, Team.is_demo, *[getattr(Team, c) for c in TEAM_FIELDS]))
        }
        plan = Plan()
        items = []
        for p in rows:
            r = p.row
            given = _given(r, TEAM_FIELDS)
            old = existing.get(_fold(r.name))
            start = r.active_from if "active_from" in given or old is None else old.active_from
            end = r.active_to if "active_to" in given or old is None else old.active_to
            if start and end and end < start:
                if "active_to" in given:
                    note = "" if "active_from" in given else ", gespeicherter Wert"
                    field, value, reason = "active_to", end, f"liegt vor „aktiv von“ ({_date(start)}{note})"
                else:
                    field, value, reason = (
                        "active_from",
                        start,
                        f"liegt nach „aktiv bis“ ({_date(end)}, gespeicherter Wert)",
                    )
                plan.problems.append(
                    Problem(
                        p.line, self.column(field).header, _date(value), reason, "„aktiv bis“ am oder nach „aktiv von“"
                    )
                )
            items.append((p, {c: getattr(r, f) for c, f in TEAM_FIELDS.items()}, given))
        if plan.problems:
            return plan
        _upsert(self, plan, Team, items, existing, TEAM_LABELS, prov, key_field="name")
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


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


_place = v.text(200)


class PiRow(Row):
    number: Annotated[int, v.required(to_pi_number, EXPECT_PI_NUMBER)]
    quarter: Annotated[str | None, v.optional(to_quarter, EXPECT_QUARTER)] = None
    start_date: Annotated[dt.date, v.required(v.to_date, v.EXPECT_DATE)]
    end_date: Annotated[dt.date, v.required(v.to_date, v.EXPECT_DATE)]
    planning_start: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None
    planning_end: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None
    planning_place: Annotated[str | None, v.optional(*_place)] = None
    stand: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None

    @model_validator(mode="after")
    def _dates_fit(self):
        if self.end_date <= self.start_date:
            raise v.fail_in(
                "end_date",
                f"liegt nicht nach dem Beginn ({_date(self.start_date)})",
                "Ende nach dem Beginn",
            )
        if self.quarter and self.quarter != quarter_of(self.start_date):
            raise v.fail_in(
                "quarter",
                f"passt nicht zum Beginn {_date(self.start_date)} (Quartal {quarter_of(self.start_date)})",
                "das Quartal des Beginns oder leer (dann wird es aus dem Beginn bestimmt)",
            )
        if self.planning_start and self.planning_end and self.planning_end < self.planning_start:
            raise v.fail_in(
                "planning_end",
                f"liegt vor dem Beginn der Planung ({_date(self.planning_start)})",
                "Ende der Planung am oder nach ihrem Beginn",
            )
        return self


PI_FIELDS = {
    "quarter": "start_date",  # derived from the start when the column is missing or empty
    "start_date": "start_date",
    "end_date": "end_date",
    "planning_start": "planning_start",
    "planning_end": "planning_end",
    "planning_place": "planning_place",
}
PI_LABELS = {
    "quarter": "Quartal",
    "start_date": "Beginn",
    "end_date": "Ende",
    "planning_start": "Planung von",
    "planning_end": "Planung bis",
    "planning_place": "Ort",
    "is_demo": "Beispieldaten",
}


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
    columns = (
        Column(
            "number",
            "Nummer",
            ("PI", "PI-Nummer", "PI Nummer", "Program Increment"),
            True,
            EXPECT_PI_NUMBER,
            "18",
        ),
        Column(
            "quarter",
            "Quartal",
            ("PI-Quartal", "Quarter"),
            False,
            f"{EXPECT_QUARTER}; muss das Quartal des Beginns sein; leer = aus dem Beginn bestimmt",
            "2025-Q2",
        ),
        Column("start_date", "Beginn", ("Start", "von", "Startdatum"), True, "erster Tag des PI", "01.04.2025"),
        Column("end_date", "Ende", ("bis", "Enddatum"), True, "letzter Tag des PI, nach dem Beginn", "30.06.2025"),
        Column(
            "planning_start",
            "Planung von",
            ("Planungstermin", "PI Planning", "PI-Planung", "Planung Beginn"),
            False,
            "erster Tag der PI-Planung; leer = unbekannt",
            "18.03.2025",
        ),
        Column(
            "planning_end",
            "Planung bis",
            ("Planungstermin bis", "Planung Ende"),
            False,
            "letzter Tag der PI-Planung, nicht vor ihrem Beginn",
            "19.03.2025",
        ),
        Column(
            "planning_place",
            "Ort",
            ("Planungsort", "Ort der Planung", "Veranstaltungsort"),
            False,
            "Ort der PI-Planung (höchstens 200 Zeichen), z. B. online",
            "Expowal Hannover",
        ),
        STAND,
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        stored = {
            o.number: o
            for o in session.execute(
                select(
                    ProgramIncrement.number,
                    ProgramIncrement.is_demo,
                    *[getattr(ProgramIncrement, c) for c in PI_FIELDS],
                )
            )
        }
        plan = Plan()
        # The PIs after this import: stored ones, replaced by the file's rows (line None = stored, untouched).
        final: dict[int, tuple[dt.date, dt.date, str, Parsed | None]] = {
            n: (o.start_date, o.end_date, o.quarter, None) for n, o in stored.items()
        }
        items = []
        for p in rows:
            r = p.row
            quarter = r.quarter or quarter_of(r.start_date)
            final[r.number] = (r.start_date, r.end_date, quarter, p)
            vals = {c: getattr(r, f) for c, f in PI_FIELDS.items()} | {"quarter": quarter}
            items.append((p, vals, _given(r, PI_FIELDS)))
        plan.problems += self._overlaps(final) + self._quarters(final)
        if plan.problems:
            return plan
        existing = {str(n): o for n, o in stored.items()}
        _upsert(self, plan, ProgramIncrement, items, existing, PI_LABELS, prov, key_field="number", pk="number")
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
            _date(value),
            f"überschneidet sich mit PI {other} ({_date(start)} bis {_date(end)}{where})",
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
                column, value = "start_date", _date(culprit.row.start_date)
                reason = f"liegt im Quartal {quarter}, das schon PI {shown} zugeordnet ist"
            out.append(Problem(culprit.line, self.column(column).header, value, reason, "je Quartal höchstens ein PI"))
        return out
