"""Import kind "eakte": snapshots of the eAkte rollout per authority and Stichtag."""

from __future__ import annotations

from typing import Annotated

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.importers import values as v
from data_access.importers.base import Column, Kind, Parsed, Plan, Problem, Provenance, Row, Stand, unknown_ref
from data_access.models import EAKTE_STATUSES, Authority, EakteSnapshot

_code = v.text(30)
_status = v.choice(EAKTE_STATUSES, {"einführung": "in Einführung", "live": "produktiv", "in betrieb": "produktiv"})
_count = v.integer(0, None)


class EakteRow(Row):
    authority: Annotated[
        str,
        v.required(*_code),
        Column(
            "Behörde",
            ("Behördenkürzel", "Kürzel"),
            "Kürzel einer angelegten Landesbehörde (ein eAkte-Mandant ist keine Behörde: die Zuordnung Mandant → "
            "Behörde steht in den Stammdaten, Import „behoerden“)",
            "NLBV",
            text=True,
        ),
    ]
    mandant: Annotated[
        str | None,
        v.optional(*_code),
        Column(
            "Mandant",
            ("eAkte-Mandant",),
            "eAkte-Mandant der Behörde; wird gegen die Stammdaten geprüft, nicht als Behörde gelesen",
            "MF",
        ),
    ] = None
    snapshot_date: Annotated[
        v.Date,
        Column("Stichtag", ("Datum", "Snapshot"), "Stichtag der Zahlen (TT.MM.JJJJ oder JJJJ-MM-TT)", "31.03.2025"),
    ]
    status: Annotated[
        str,
        v.required(*_status),
        Column("Status", ("eAkte-Status",), "geplant, in Einführung oder produktiv", "produktiv", db=True),
    ]
    planned_go_live: Annotated[
        v.OptionalDate,
        Column(
            "Geplanter Start",
            ("Geplante Einführung", "Start geplant"),
            "geplantes Datum der Einführung",
            "01.10.2025",
            db=True,
        ),
    ] = None
    go_live_date: Annotated[
        v.OptionalDate,
        Column(
            "Produktivstart",
            ("Einführung am", "Go-Live"),
            "Datum, seit dem die eAkte produktiv ist",
            "15.03.2021",
            db=True,
        ),
    ] = None
    planned_workplaces: Annotated[
        int | None,
        v.optional(*_count),
        Column("Geplante Arbeitsplätze", ("Arbeitsplätze geplant",), "ganze Zahl ab 0", "1.200", db=True),
    ] = None
    active_users: Annotated[
        int,
        v.required(*_count),
        Column(
            "Aktive Nutzende",
            ("Nutzende", "Nutzer", "Aktive Nutzer"),
            "ganze Zahl ab 0 (1.234 oder 1234)",
            "950",
            db=True,
        ),
    ]
    stand: Stand = None


class Eakte(Kind):
    name = "eakte"
    label = "eAkte-Stichtage"
    table = "eakte_snapshot"
    sheet_names = ("eAkte", "Daten")
    key_fields = ("authority", "snapshot_date")
    row_model = EakteRow
    intro = "Stand der eAkte-Einführung je Behörde und Stichtag. Schlüssel: Behörde + Stichtag."

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
        existing = self.existing(
            session,
            EakteSnapshot,
            lambda o: (o["authority_id"], o["snapshot_date"]),
            keys=["authority_id", "snapshot_date"],
        )
        items = []
        for p in rows:
            keys = {
                "authority_id": authorities[folded[p.row.authority.casefold()]],
                "snapshot_date": p.row.snapshot_date,
            }
            items.append(self.item(p, tuple(keys.values()), keys))
        self.upsert(plan, EakteSnapshot, items, existing, prov)
        return plan
