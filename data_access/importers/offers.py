"""Import kind "angebote": which unit offers which online service, with status history (validity periods)."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

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
    Stand,
    bulk_insert,
    bulk_update,
)
from data_access.importers.services import EXPECT_SERVICE_KEY, SERVICE_KEY
from data_access.models import OFFER_STATUSES, Authority, Offer, OnlineService, Region

_status = v.choice(OFFER_STATUSES, {"umsetzung": "in Umsetzung", "in arbeit": "in Umsetzung", "online": "live"})
_authority = v.text(30)


class OfferRow(Row):
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
            "Regionalschlüssel der anbietenden Einheit: 03 (Land), 5 Stellen (Kreis), 9 Stellen (Verwaltungsgemeinschaft); "
            "muss in der Gebietstabelle stehen. Eine von Excel entfernte führende 0 wird ergänzt.",
            "032410000",
            text=True,
        ),
    ]
    status: Annotated[
        str, v.required(*_status), Column("Status", ("Angebotsstatus",), "geplant, in Umsetzung oder live", "live")
    ]
    since: Annotated[
        v.Date,
        Column(
            "Seit",
            ("Gültig ab", "Datum", "Seit Datum", "valid from"),
            "Datum, ab dem der Status gilt (TT.MM.JJJJ oder JJJJ-MM-TT)",
            "01.04.2025",
        ),
    ]
    authority: Annotated[
        str | None,
        v.optional(*_authority),
        Column(
            "Behörde",
            ("Behördenkürzel", "Kürzel"),
            "Kürzel der anbietenden Landesbehörde (nur bei Landesangeboten); muss angelegt sein",
            "IT.N",
            text=True,
        ),
    ] = None
    stand: Stand = None


class Offers(Kind):
    name = "angebote"
    label = "Angebote"
    table = "offer"
    sheet_names = ("Angebote", "Daten")
    key_fields = ("service_key", "region_ars", "since")
    row_model = OfferRow
    changes_reach = True
    intro = (
        "Wer bietet welchen Onlinedienst an, mit Status und Datum. Schlüssel: Dienst-Schlüssel + ARS + Seit. "
        "Ein anderer Status als der geltende schließt den geltenden Zeitraum am Seit-Datum und beginnt einen neuen; "
        "derselbe Status ändert nichts."
    )

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        services = {k.casefold(): i for k, i in session.execute(select(OnlineService.service_key, OnlineService.id))}
        regions = {
            r.ars: r for r in session.execute(select(Region.ars, Region.level, Region.category, Region.kommunal_status))
        }
        kfs = {r.ars for r in regions.values() if r.category == "kreisfreie Stadt"}
        responsible = dict(session.execute(select(OnlineService.service_key, OnlineService.responsible_level)).all())
        responsible = {k.casefold(): v for k, v in responsible.items()}
        authorities = {c.casefold(): i for c, i in session.execute(select(Authority.code, Authority.id))}
        plan = Plan()
        col = {c.field: c for c in self.columns}
        groups: dict[tuple[int, str], list[Parsed]] = defaultdict(list)
        for p in rows:
            r = p.row
            if r.service_key.casefold() not in services:
                plan.problems.append(
                    Problem(
                        p.line,
                        col["service_key"].header,
                        r.service_key,
                        "ist kein bekannter Onlinedienst",
                        "Dienst-Schlüssel aus dem Katalog – zuerst die Onlinedienste importieren",
                    )
                )
            if r.region_ars not in regions:
                plan.problems.append(
                    Problem(
                        p.line,
                        col["region_ars"].header,
                        r.region_ars,
                        "ist keine bekannte Gebietseinheit",
                        "ARS aus der Gebietstabelle (Grenzen mit „python -m geo build“ laden)",
                    )
                )
            if r.authority and r.authority.casefold() not in authorities:
                plan.problems.append(
                    Problem(
                        p.line,
                        col["authority"].header,
                        r.authority,
                        "ist keine angelegte Behörde",
                        "Kürzel einer Behörde aus der Behördentabelle",
                    )
                )
            region = regions.get(r.region_ars)
            if region is not None and region.category in counting.UNINCORPORATED:
                plan.problems.append(
                    Problem(
                        p.line,
                        col["region_ars"].header,
                        r.region_ars,
                        "ist ein gemeindefreies Gebiet ohne eigene Verwaltung und bietet keine Dienste an",
                        "ARS des Landkreises, der die Einwohner versorgt",
                    )
                )
                continue
            level = responsible.get(r.service_key.casefold())
            if (
                region is not None
                and region.level == "VWG"
                and level == "Kreis"
                and not region.kommunal_status
                and r.region_ars[:5] not in kfs
            ):
                plan.problems.append(
                    Problem(
                        p.line,
                        col["region_ars"].header,
                        r.region_ars,
                        "bietet einen Dienst in Kreiszuständigkeit an, hat aber keinen Kommunalstatus, der Kreisaufgaben "
                        "überträgt",
                        "die ARS des Landkreises – oder zuerst den Kommunalstatus der Stadt importieren "
                        "(große selbständige Stadt, selbständige Gemeinde)",
                    )
                )
                continue
            if r.service_key.casefold() in services and region is not None:
                groups[(services[r.service_key.casefold()], r.region_ars)].append(p)
        if plan.problems:
            return plan

        periods: dict[tuple[int, str], list[dict]] = defaultdict(list)
        stmt = select(
            Offer.id,
            Offer.service_id,
            Offer.region_ars,
            Offer.valid_from,
            Offer.valid_to,
            Offer.status,
            Offer.authority_id,
            Offer.is_demo,
        ).order_by(Offer.valid_from)
        for o in session.execute(stmt):
            if (o.service_id, o.region_ars) in groups:
                periods[(o.service_id, o.region_ars)].append(o._asdict())
        inserts: list[dict] = []
        updates: dict[int, dict] = {}

        def change(per: dict, **values) -> None:
            per.update(values)
            if per.get("id") is None:  # a period inserted by this same file
                per["row"].update(values)
            else:
                updates.setdefault(per["id"], {"id": per["id"]}).update(values)

        for (sid, ars), group in groups.items():
            state = periods[(sid, ars)]
            for p in sorted(group, key=lambda p: p.row.since):
                r = p.row
                key = self.key_text(r)
                has_auth = "authority" in r.model_fields_set
                auth = authorities.get(r.authority.casefold()) if has_auth and r.authority else None
                meta = prov.values(r.stand)
                exact = next((per for per in state if per["valid_from"] == r.since), None)
                open_ = state[-1] if state and state[-1]["valid_to"] is None else None
                target = exact or open_
                if target and target["status"] == r.status and (not has_auth or target["authority_id"] == auth):
                    if target["is_demo"]:
                        change(target, authority_id=auth if has_auth else target["authority_id"], **meta)
                        plan.changes.append(RowChange(p.line, key, "geändert", "Beispieldaten → importierte Daten"))
                    else:
                        plan.changes.append(RowChange(p.line, key, "unverändert"))
                    continue
                if exact:
                    detail = f"Status ab {v.de_date(r.since)}: {exact['status']} → {r.status}"
                    change(exact, status=r.status, authority_id=auth if has_auth else exact["authority_id"], **meta)
                    plan.changes.append(RowChange(p.line, key, "geändert", detail))
                    continue
                last = state[-1] if state else None
                if last and r.since < (last["valid_to"] or last["valid_from"]):
                    bound = last["valid_to"] or last["valid_from"]
                    plan.problems.append(
                        Problem(
                            p.line,
                            col["since"].header,
                            v.de_date(r.since),
                            "liegt vor dem Beginn des geltenden Zeitraums; die Historie kann nur fortgeschrieben werden",
                            f"ein Datum ab {v.de_date(bound)}",
                        )
                    )
                    continue
                row = {
                    "service_id": sid,
                    "region_ars": ars,
                    "status": r.status,
                    "valid_from": r.since,
                    "valid_to": None,
                    "authority_id": auth if has_auth else (open_ or {}).get("authority_id"),
                    **meta,
                }
                inserts.append(row)
                if open_:
                    change(open_, valid_to=r.since)
                    plan.changes.append(
                        RowChange(
                            p.line, key, "geändert", f"Status ab {v.de_date(r.since)}: {open_['status']} → {r.status}"
                        )
                    )
                else:
                    plan.changes.append(RowChange(p.line, key, "neu"))
                state.append(
                    {
                        "id": None,
                        "row": row,
                        **{k: row[k] for k in ("valid_from", "valid_to", "status", "authority_id")},
                        "is_demo": False,
                    }
                )

        def write(s: Session) -> None:
            if updates:
                bulk_update(s, Offer, list(updates.values()))
            if inserts:
                bulk_insert(s, Offer, inserts)

        plan.write = write
        return plan
