"""The administrative levels and the map's measures as enums; their values are the strings of the database and URL.

StrEnum: a member equals, hashes, formats and serialises as its value (``Level.GEM == "GEM"``, ``f"{Level.GEM}"``
is ``"GEM"``), so ``Region.level``, ``?ebene=GEM``, cache keys and file names stay what they were.
"""

from __future__ import annotations

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
