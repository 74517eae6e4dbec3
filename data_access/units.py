"""The administrative levels and the map's measures as enums; their values are the strings of the database and URL.

StrEnum: a member equals, hashes, formats and serialises as its value (``Level.GEM == "GEM"``, ``f"{Level.GEM}"``
is ``"GEM"``), so ``Region.level``, ``?ebene=GEM``, cache keys and file names stay what they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum


class Level(StrEnum):
    """A level of Niedersachsen's administrative units (``Region.level``, the map's ``?ebene=``)."""

    LAN = "LAN"  # the Land
    KRS = "KRS"  # Landkreise, kreisfreie Städte and the Region Hannover
    VWG = "VWG"  # Verwaltungseinheiten: Einheitsgemeinden, Samtgemeinden (they hold the municipal offers)
    GEM = "GEM"  # Gemeinden (a Mitgliedsgemeinde takes its Samtgemeinde's offers)

    @property
    def municipal(self) -> bool:
        """VWG and GEM: a resident's figures are those of the Verwaltungseinheit."""
        return self in (Level.VWG, Level.GEM)

    @property
    def area(self) -> bool:
        """KRS and LAN: counted over their Verwaltungseinheiten (flächendeckend / in mindestens einer Kommune)."""
        return self in (Level.KRS, Level.LAN)


# The levels the map draws (the Land is one polygon: no map, no ranking).
MAP_LEVELS = (Level.GEM, Level.VWG, Level.KRS)


class Measure(StrEnum):
    """A figure the map colours by (``?kennzahl=``); `column` is its column in ``services.availability``."""

    COUNT = "anzahl"
    FOCUS = "fokus"
    CATALOGUE = "katalog"

    @property
    def column(self) -> str:
        return {Measure.COUNT: "n_services", Measure.FOCUS: "share_focus", Measure.CATALOGUE: "share_own"}[self]

    @property
    def share(self) -> bool:
        """A share (0–1, shown in %) rather than a count."""
        return self is not Measure.COUNT


@dataclass(frozen=True)
class Unit:
    """One administrative unit as the Steckbrief and its queries need it (queries.regions.unit builds it once).

    Passed to queries.steckbrief.gaps/history instead of an ARS, so a page render looks the unit up once. Frozen
    and hashable: a cache key like any other argument.
    """

    ars: str
    level: Level
    name: str
    unit_type: str
    category: str
    group: str  # Vergleichsgruppe (with the size class where the population is known)
    kreis_ars: str | None = None
    kreis_name: str | None = None
    vwg_ars: str | None = None  # the Verwaltungseinheit serving a Gemeinde (itself for a VWG)
    vwg_name: str | None = None
    population: int | None = None
    population_as_of: dt.date | None = None
    population_source: str | None = None
    kommunal_status: str | None = None
    size_class: str | None = None

    @classmethod
    def of(cls, row: Mapping) -> Unit:
        """From a row of queries.regions.units (pandas' NaN becomes None)."""

        def clean(value):  # NaN and NaT are the only values unequal to themselves
            return None if value is None or value != value else value

        values = {f.name: clean(row.get(f.name)) for f in fields(cls)}
        values["level"] = Level(values["level"])
        if values["population"] is not None:
            values["population"] = int(values["population"])
        return cls(**values)
