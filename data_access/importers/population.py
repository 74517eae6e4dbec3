"""Import kind "einwohner": population and area per Gemeinde from the Destatis Gemeindeverzeichnis (GV-ISys).

Two layouts are read:

- the GV-ISys "Auszug" workbook as Destatis publishes it (sheet "Onlineprodukt_Gemeinden<TTMMJJJJ>"): title rows
  ("Alle politisch selbständigen Gemeinden mit ausgewählten Merkmalen am 31.12.2023 (4. Quartal)"), a header over
  several rows (Satzart, Textkennzeichen, ARS parts Land/RB/Kreis/VB/Gem under "Amtlicher Regionalschlüssel",
  Gemeindename, Fläche km², Bevölkerung insgesamt/männlich/weiblich/je km², Postleitzahl, coordinates …) and one row
  per Land (Satzart 10), Regierungsbezirk (20), Kreis (40), Gemeindeverband (50) and Gemeinde (60) of Germany;
- the simple template ARS;Name;Einwohner;Fläche km²;Stand with 12-digit Gemeinde keys.

Only Niedersachsen (Land 03) is used: Gemeinde rows set the GEM units, a Kreis row with a population sets its KRS.
Verwaltungsgemeinschaften (and Kreise without a population row) get the sum of their Gemeinden when the file holds
every Gemeinde of the unit; otherwise they are left unchanged and the preview says why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from typing import Annotated, Any

from pydantic import model_validator
from pydantic_core import PydanticCustomError
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
    Upsert,
    differences,
)
from data_access.importers.reading import Table
from data_access.models import Region
from formatting import num

SOURCE = "Destatis Gemeindeverzeichnis"
SUM_NOTE = " (Summe der Gemeinden)"
LAND = "03"
# ARS parts of the Gemeindeverzeichnis and their widths: Land(2) RB(1) Kreis(2) VB(4) Gem(3) = 12 digits.
PARTS = (("land", 2), ("rb", 1), ("kreis", 2), ("vb", 4), ("gem", 3))
PARTS_LABEL = "ARS (Land, RB, Kreis, VB, Gem)"
GEMEINDE, KREIS = "60", "40"  # Satzart of the rows used
EXPECT_GEM_ARS = (
    "12-stelliger Regionalschlüssel (ARS) einer Gemeinde Niedersachsens, z. B. 031510009009 "
    "(Land 03, RB, Kreis, Verwaltungsgemeinschaft, Gemeinde)"
)
EXPECT_POPULATION = "ganze Zahl ab 0 (Einwohner insgesamt; „-“ = nichts vorhanden)"
_population = v.integer(0, None)
_area = v.decimal(0, 100_000, 2)
_name = v.text(200)
# "… am 31.12.2023 (4. Quartal)" or "Stand: 31.12.2023" in the title rows; "Onlineprodukt_Gemeinden31122023".
_TITLE_DATE = re.compile(r"(?:\bam|\bStand:?|\bzum|\bvom)\s+([0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4})", re.IGNORECASE)
_SHEET_DATE = re.compile(r"_?([0-9]{2})([0-9]{2})([0-9]{4})$")


def to_gem_ars(value: Any) -> str:
    """12-digit Gemeinde key; Excel's dropped leading zero is put back ("31510009009")."""
    s = v.as_text(value).replace(" ", "")
    if not re.fullmatch(r"[0-9]+", s):
        raise v.fail("ist kein Regionalschlüssel (nur Ziffern)", EXPECT_GEM_ARS)
    if len(s) == 11 and s.startswith("3"):
        s = "0" + s
    if len(s) == 8:
        raise v.fail("ist ein 8-stelliger Gemeindeschlüssel (AGS); gebraucht wird der 12-stellige ARS", EXPECT_GEM_ARS)
    if len(s) != 12:
        raise v.fail(f"hat {len(s)} Stellen", EXPECT_GEM_ARS)
    if not s.startswith(LAND):
        raise v.fail("liegt nicht in Niedersachsen (Schlüssel beginnt nicht mit 03)", EXPECT_GEM_ARS)
    return s


