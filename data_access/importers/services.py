"""Import kind "onlinedienste": the catalogue of online services with their LeiKa keys."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import model_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data_access.importers import values as v
from data_access.importers.base import (
    Column,
    Kind,
    Parsed,
    Plan,
    Provenance,
    Row,
    RowChange,
    bulk_insert,
    bulk_update,
    differences,
)
from data_access.models import RESPONSIBLE_LEVELS, SERVICE_MODELS, THEMENFELDER, OnlineService, ServiceLeika

EXPECT_SERVICE_KEY = "1–40 Zeichen aus Buchstaben, Ziffern, Punkt, Unterstrich oder Bindestrich"
SERVICE_KEY = v.pattern(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,39}", EXPECT_SERVICE_KEY)
MATURITY_MODELS = ("1.x", "2.0")
STAND = Column(
    "stand",
    "Stand",
    ("as of", "Datenstand"),
    False,
    "Datum, auf das sich die Zeile bezieht; fehlt es, gilt das Importdatum",
    "18.03.2025",
)

_name = v.text(300)
_model = v.choice(SERVICE_MODELS, {"einer für alle": "EfA", "wir für uns": "WfU"})
_field = v.choice(THEMENFELDER)
_level = v.choice(RESPONSIBLE_LEVELS)
_maturity = v.integer(0, 7)
_mmodel = v.choice(MATURITY_MODELS, {"1": "1.x", "1.0": "1.x", "1,0": "1.x", "2": "2.0", "2,0": "2.0"})


class ServiceRow(Row):
    service_key: Annotated[str, v.required(SERVICE_KEY, EXPECT_SERVICE_KEY)]
    name: Annotated[str, v.required(*_name)]
    model: Annotated[str, v.required(*_model)]
    themenfeld: Annotated[str, v.required(*_field)]
    is_focus: Annotated[bool, v.optional(v.to_bool, v.EXPECT_BOOL, empty=False)] = False
    responsible_level: Annotated[str, v.required(*_level)]
    maturity_level: Annotated[int | None, v.optional(*_maturity)] = None
    maturity_model: Annotated[str | None, v.optional(*_mmodel)] = None
    leika_keys: Annotated[tuple[str, ...], v.optional(v.to_leika_keys, v.EXPECT_LEIKA, empty=())] = ()
    stand: Annotated[dt.date | None, v.optional(v.to_date, v.EXPECT_DATE)] = None

    @model_validator(mode="after")
    def _maturity_fits_model(self):
        if self.maturity_level is not None and self.maturity_model is None:
            raise v.fail_in(
                "maturity_model", "fehlt, obwohl ein Reifegrad angegeben ist", "1.x (Stufen 0–4) oder 2.0 (Stufen 0–7)"
            )
        if self.maturity_model == "1.x" and (self.maturity_level or 0) > 4:
            raise v.fail_in("maturity_level", "passt nicht zum Reifegradmodell 1.x", "Stufe 0–4 im Modell 1.x")
        return self


COMPARED = ("name", "model", "themenfeld", "is_focus", "responsible_level", "maturity_level", "maturity_model")
LABELS = {
    "name": "Name",
    "model": "Modell",
    "themenfeld": "Themenfeld",
    "is_focus": "Fokusleistung",
    "responsible_level": "Zuständigkeit",
    "maturity_level": "Reifegrad",
    "maturity_model": "Reifegradmodell",
    "leika_keys": "LeiKa",
    "is_demo": "Beispieldaten",
}


class Services(Kind):
    name = "onlinedienste"
    label = "Onlinedienste"
    table = "online_service"
    sheet_names = ("Onlinedienste", "Daten")
    key_fields = ("service_key",)
    row_model = ServiceRow
    intro = "Katalog der Onlinedienste; Schlüssel ist der Dienst-Schlüssel. Fehlende optionale Spalten lassen vorhandene Werte unverändert."
    columns = (
        Column(
            "service_key",
            "Dienst-Schlüssel",
            ("Schlüssel", "Dienstschlüssel", "Key", "ID"),
            True,
            f"Eindeutiger Schlüssel des Onlinedienstes ({EXPECT_SERVICE_KEY})",
            "NI-ELTERNGELD",
        ),
        Column(
            "name",
            "Name",
            ("Bezeichnung", "Onlinedienst", "Titel"),
            True,
            "Bezeichnung des Onlinedienstes (höchstens 300 Zeichen)",
            "Elterngeld digital",
        ),
        Column("model", "Modell", ("Nachnutzungsmodell", "Typ"), True, "EfA, WfU, Kommune oder Land", "EfA"),
        Column(
            "themenfeld",
            "Themenfeld",
            ("OZG-Themenfeld",),
            True,
            "Eines der 14 OZG-Themenfelder, z. B. „Familie & Kind“ („und“ statt „&“ geht auch)",
            "Familie & Kind",
        ),
        Column(
            "is_focus", "Fokusleistung", ("Fokus",), False, "ja/nein (auch yes/no, true/false, x); leer = nein", "ja"
        ),
        Column(
            "responsible_level",
            "Zuständigkeit",
            ("Ebene", "Zuständige Ebene"),
            True,
            "Land, Kreis oder Gemeinde",
            "Kreis",
        ),
        Column(
            "maturity_level",
            "Reifegrad",
            ("Reifegradstufe",),
            False,
            "OZG-Reifegrad: 0–4 im Modell 1.x, 0–7 im Modell 2.0; leer = unbekannt",
            "3",
        ),
        Column(
            "maturity_model",
            "Reifegradmodell",
            ("Modellversion",),
            False,
            "1.x oder 2.0; Pflicht, wenn ein Reifegrad angegeben ist",
            "1.x",
        ),
        Column(
            "leika_keys",
            "LeiKa-Schlüssel",
            ("LeiKa", "Leistungsschlüssel"),
            False,
            "14-stellige LeiKa-Schlüssel, mehrere durch Komma getrennt",
            "99123456789012",
        ),
        STAND,
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        existing = {  # keys are compared without regard to case (docs/IMPORT.md): "demo-0001" is "DEMO-0001"
            r.service_key.casefold(): r
            for r in session.execute(
                select(
                    OnlineService.id,
                    OnlineService.service_key,
                    OnlineService.is_demo,
                    *[getattr(OnlineService, c) for c in COMPARED],
                )
            )
        }
        leika: dict[int, tuple[str, ...]] = {}
        for sid, key in session.execute(
            select(ServiceLeika.service_id, ServiceLeika.leika_key).order_by(ServiceLeika.leika_key)
        ):
            leika[sid] = (*leika.get(sid, ()), key)
        plan = Plan()
        inserts, updates, leika_new, leika_replace = [], [], {}, {}
        for p in rows:
            r, given = p.row, p.row.model_fields_set
            key = r.service_key
            old = existing.get(key.casefold())
            vals = {c: getattr(r, c) for c in COMPARED if c in given or old is None}
            if old is None:
                inserts.append({"service_key": key, **vals, **prov.values(r.stand)})
                leika_new[key] = r.leika_keys
                plan.changes.append(RowChange(p.line, key, "neu"))
                continue
            before = {c: getattr(old, c) for c in vals} | {"is_demo": old.is_demo}
            after = vals | {"is_demo": False}
            if "leika_keys" in given:
                before["leika_keys"], after["leika_keys"] = leika.get(old.id, ()), r.leika_keys
            if before == after:
                plan.changes.append(RowChange(p.line, key, "unverändert"))
                continue
            plan.changes.append(RowChange(p.line, key, "geändert", differences(before, after, LABELS)))
            updates.append({"id": old.id, **vals, **prov.values(r.stand)})
            if after.get("leika_keys", before.get("leika_keys")) != before.get("leika_keys"):
                leika_replace[old.id] = r.leika_keys

        def write(s: Session) -> None:
            if inserts:
                bulk_insert(s, OnlineService, inserts)
            if updates:
                bulk_update(s, OnlineService, updates)
            ids = dict(s.execute(select(OnlineService.service_key, OnlineService.id)).all()) if leika_new else {}
            for chunk in _chunks(list(leika_replace)):
                s.execute(delete(ServiceLeika).where(ServiceLeika.service_id.in_(chunk)))
            links = [{"service_id": sid, "leika_key": k} for sid, keys in leika_replace.items() for k in keys]
            links += [{"service_id": ids[key], "leika_key": k} for key, keys in leika_new.items() for k in keys]
            if links:
                bulk_insert(s, ServiceLeika, links)

        plan.write = write
        return plan


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]
