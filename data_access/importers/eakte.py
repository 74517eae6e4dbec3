"""Import kind "eakte": snapshots of the eAkte rollout per authority and Stichtag."""

from __future__ import annotations

import datetime as dt
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
from data_access.models import EAKTE_STATUSES, Authority, EakteSnapshot

_code = v.text(30)
_status = v.choice(EAKTE_STATUSES, {"einführung": "in Einführung", "live": "produktiv", "in betrieb": "produktiv"})
_count = v.integer(0, None)


class EakteRow(Row):
    authority: Annotated[str, v.required(*_code)]
    mandant: Annotated[str | None, v.optional(*_code)] = None
    snapshot_date: Annotated[dt.date, v.required(v.to_date, v.EXPECT_DATE)]
    status: Annotated[str, v.required(*_status)]
    planned_go_live: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None
    go_live_date: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None
    planned_workplaces: Annotated[int | None, v.optional(*_count)] = None
    active_users: Annotated[int, v.required(*_count)]
    stand: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None


COMPARED = ("status", "planned_go_live", "go_live_date", "planned_workplaces", "active_users")
LABELS = {
    "status": "Status",
    "planned_go_live": "Geplanter Start",
    "go_live_date": "Produktivstart",
    "planned_workplaces": "Geplante Arbeitsplätze",
    "active_users": "Aktive Nutzende",
    "is_demo": "Beispieldaten",
}


class Eakte(Kind):
    name = "eakte"
    label = "eAkte-Stichtage"
    table = "eakte_snapshot"
    sheet_names = ("eAkte", "Daten")
    key_fields = ("authority", "snapshot_date")
    row_model = EakteRow
    intro = "Stand der eAkte-Einführung je Behörde und Stichtag. Schlüssel: Behörde + Stichtag."
    columns = (
        Column(
            "authority",
            "Behörde",
            ("Behördenkürzel", "Kürzel"),
            True,
            "Kürzel einer angelegten Landesbehörde (ein eAkte-Mandant ist keine Behörde: die Zuordnung Mandant → "
            "Behörde steht in den Stammdaten, Import „behoerden“)",
            "NLBV",
        ),
        Column(
            "mandant",
            "Mandant",
            ("eAkte-Mandant",),
            False,
            "eAkte-Mandant der Behörde; wird gegen die Stammdaten geprüft, nicht als Behörde gelesen",
            "MF",
        ),
        Column(
            "snapshot_date",
            "Stichtag",
            ("Datum", "Snapshot"),
            True,
            "Stichtag der Zahlen (TT.MM.JJJJ oder JJJJ-MM-TT)",
            "31.03.2025",
        ),
        Column("status", "Status", ("eAkte-Status",), True, "geplant, in Einführung oder produktiv", "produktiv"),
        Column(
            "planned_go_live",
            "Geplanter Start",
            ("Geplante Einführung", "Start geplant"),
            False,
            "geplantes Datum der Einführung",
            "01.10.2025",
        ),
        Column(
            "go_live_date",
            "Produktivstart",
            ("Einführung am", "Go-Live"),
            False,
            "Datum, seit dem die eAkte produktiv ist",
            "15.03.2021",
        ),
        Column(
            "planned_workplaces",
            "Geplante Arbeitsplätze",
            ("Arbeitsplätze geplant",),
            False,
            "ganze Zahl ab 0",
            "1.200",
        ),
        Column(
            "active_users",
            "Aktive Nutzende",
            ("Nutzende", "Nutzer", "Aktive Nutzer"),
            True,
            "ganze Zahl ab 0 (1.234 oder 1234)",
            "950",
        ),
        STAND,
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        authorities = dict(session.execute(select(Authority.code, Authority.id).order_by(Authority.code)).all())
        mandants = {c.casefold(): m for c, m in session.execute(select(Authority.code, Authority.mandant))}
        folded = {code.casefold(): code for code in authorities}
        plan = Plan()
        col = self.column("authority")
        for p in rows:
            stored = mandants.get(p.row.authority.casefold())
            if (
                p.row.mandant
                and p.row.authority.casefold() in folded
                and (stored or "").casefold() != p.row.mandant.casefold()
            ):
                plan.problems.append(
                    Problem(
                        p.line,
                        self.column("mandant").header,
                        p.row.mandant,
                        f"passt nicht zur Behörde {p.row.authority}",
                        f"den Mandanten aus den Stammdaten ({stored})"
                        if stored
                        else "zuerst den Mandanten der Behörde mit dem Import „behoerden“ hinterlegen",
                    )
                )
            if p.row.authority.casefold() not in folded:
                plan.problems.append(
                    unknown_ref(
                        p,
                        col,
                        p.row.authority,
                        "Kürzel einer angelegten Behörde",
                        sorted(authorities, key=str.casefold),
                    )
                )
        if plan.problems:
            return plan
        existing = {
            (o.authority_id, o.snapshot_date): o
            for o in session.execute(
                select(
                    EakteSnapshot.id,
                    EakteSnapshot.authority_id,
                    EakteSnapshot.snapshot_date,
                    EakteSnapshot.is_demo,
                    *[getattr(EakteSnapshot, c) for c in COMPARED],
                )
            )
        }
        inserts, updates = [], []
        for p in rows:
            r = p.row
            aid = authorities[folded[r.authority.casefold()]]
            given = r.model_fields_set
            old = existing.get((aid, r.snapshot_date))
            vals = {c: getattr(r, c) for c in COMPARED if c in given or old is None}
            key = self.key_text(r)
            if old is None:
                inserts.append({"authority_id": aid, "snapshot_date": r.snapshot_date, **vals, **prov.values(r.stand)})
                plan.changes.append(RowChange(p.line, key, "neu"))
                continue
            before = {c: getattr(old, c) for c in vals} | {"is_demo": old.is_demo}
            after = vals | {"is_demo": False}
            if before == after:
                plan.changes.append(RowChange(p.line, key, "unverändert"))
            else:
                plan.changes.append(RowChange(p.line, key, "geändert", differences(before, after, LABELS)))
                updates.append({"id": old.id, **vals, **prov.values(r.stand)})

        def write(s: Session) -> None:
            if inserts:
                bulk_insert(s, EakteSnapshot, inserts)
            if updates:
                bulk_update(s, EakteSnapshot, updates)

        plan.write = write
        return plan
