"""The counting rules for real data (DOMAIN.md "Counting rules for real data"), in one place.

- What a unit is (`category`): gemeindefreie Gebiete are not municipalities; Region Hannover is not a Landkreis.
- Which Reifegrad counts as online (`ONLINE_FROM`): from level 3 in model 1.x; the 2.0 threshold is a setting.
"""

from __future__ import annotations

import os

from data_access.units import Level
from formatting import num

# The two inhabited gemeindefreie Bezirke: no administration of their own, their residents are served by the Kreis
# (for municipal tasks too) and the Land. They count when deciding "flächendeckend"; uninhabited ones do not.
INHABITED_UNINCORPORATED = {"033519501": "Lohheide", "033589501": "Osterheide"}
REGION_HANNOVER = "03241"
# NKomVG: the Landeshauptstadt Hannover (§ 15) and the Stadt Göttingen (§ 16) carry out Kreis tasks for their own
# residents by law. Große selbständige Städte and selbständige Gemeinden come from the "kommunalstatus" import.
CITY_STATUS = {"032410001": "Landeshauptstadt", "031590016": "Stadt Göttingen"}
CITY_STATUS_SOURCE = "NKomVG (gesetzlich)"
KOMMUNAL_STATUSES = ("Landeshauptstadt", "Stadt Göttingen", "große selbständige Stadt", "selbständige Gemeinde")

UNINCORPORATED = ("gemeindefrei", "gemeindefrei bewohnt")
NOT_A_MUNICIPALITY = "gemeindefrei"  # uninhabited: no offers, no rank, no gaps, not in comparisons or the search


def category(level: Level | str, ars: str, unit_type: str, child_types: tuple[str, ...] = ()) -> str:
    """The unit's category from BKG's level and BEZ (and, for a VWG, the BEZ of its Gemeinden)."""
    if level == Level.LAN:
        return "Land"
    if level == Level.KRS:
        if ars == REGION_HANNOVER:
            return "Region"
        return "kreisfreie Stadt" if unit_type == "Kreisfreie Stadt" else "Landkreis"
    unincorporated = (
        unit_type == "Gemeindefreies Gebiet"
        if level == Level.GEM
        else bool(child_types) and all(t == "Gemeindefreies Gebiet" for t in child_types)
    )
    if unincorporated:
        return "gemeindefrei bewohnt" if ars[:9] in INHABITED_UNINCORPORATED else "gemeindefrei"
    if level == Level.GEM:
        return "Stadt" if unit_type == "Stadt" else "Gemeinde"
    return "Samtgemeinde" if unit_type == "Samtgemeinde" else "Einheitsgemeinde"


def _threshold(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# Reifegrad from which a service counts as "online verfügbar" (an application can be filed online), per model.
# Model 1.x (0–4): 3 "Online-Leistung". Model 2.0 (0–7, July 2025) has no official mapping in our sources yet:
# DVN_REIFEGRAD_ONLINE_2_0 sets it (default 3, the first level with online submission); see README.
ONLINE_FROM = {"1.x": 3, "2.0": _threshold("DVN_REIFEGRAD_ONLINE_2_0", 3)}


def _number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


# "Live, aber kaum genutzt" (docs/ZAEHLREGELN.md, Nutzungszahlen): an offer live without a break for at least the
# whole window of HARDLY_USED_MONTHS calendar months, with usage figures for every month of it, and in that window
# fewer than HARDLY_USED_PER_1000 applications per 1.000 residents of the offering unit (where its population is
# known) or, without a population, fewer than HARDLY_USED_BELOW applications. Both thresholds are settings.
HARDLY_USED_MONTHS = 6
HARDLY_USED_PER_1000 = _number("DVN_KAUM_GENUTZT_JE_1000", 1.0)
HARDLY_USED_BELOW = _threshold("DVN_KAUM_GENUTZT_UNTER", 10)


# Size classes for the fair comparison (peers = same type and same class), by residents of the unit. Verwaltungs-
# einheiten and Gemeinden after the Gemeindegrößenklassen of the statistics offices (merged above 100.000);
# Kreise in three classes of about equal size in Niedersachsen. Without a population the type alone decides.
SIZE_CLASSES = {
    Level.VWG: (5_000, 10_000, 20_000, 50_000, 100_000),
    Level.GEM: (2_000, 5_000, 10_000, 20_000, 50_000, 100_000),
    Level.KRS: (150_000, 250_000),
}


def size_class(level: Level | str, population: float | None) -> str | None:
    """'10.000 bis unter 20.000 Einwohner' for a unit of `level`, None without a population or classes."""
    bounds = SIZE_CLASSES.get(level)
    if not bounds or population is None or population != population:
        return None
    lower = 0
    for upper in bounds:
        if population < upper:
            return f"unter {num(upper)} Einwohner" if lower == 0 else f"{num(lower)} bis unter {num(upper)} Einwohner"
        lower = upper
    return f"ab {num(lower)} Einwohner"
