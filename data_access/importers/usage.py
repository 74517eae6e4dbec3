"""Import kind "nutzung": usage figures (applications/transactions) per online service, offering unit and month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Annotated

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import counting
from data_access.importers import values as v
from data_access.importers.base import Column, Kind, Parsed, Plan, Problem, Provenance, Row, Stand
from data_access.importers.services import EXPECT_SERVICE_KEY, SERVICE_KEY
from data_access.models import OnlineService, Region, ServiceUsage

_count = v.integer(0, None)
_source = v.text(300)


class UsageRow(Row):
    service_key: Annotated[
        str,
        v.required(SERVICE_KEY, EXPECT_SERVICE_KEY),
        Column(
            "Dienst-Schlüssel",
            ("Schlüssel", "Dienstschlüssel", "Onlinedienst"),
            "Dienst-Schlüssel eines bereits importierten Onlinedienstes",
            "NI-ELTERNGELD",
            text=True,
        ),
    ]
    region_ars: Annotated[
        str,
        v.required(v.to_ars, v.EXPECT_ARS),
        Column(
            "ARS",
            ("Regionalschlüssel", "Gebietsschlüssel", "Einheit", "Einheit ARS"),
            "Regionalschlüssel der anbietenden Einheit wie bei den Angeboten: 03 (Land), 5 Stellen (Kreis), 9 Stellen "
            "(Verwaltungsgemeinschaft); muss in der Gebietstabelle stehen. Eine von Excel entfernte führende 0 wird "
            "ergänzt.",
            "032410000",
            text=True,
        ),
    ]
    month: Annotated[
        dt.date,
        v.required(v.to_month, v.EXPECT_MONTH),
        Column(
            "Monat",
            ("Berichtsmonat", "Zeitraum", "month"),
            "Kalendermonat der Zahl: JJJJ-MM, MM.JJJJ, MM/JJJJ oder ein Datum in diesem Monat",
            "2025-03",
        ),
    ]
    transactions: Annotated[
        int,
        v.required(*_count),
        Column(
            "Anträge",
            ("Transaktionen", "Anzahl", "Anzahl Anträge", "Vorgänge", "Nutzungen"),
            "Anträge bzw. Transaktionen über den Onlinedienst in diesem Monat, ganze Zahl ab 0 (1.234 oder 1234)",
            "1.234",
            db=True,
        ),
    ]
    source: Annotated[
        str | None,
        v.optional(*_source),
        Column(
            "Quelle",
            ("Datenquelle", "Herkunft", "gemeldet von"),
            "Herkunft der Zahl (höchstens 300 Zeichen), z. B. die Plattform; fehlt sie, gilt "
            "„Import <Dateiname> (nutzung)“",
            "NAVO-Statistik",
            db="source",
        ),
    ] = None
    stand: Stand = None


class Usage(Kind):
    name = "nutzung"
    label = "Nutzungszahlen"
    table = "service_usage"
    sheet_names = ("Nutzung", "Nutzungszahlen", "Daten")
    key_fields = ("service_key", "region_ars", "month")
    row_model = UsageRow
    intro = (
        "Anträge bzw. Transaktionen je Onlinedienst, anbietender Einheit und Kalendermonat. Schlüssel: "
        "Dienst-Schlüssel + ARS + Monat; eine neue Zahl für denselben Monat ersetzt die gespeicherte. Onlinedienst "
        "und Einheit müssen angelegt sein (zuerst „onlinedienste“ und die Grenzen); gemeindefreie Gebiete bieten "
        "nichts an und werden abgelehnt."
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        services = {k.casefold(): i for k, i in session.execute(select(OnlineService.service_key, OnlineService.id))}
        categories = dict(session.execute(select(Region.ars, Region.category)).all())
        plan = Plan()
        for p in rows:
            r = p.row
            if r.service_key.casefold() not in services:
                plan.problems.append(
                    Problem(
                        p.line,
                        self.column("service_key").header,
                        r.service_key,
                        "ist kein bekannter Onlinedienst",
                        "Dienst-Schlüssel aus dem Katalog – zuerst die Onlinedienste importieren",
                    )
                )
            if r.region_ars not in categories:
                plan.problems.append(
                    Problem(
                        p.line,
                        self.column("region_ars").header,
                        r.region_ars,
                        "ist keine bekannte Gebietseinheit",
                        "ARS aus der Gebietstabelle (Grenzen mit „python -m geo build“ laden)",
                    )
                )
            elif categories[r.region_ars] in counting.UNINCORPORATED:
                plan.problems.append(
                    Problem(
                        p.line,
                        self.column("region_ars").header,
                        r.region_ars,
                        "ist ein gemeindefreies Gebiet ohne eigene Verwaltung und bietet keine Dienste an",
                        "ARS des Landkreises, der die Einwohner versorgt",
                    )
                )
        if plan.problems:
            return plan
        existing = self.existing(
            session,
            ServiceUsage,
            lambda o: (o["service_id"], o["region_ars"], o["month"]),
            keys=["service_id", "region_ars", "month"],
        )
        # The row's Quelle, where given, is its source; one upsert per source keeps the planner's provenance rule.
        by_source: dict[str, list] = defaultdict(list)
        for p in rows:
            keys = {
                "service_id": services[p.row.service_key.casefold()],
                "region_ars": p.row.region_ars,
                "month": p.row.month,
            }
            source = p.row.source or prov.source
            by_source[source].append(self.item(p, tuple(keys.values()), keys, source=source))
        writes = [
            self.upsert(plan, ServiceUsage, items, existing, Provenance(source, prov.import_date)).write
            for source, items in by_source.items()
        ]
        plan.changes.sort(key=lambda c: c.row)

        def write(s: Session) -> None:
            for w in writes:
                w(s)

        plan.write = write
        return plan