def to_population(value: Any) -> int:
    # Destatis writes "-" for "nichts vorhanden" (exactly zero), e.g. for an uninhabited gemeindefreies Gebiet.
    if isinstance(value, str) and value.strip() in ("-", "–"):
        return 0
    return _population[0](value)


def _part(value: Any, width: int, field: str) -> str:
    s = v.as_text(value).replace(" ", "")
    expected = f"{width} Ziffer{'n' if width > 1 else ''}"
    if not re.fullmatch(r"[0-9]+", s):
        raise v.fail_in(field, "ist keine Schlüsselziffer (nur Ziffern)", expected)
    if len(s) > width:
        raise v.fail_in(field, f"hat {len(s)} Stellen", expected)
    return s.zfill(width)  # Excel stores "03" as 3


class PopulationRow(Row):
    satzart: Annotated[
        str | None,
        Column(
            "Satzart",
            (),
            "Nur Gemeindeverzeichnis: 60 = Gemeinde, 40 = Kreis (wird verwendet); 10, 20, 50 und Zeilen anderer "
            "Länder werden übersprungen",
            "60",
        ),
    ] = None
    # The five ARS parts of the Gemeindeverzeichnis: read by _compose_ars, kept as given.
    land: Annotated[Any, Column("Land", (), "Nur Gemeindeverzeichnis: Länderschlüssel, 2 Ziffern (03)", "03")] = None
    rb: Annotated[
        Any, Column("RB", ("Regierungsbezirk",), "Nur Gemeindeverzeichnis: Regierungsbezirk, 1 Ziffer", "1")
    ] = None
    kreis: Annotated[Any, Column("Kreis", (), "Nur Gemeindeverzeichnis: Kreis, 2 Ziffern", "51")] = None
    vb: Annotated[
        Any,
        Column(
            "VB",
            ("Gemeindeverband", "Verwaltungsbezirk"),
            "Nur Gemeindeverzeichnis: Gemeindeverband (Samt- oder Einheitsgemeinde), 4 Ziffern",
            "0009",
        ),
    ] = None
    gem: Annotated[
        Any, Column("Gem", ("Gemeindekennziffer",), "Nur Gemeindeverzeichnis: Gemeinde, 3 Ziffern", "009")
    ] = None
    ars: Annotated[
        str,  # checked and composed by _compose_ars
        Column(
            "ARS",
            ("Regionalschlüssel", "Amtlicher Regionalschlüssel", "Gemeinde-ARS"),
            "Vorlage: 12-stelliger Regionalschlüssel der Gemeinde; Pflicht, wenn die Spalten Land bis Gem fehlen. "
            "Eine von Excel entfernte führende 0 wird ergänzt.",
            "031510009009",
            required=False,
            text=True,
        ),
    ]
    name: Annotated[
        str | None,
        v.optional(*_name),
        Column("Name", ("Gemeindename", "Gemeinde"), "Name der Gemeinde (nur zur Kontrolle)", "Gifhorn"),
    ] = None
    population: Annotated[
        int | None,
        v.optional(to_population, EXPECT_POPULATION),
        Column(
            "Einwohner",
            ("Bevölkerung insgesamt", "Einwohner insgesamt", "Bevölkerung", "Einwohnerzahl", "EWZ"),
            "Einwohner insgesamt, ganze Zahl ab 0; Pflicht je Gemeinde; „-“ bedeutet nichts vorhanden (0)",
            "12.345",
            required=True,
            db=True,
        ),
    ] = None
    area_km2: Annotated[
        Decimal | None,
        v.optional(*_area),
        Column(
            "Fläche km²",
            ("Fläche", "Fläche in km²", "Fläche km2"),
            "Fläche in km² mit höchstens 2 Nachkommastellen; fehlt die Spalte, bleibt die Fläche unverändert",
            "105,67",
            db=True,
        ),
    ] = None
    stand: Annotated[
        v.OptionalDate,
        Column(
            "Stand",
            ("Stichtag", "Datenstand", "as of"),
            "Stichtag der Einwohnerzahl; fehlt er, gilt das Datum aus dem Titel des Gemeindeverzeichnisses "
            "(„… am 31.12.2023“) oder aus dem Blattnamen („Onlineprodukt_Gemeinden31122023“). Eine Datei hat einen "
            "Stand.",
            "31.12.2023",
            db="population_as_of",
        ),
    ] = None
    level: str = "GEM"
    from_parts: bool = False
    area_given: bool = True  # False when the file has no area column: areas then stay as they are

    @model_validator(mode="before")
    @classmethod
    def _compose_ars(cls, data: Any) -> Any:
        """The 12-digit key: from the ARS column, or (GV-ISys) from its five parts; a Kreis row has only Land, RB
        and Kreis and gives the 5-digit Kreis key."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if not any(f in data for f, _ in PARTS):
            raw = data.get("ars")
            if v.is_empty(raw):
                raise v.fail_in("ars", "Pflichtangabe fehlt", EXPECT_GEM_ARS)
            try:
                data["ars"] = to_gem_ars(raw)
            except PydanticCustomError as exc:
                raise v.fail_in("ars", exc.context["reason"], exc.context["expected"]) from None
            return data
        kreis_row = v.as_text(data.get("satzart") or "") == KREIS
        digits = []
        for f, width in PARTS:
            raw = data.get(f)
            if v.is_empty(raw):
                if kreis_row and f in ("vb", "gem"):
                    continue
                raise v.fail_in(f, "Pflichtangabe fehlt", f"{width} Ziffer{'n' if width > 1 else ''}")
            digits.append(_part(raw, width, f))
        data["ars"] = "".join(digits)[:5] if kreis_row else "".join(digits)
        data["level"] = "KRS" if kreis_row else "GEM"
        data["from_parts"] = True
        return data

    @model_validator(mode="after")
    def _population_given(self):
        if self.level == "GEM" and self.population is None:
            raise v.fail_in("population", "Pflichtangabe fehlt", EXPECT_POPULATION)
        return self


class Population(Kind):
    name = "einwohner"
    label = "Einwohnerzahlen"
    table = "region"
    sheet_names = ("Einwohner", "Onlineprodukt_Gemeinden*", "Gemeindedaten", "Daten")
    header_rows = 4
    key_fields = ("ars",)
    row_model = PopulationRow
    template_fields = ("ars", "name", "population", "area_km2", "stand")
    intro = (
        "Einwohner und Fläche je Gemeinde aus dem Gemeindeverzeichnis (GV-ISys) des Statistischen Bundesamts: die "
        "Excel-Datei „Auszug“ (Blatt „Onlineprodukt_Gemeinden…“, wie Destatis sie veröffentlicht) oder die Vorlage "
        "ARS;Name;Einwohner;Fläche km²;Stand. Schlüssel: 12-stelliger ARS (im Gemeindeverzeichnis aus Land, RB, Kreis, "
        "VB und Gem zusammengesetzt). Verwendet werden nur Zeilen Niedersachsens (Land 03) der Satzart 60 (Gemeinde) "
        "und 40 (Kreis); alle anderen Zeilen werden übersprungen. Jede Gemeinde muss in der Gebietstabelle stehen, "
        "sonst wird die Datei abgelehnt (Gebietsstand der Grenzen und der Einwohnerzahlen müssen zusammenpassen). "
        "Quelle wird „Destatis Gemeindeverzeichnis, Stand TT.MM.JJJJ“. Verwaltungsgemeinschaften erhalten die Summe "
        "ihrer Gemeinden, Kreise die Zahl ihrer Kreiszeile oder, wenn die Datei keine hat, ebenfalls die Summe – "
        "jeweils nur, wenn die Datei alle Gemeinden der Einheit enthält (sonst bleibt der Wert unverändert und die "
        "Vorschau nennt den Grund); Quelle dann mit dem Zusatz „(Summe der Gemeinden)“."
    )

    def parse(self, table: Table) -> tuple[list[Parsed], list[Problem], list[str]]:
        index = {}
        for i, header in enumerate(table.headers):
            col = self.column_for(header, table.header_parts[i] if i < len(table.header_parts) else "")
            if col is not None:
                index.setdefault(col.field, i)
        has_parts = all(f in index for f, _ in PARTS)
        if not has_parts and "ars" not in index:
            missing = ", ".join(self.column(f).header for f, _ in PARTS if f not in index)
            return (
                [],
                [
                    Problem(
                        None,
                        None,
                        None,
                        "Pflichtspalte „ARS“ fehlt (oder die Spalten Land, RB, Kreis, VB und Gem des "
                        f"Gemeindeverzeichnisses; es fehlen {missing}). Gefundene Spalten: "
                        + (", ".join(f"„{h}“" for h in table.headers if h)[:1000] or "keine"),
                    )
                ],
                [],
            )
        skipped = 0
        if "satzart" in index and has_parts:
            keep_rows, keep_lines = [], []
            si, li = index["satzart"], index["land"]
            for rec, line in zip(table.rows, table.line_numbers, strict=True):
                satzart = v.as_text(rec[si]) if si < len(rec) and rec[si] is not None else ""
                land = v.as_text(rec[li]).zfill(2) if li < len(rec) and rec[li] is not None else ""
                if satzart in (GEMEINDE, KREIS) and land == LAND:
                    keep_rows.append(rec)
                    keep_lines.append(line)
                else:
                    skipped += 1
            if not keep_rows:
                return (
                    [],
                    [
                        Problem(
                            None,
                            None,
                            None,
                            "Die Datei enthält keine Gemeindezeilen Niedersachsens (Satzart 60, Land 03).",
                        )
                    ],
                    [],
                )
            table = Table(
                table.headers,
                keep_rows,
                keep_lines,
                table.file_format,
                preamble=table.preamble,
                sheet=table.sheet,
                header_parts=table.header_parts,
            )
        rows, problems, notes = super().parse(table)
        if skipped:
            count = num(skipped)
            notes.append(f"{count} Zeilen anderer Länder oder Ebenen (Satzart 10, 20, 50) übersprungen.")
        stand = file_stand(table)
        if rows and not any(p.row.stand for p in rows) and stand is None:
            problems.append(
                Problem(
                    None,
                    "Stand",
                    None,
                    "fehlt: weder eine Spalte „Stand“ noch ein Datum im Titel („… am 31.12.2023“) oder im Blattnamen",
                    "den Stichtag der Einwohnerzahlen in der Spalte „Stand“ (TT.MM.JJJJ)",
                )
            )
            return rows, problems, notes
        first: tuple[int, dt.date] | None = None
        out = []
        area_given = "area_km2" in index
        for p in rows:
            r = p.row.model_copy(update={"stand": p.row.stand or stand, "area_given": area_given})
            if r.stand is None:
                problems.append(Problem(p.line, "Stand", None, "Pflichtangabe fehlt", "TT.MM.JJJJ"))
                continue
            if first is None:
                first = (p.line, r.stand)
            elif r.stand != first[1]:
                problems.append(
                    Problem(
                        p.line,
                        "Stand",
                        v.de_date(r.stand),
                        f"weicht vom Stand in Zeile {first[0]} ({first[1]:%d.%m.%Y}) ab",
                        "einen Stand für die ganze Datei",
                    )
                )
            out.append(Parsed(p.line, r))
        if stand and first:
            notes.append(f"Stand der Einwohnerzahlen: {first[1]:%d.%m.%Y}.")
        return out, problems, notes

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        area_given = all(p.row.area_given for p in rows)
        stmt = select(
            Region.ars,
            Region.name,
            Region.level,
            Region.parent_ars,
            Region.kreis_ars,
            Region.population,
            Region.population_source,
            Region.population_as_of,
            Region.area_km2,
        )
        regions = {r.ars: r for r in session.execute(stmt)}
        plan = Plan()
        gem_children: dict[str, list[str]] = defaultdict(list)
        krs_children: dict[str, list[str]] = defaultdict(list)
        for r in regions.values():
            if r.level == "GEM":
                gem_children[r.parent_ars].append(r.ars)
                krs_children[r.kreis_ars].append(r.ars)
        for p in rows:
            r = p.row
            region = regions.get(r.ars)
            if region is None or region.level != r.level:
                what = "Gemeinde (GEM)" if r.level == "GEM" else "Kreis (KRS)"
                found = f" (ist dort Ebene {region.level})" if region is not None else ""
                plan.problems.append(
                    Problem(
                        p.line,
                        PARTS_LABEL if r.from_parts else self.column("ars").header,
                        r.ars,
                        f"ist keine bekannte {what} der Gebietstabelle{found}",
                        "ein Schlüssel aus der Gebietstabelle (Grenzen mit „python -m geo build“ laden); Grenzen und "
                        "Einwohnerzahlen müssen zum selben Gebietsstand passen",
                    )
                )
        if plan.problems:
            return plan

        new: dict[str, dict] = {}
        lines: dict[str, int] = {}
        stand = rows[0].row.stand if rows else None
        source = f"{SOURCE}, Stand {stand:%d.%m.%Y}" if stand else SOURCE
        for p in rows:
            r = p.row
            if r.level == "KRS" and r.population is None:
                continue  # a Kreis row without a figure: the Kreis gets the sum of its Gemeinden below
            values = {"population": r.population, "population_source": source, "population_as_of": r.stand}
            if area_given:
                values["area_km2"] = r.area_km2
            new[r.ars] = values
            lines[r.ars] = p.line
        gem_new = {a: x for a, x in new.items() if len(a) == 12}

        def summed(children: list[str]) -> dict | None:
            if not children or any(c not in gem_new for c in children):
                return None
            values = {
                "population": sum(gem_new[c]["population"] for c in children),
                "population_source": source + SUM_NOTE,
                "population_as_of": stand,
            }
            if area_given:
                areas = [gem_new[c]["area_km2"] for c in children]
                values["area_km2"] = None if any(a is None for a in areas) else sum(areas, Decimal("0"))
            return values

        derived: dict[str, dict] = {}
        incomplete: list[str] = []
        touched_vwg = sorted({regions[a].parent_ars for a in gem_new})
        touched_krs = sorted({regions[a].kreis_ars for a in gem_new})
        for unit, children in [(u, gem_children[u]) for u in touched_vwg] + [
            (k, krs_children[k]) for k in touched_krs if k not in new
        ]:
            values = summed(children)
            if values is None:
                missing = sum(1 for c in children if c not in gem_new)
                incomplete.append(f"{regions[unit].name} ({unit}): {missing} von {len(children)} Gemeinden fehlen")
            else:
                derived[unit] = values
                lines[unit] = max(lines[c] for c in children)
        if incomplete:
            plan.notes = [
                "Nicht summiert (bleibt unverändert), weil die Datei nicht alle Gemeinden enthält: "
                + "; ".join(incomplete[:20])
                + (f" … ({len(incomplete)} Einheiten)" if len(incomplete) > 20 else "")
            ]

        labels = self.labels() | {"population_source": "Quelle"}  # the source has no column: it is written here
        updates = []
        for ars, values in [*new.items(), *derived.items()]:
            old = regions[ars]._asdict()
            key = ars + (SUM_NOTE if ars in derived else "")
            if all(old[k] == x for k, x in values.items()):
                if ars not in derived:  # sums are reported only when they change something
                    plan.changes.append(RowChange(lines[ars], key, "unverändert"))
                continue
            action = "neu" if old["population"] is None else "geändert"
            plan.changes.append(RowChange(lines[ars], key, action, differences(old, values, labels)))
            updates.append({"ars": ars, **values})
        plan.changes.sort(key=lambda c: (c.row, c.key))

        plan.write = Upsert(Region, "ars", updates=updates).write
        return plan


def file_stand(table: Table) -> dt.date | None:
    """The Stand written in the title rows ("… am 31.12.2023 (4. Quartal)") or the sheet name (…31122023)."""
    if m := _TITLE_DATE.search(table.preamble):
        try:
            return v.to_date(m[1])
        except Exception:
            return None
    if table.sheet and (m := _SHEET_DATE.search(table.sheet)):
        try:
            return v.in_date_range(dt.date(int(m[3]), int(m[2]), int(m[1])))
        except Exception:
            return None
    return None


__all__ = ["Population"]
