"""Import kind "kommunalstatus": the NKomVG status of a Verwaltungsgemeinschaft (Einheitsgemeinde or Stadt) that moves
Kreis tasks to it for its own residents (große selbständige Stadt, selbständige Gemeinde; by law: Landeshauptstadt
Hannover, Stadt Göttingen). See data_access/counting.py and docs/IMPORT.md."""

from __future__ import annotations

import re
from typing import Annotated, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import counting
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
from data_access.models import Region

EXPECT_VWG = "9-stelliger Regionalschlüssel einer Einheitsgemeinde oder Stadt Niedersachsens, z. B. 031010000"
_status = v.choice(
    counting.KOMMUNAL_STATUSES,
    {
        "GSS": "große selbständige Stadt",
        "gr. selbst. Stadt": "große selbständige Stadt",
        "gr. selbständige Stadt": "große selbständige Stadt",
        "große selbstständige Stadt": "große selbständige Stadt",
        "grosse selbstaendige Stadt": "große selbständige Stadt",
        "grosse selbststaendige Stadt": "große selbständige Stadt",
        "selbst. Gemeinde": "selbständige Gemeinde",
        "selbstständige Gemeinde": "selbständige Gemeinde",
        "selbstaendige Gemeinde": "selbständige Gemeinde",
        "LHS": "Landeshauptstadt",
        "Landeshauptstadt Hannover": "Landeshauptstadt",
        "Göttingen": "Stadt Göttingen",
    },
)
_source = v.text(300)


def to_vwg_ars(value: Any) -> str:
    s = v.as_text(value).replace(" ", "")
    if not re.fullmatch(r"[0-9]+", s):
        raise v.fail("ist kein Regionalschlüssel (nur Ziffern)", EXPECT_VWG)
    if len(s) == 8 and s.startswith("3"):
        s = "0" + s  # Excel dropped the leading zero
    if len(s) != 9:
        raise v.fail(f"hat {len(s)} Stellen", EXPECT_VWG)
    if not s.startswith("03"):
        raise v.fail("liegt nicht in Niedersachsen (Schlüssel beginnt nicht mit 03)", EXPECT_VWG)
    return s


class StatusRow(Row):
    ars: Annotated[
        str,
        v.required(to_vwg_ars, EXPECT_VWG),
        Column(
            "ARS",
            ("Regionalschlüssel", "Gebietsschlüssel", "Einheit"),
            "9-stelliger Regionalschlüssel der Einheitsgemeinde oder Stadt; muss in der Gebietstabelle stehen. Eine "
            "von Excel entfernte führende 0 wird ergänzt.",
            "031010000",
            text=True,
        ),
    ]
    status: Annotated[
        str | None,
        v.optional(*_status),
        Column(
            "Status",
            ("Kommunalstatus", "Gemeindeklasse"),
            "Landeshauptstadt, Stadt Göttingen, große selbständige Stadt (auch GSS, gr. selbst. Stadt) oder "
            "selbständige Gemeinde; leer = kein Status",
            "große selbständige Stadt",
            required=True,  # an empty status removes the status: the column must be there to say so
            db="kommunal_status",
        ),
    ] = None
    stand: Annotated[
        v.OptionalDate,
        Column(
            "Stand",
            ("as of", "Datenstand", "Gültig ab"),
            "Datum, ab dem der Status gilt bzw. bekannt ist; fehlt es, gilt das Importdatum",
            "01.11.2021",
        ),
    ] = None
    source: Annotated[
        str | None,
        v.optional(*_source),
        Column(
            "Quelle",
            ("Rechtsgrundlage", "Fundstelle"),
            "Fundstelle des Status (höchstens 300 Zeichen); fehlt sie, gilt „Import <Dateiname> (kommunalstatus)“",
            "Nds. GVBl. 2021 S. 123",
        ),
    ] = None


class KommunalStatus(Kind):
    name = "kommunalstatus"
    label = "Kommunalstatus"
    table = "region"
    sheet_names = ("Kommunalstatus", "Daten")
    key_fields = ("ars",)
    row_model = StatusRow
    intro = (
        "Status nach dem NKomVG, mit dem eine Einheitsgemeinde oder Stadt Aufgaben des Kreises für ihre eigenen "
        "Einwohner wahrnimmt. Schlüssel: ARS der Verwaltungsgemeinschaft. Ein leerer Status entfernt den Status. "
        "Samtgemeinden, gemeindefreie Gebiete und unbekannte Schlüssel werden abgelehnt; Landeshauptstadt "
        "(032410001) und Stadt Göttingen (031590016) gelten kraft Gesetzes und gehören nur zu diesen Schlüsseln."
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        stmt = select(Region.ars, Region.name, Region.level, Region.category, Region.kommunal_status)
        regions = {r.ars: r for r in session.execute(stmt)}
        plan = Plan()
        updates = []
        col = self.column("ars").header
        labels = self.labels()
        for p in rows:
            r = p.row
            region = regions.get(r.ars)
            if region is None or region.level != "VWG":
                plan.problems.append(
                    Problem(
                        p.line,
                        col,
                        r.ars,
                        "ist keine bekannte Verwaltungsgemeinschaft der Gebietstabelle",
                        "ARS aus der Gebietstabelle (Grenzen mit „python -m geo build“ laden)",
                    )
                )
                continue
            if region.category == "Samtgemeinde" or region.category in counting.UNINCORPORATED:
                what = "eine Samtgemeinde" if region.category == "Samtgemeinde" else "ein gemeindefreies Gebiet"
                plan.problems.append(
                    Problem(
                        p.line,
                        col,
                        r.ars,
                        f"ist {what} ({region.name}); der Status gilt nur für Einheitsgemeinden und Städte",
                        EXPECT_VWG,
                    )
                )
                continue
            legal = counting.CITY_STATUS.get(r.ars)
            if (r.status in counting.CITY_STATUS.values() or legal) and r.status != legal:
                plan.problems.append(
                    Problem(
                        p.line,
                        self.column("status").header,
                        r.status or "(leer)",
                        f"passt nicht zu {region.name}: Landeshauptstadt und Stadt Göttingen gelten kraft Gesetzes",
                        f"„{legal}“" if legal else "große selbständige Stadt, selbständige Gemeinde oder leer",
                    )
                )
                continue
            if region.kommunal_status == r.status:
                plan.changes.append(RowChange(p.line, r.ars, "unverändert"))
                continue
            action = "neu" if region.kommunal_status is None else "geändert"
            detail = differences({"kommunal_status": region.kommunal_status}, {"kommunal_status": r.status}, labels)
            plan.changes.append(RowChange(p.line, r.ars, action, detail))
            updates.append(
                {
                    "ars": r.ars,
                    "kommunal_status": r.status,
                    "kommunal_status_source": r.source or prov.source,
                    "kommunal_status_as_of": r.stand or prov.import_date,
                }
            )

        plan.write = Upsert(Region, "ars", updates=updates).write
        return plan
