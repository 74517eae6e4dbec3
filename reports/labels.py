"""The one glossary: the German column label of every field a display table or download shows.

A field keeps its label on every page and in every file (the PI page and the Strategie page say "Plan-BV" alike).
Where the same field name means different things in different frames ("name" of a service, an authority, a unit),
the entity qualifies it: `label("name", entity="service")`. tests/unit/test_labels.py checks that every display
table takes its headers from here.
"""

from __future__ import annotations

import pandas as pd

from data_access.counting import HARDLY_USED_MONTHS
from data_access.units import Level

LABELS = {
    # Verwaltungseinheiten and their online services (Karte, Steckbrief)
    "rank": "Rang",
    "rank_in_group": "Rang in Vergleichsgruppe",
    "name": "Name",
    "unit_type": "Typ",
    "group": "Vergleichsgruppe",
    "kreis_name": "Kreis",
    "ars": "ARS",
    "n_services": "Onlinedienste",
    "n_focus": "Fokusleistungen",
    "share_focus": "Anteil Fokusleistungen (%)",
    "share_own": "Anteil eigener Katalog (%)",
    "n_flaechendeckend": "flächendeckend",
    "n_mindestens_eine": "in mindestens einer Kommune",
    "per_100k": "Anbindungen je 100.000 Einwohner",
    "population": "Einwohner",
    "themenfeld": "Themenfeld",
    "model": "Modell",
    "is_focus": "Fokusleistung",
    "responsible_level": "Zuständigkeit",
    "maturity_level": "Reifegrad",
    "who": "Wer kann anbinden",
    "reusable": "Nachnutzbar (EfA/WfU)",
    "peers_with": "Vergleichbare mit Angebot",
    "peers": "Vergleichbare gesamt",
    "share_peers": "Anteil Vergleichbare (%)",
    "service_key": "Schlüssel",
    "status": "Status",
    "offered_by": "angeboten von",
    "seat_ars": "Sitz-ARS",
    "maturity_model": "Reifegradmodell",
    "online": "zählt als online",
    "date": "Datum",
    # Nutzungszahlen (Karte, Steckbrief): the window is counting.HARDLY_USED_MONTHS months
    "month": "Monat",
    "transactions": "Anträge",
    "transactions_window": f"Anträge in {HARDLY_USED_MONTHS} Monaten",
    "per_1000": f"Anträge je 1.000 Einwohner in {HARDLY_USED_MONTHS} Monaten",
    "months": "Monate mit Meldung",
    "units": "Einheiten mit Meldung",
    "live_since": "live seit",
    "hardly_used": "kaum genutzt",
    "service_name": "Onlinedienst",
    "level": "Ebene",
    "source": "Quelle",
    # eAkte
    "code": "Kürzel",
    "ministry_code": "Ressort",
    "ministry": "Ministerium",
    "reason": "Im Verzug",
    "adoption": "Nutzung %",
    "active_users": "Aktive Nutzende",
    "planned_workplaces": "Geplante Arbeitsplätze",
    "planned_go_live": "Geplanter Start",
    "go_live_date": "Produktivstart",
    "snapshot_date": "Stichtag",
    "authorities": "Behörden",
    "productive": "produktiv",
    "in_rollout": "in Einführung",
    "planned": "geplant",
    "no_data": "keine Daten",
    "not_productive": "noch nicht produktiv",
    "productive_share": "produktiv %",
    "late": "Start überfällig",
    "is_demo": "Beispieldaten",
    # PI objectives
    "pi_number": "PI",
    "quarter": "Quartal",
    "period": "Zeitraum",
    "objectives": "Ziele",
    "committed": "verbindlich",
    "uncommitted": "unverbindlich",
    "planned_bv_committed": "Plan-BV verbindlich",
    "planned_bv": "Plan-BV",
    "actual_bv": "Ist-BV",
    "predictability": "Vorhersagbarkeit",
    "team": "Team",
    "objective_key": "Ziel-ID",
    "text": "Ziel",
    "measure": "Maßnahme Handlungsplan",
    "check": "Prüfung",
    "count": "Anzahl",
    # Strategie and portfolio
    "section": "Kapitel",
    "row_key": "Maßnahme",
    "title": "Titel",
    "stage": "Phase",
    "epics": "Epics",
    "epic_key": "Epic",
    "owner": "Verantwortlich",
    "budget_eur": "Budget (€)",
    "number": "Nr.",
    "domain": "Handlungsfeld",
    "short_name": "Kurzname",
    "full_text": "Strategische Maßnahme",
    "total": "Summe",
    "implementation_class": "Umsetzungsart",
    "measures": "Maßnahmen",
    "items": "Maßnahmen (Text laut Anlage)",
    "implementation": "Umsetzung",
    "runtime": "Laufzeit (Anlage)",
}

# (entity, field) -> label where a field name means something else in that frame.
QUALIFIED = {
    ("service", "name"): "Onlinedienst",
    ("service", "status"): "Status hier",  # the service's status in the unit whose Steckbrief this is
    ("authority", "name"): "Behörde",
    ("catalogue", "n_services"): "Onlinedienste im Katalog",  # the whole catalogue, not what a unit offers
    ("catalogue", "n_focus"): "davon Fokusleistungen",
    ("finding", "text"): "Ziel / Hinweis",
    ("offering_unit", "name"): "Anbietende Einheit",
}


# The levels in German: on the map's level choice ("… je Gemeinde"), in titles and in the open-data files.
LEVEL_PLURAL = {
    Level.GEM: "Gemeinden",
    Level.VWG: "Verwaltungseinheiten",
    Level.KRS: "Landkreise und kreisfreie Städte",
    Level.LAN: "Land",
}
LEVEL_SINGULAR = {
    Level.GEM: "Gemeinde",
    Level.VWG: "Verwaltungseinheit",
    Level.KRS: "Kreis bzw. kreisfreier Stadt",
    Level.LAN: "Land",
}


def label(field: str, *, entity: str | None = None) -> str:
    """The German label of `field` (KeyError for a field the glossary does not know: add it there, once)."""
    return QUALIFIED.get((entity, field)) or LABELS[field]


def german(df: pd.DataFrame, fields: list[str] | tuple[str, ...], *, entity: str | None = None) -> pd.DataFrame:
    """`df[fields]` with the glossary's labels as headers, in the order given."""
    return df[list(fields)].rename(columns={f: label(f, entity=entity) for f in fields})
