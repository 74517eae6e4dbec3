"""Import kind "onlinedienste": the catalogue of online services with their LeiKa keys."""

from __future__ import annotations

from typing import Annotated

from pydantic import model_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data_access.importers import values as v
from data_access.importers.base import Column, Kind, Parsed, Plan, Provenance, Row, Stand, bulk_insert
from data_access.models import RESPONSIBLE_LEVELS, SERVICE_MODELS, THEMENFELDER, OnlineService, ServiceLeika

EXPECT_SERVICE_KEY = "1–40 Zeichen aus Buchstaben, Ziffern, Punkt, Unterstrich oder Bindestrich"
SERVICE_KEY = v.pattern(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,39}", EXPECT_SERVICE_KEY)
MATURITY_MODELS = ("1.x", "2.0")

_name = v.text(300)
_model = v.choice(SERVICE_MODELS, {"einer für alle": "EfA", "wir für uns": "WfU"})
_field = v.choice(THEMENFELDER)
_level = v.choice(RESPONSIBLE_LEVELS)
_maturity = v.integer(0, 7)
_mmodel = v.choice(MATURITY_MODELS, {"1": "1.x", "1.0": "1.x", "1,0": "1.x", "2": "2.0", "2,0": "2.0"})


class ServiceRow(Row):
    service_key: Annotated[
        str,
        v.required(SERVICE_KEY, EXPECT_SERVICE_KEY),
        Column(
            "Dienst-Schlüssel",
            ("Schlüssel", "Dienstschlüssel", "Key", "ID"),
            f"Eindeutiger Schlüssel des Onlinedienstes ({EXPECT_SERVICE_KEY})",
            "NI-ELTERNGELD",
            text=True,
        ),
    ]
    name: Annotated[
        str,
        v.required(*_name),
        Column(
            "Name",
            ("Bezeichnung", "Onlinedienst", "Titel"),
            "Bezeichnung des Onlinedienstes (höchstens 300 Zeichen)",
            "Elterngeld digital",
            db=True,
        ),
    ]
    model: Annotated[
        str,
        v.required(*_model),
        Column("Modell", ("Nachnutzungsmodell", "Typ"), "EfA, WfU, Kommune oder Land", "EfA", db=True),
    ]
    themenfeld: Annotated[
        str,
        v.required(*_field),
        Column(
            "Themenfeld",
            ("OZG-Themenfeld",),
            "Eines der 14 OZG-Themenfelder, z. B. „Familie & Kind“ („und“ statt „&“ geht auch)",
            "Familie & Kind",
            db=True,
        ),
    ]
    is_focus: Annotated[
        bool,
        v.optional(v.to_bool, v.EXPECT_BOOL, empty=False),
        Column("Fokusleistung", ("Fokus",), "ja/nein (auch yes/no, true/false, x); leer = nein", "ja", db=True),
    ] = False
    responsible_level: Annotated[
        str,
        v.required(*_level),
        Column("Zuständigkeit", ("Ebene", "Zuständige Ebene"), "Land, Kreis oder Gemeinde", "Kreis", db=True),
    ]
    maturity_level: Annotated[
        int | None,
        v.optional(*_maturity),
        Column(
            "Reifegrad",
            ("Reifegradstufe",),
            "OZG-Reifegrad: 0–4 im Modell 1.x, 0–7 im Modell 2.0; leer = unbekannt",
            "3",
            db=True,
        ),
    ] = None
    maturity_model: Annotated[
        str | None,
        v.optional(*_mmodel),
        Column(
            "Reifegradmodell",
            ("Modellversion",),
            "1.x oder 2.0; Pflicht, wenn ein Reifegrad angegeben ist",
            "1.x",
            db=True,
        ),
    ] = None
    leika_keys: Annotated[
        tuple[str, ...],
        v.optional(v.to_leika_keys, v.EXPECT_LEIKA, empty=()),
        Column(
            "LeiKa-Schlüssel",
            ("LeiKa", "Leistungsschlüssel"),
            "14-stellige LeiKa-Schlüssel, mehrere durch Komma getrennt",
            "99123456789012",
            db=True,  # compared like a column, stored as links in service_leika
            label="LeiKa",
            text=True,
        ),
    ] = ()
    url: Annotated[
        str | None,
        v.optional(v.to_url, v.EXPECT_URL),
        Column(
            "Link",
            ("URL", "Adresse", "Internetadresse"),
            "Adresse, unter der Einwohner den Dienst online beantragen (http:// oder https://); leer = unbekannt",
            "https://dienste.example.org/elterngeld",
            db=True,
        ),
    ] = None
    stand: Stand = None

    @model_validator(mode="after")
    def _maturity_fits_model(self):
        if self.maturity_level is not None and self.maturity_model is None:
            raise v.fail_in(
                "maturity_model", "fehlt, obwohl ein Reifegrad angegeben ist", "1.x (Stufen 0–4) oder 2.0 (Stufen 0–7)"
            )
        if self.maturity_model == "1.x" and (self.maturity_level or 0) > 4:
            raise v.fail_in("maturity_level", "passt nicht zum Reifegradmodell 1.x", "Stufe 0–4 im Modell 1.x")
        return self


class Services(Kind):
    name = "onlinedienste"
    label = "Onlinedienste"
    table = "online_service"
    sheet_names = ("Onlinedienste", "Daten")
    key_fields = ("service_key",)
    row_model = ServiceRow
    intro = "Katalog der Onlinedienste; Schlüssel ist der Dienst-Schlüssel. Fehlende optionale Spalten lassen vorhandene Werte unverändert."

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        # Keys are compared without regard to case (docs/IMPORT.md): "demo-0001" is "DEMO-0001".
        existing = self.existing(session, OnlineService, lambda r: r["service_key"].casefold(), keys=["service_key"])
        leika: dict[int, tuple[str, ...]] = {}
        for sid, key in session.execute(
            select(ServiceLeika.service_id, ServiceLeika.leika_key).order_by(ServiceLeika.leika_key)
        ):
            leika[sid] = (*leika.get(sid, ()), key)
        existing = {k: {**old, "leika_keys": leika.get(old["id"], ())} for k, old in existing.items()}
        items = [self.item(p, p.row.service_key.casefold(), {"service_key": p.row.service_key}) for p in rows]
        plan = Plan()
        up = self.upsert(plan, OnlineService, items, existing, prov, side=("leika_keys",))
        leika_new = {it.keys["service_key"]: it.values["leika_keys"] for it in up.new}
        leika_replace = {
            old["id"]: it.values["leika_keys"]
            for it, old in up.changed
            if "leika_keys" in it.given and it.values["leika_keys"] != old["leika_keys"]
        }

        def write(s: Session) -> None:
            up.write(s)
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
