"""Level and Measure (data_access/units.py): enums whose values stay the strings of the database and the address."""

from __future__ import annotations

import json

import pytest

from data_access.models import REGION_LEVELS
from data_access.queries import services
from data_access.units import MAP_LEVELS, Level, Measure


def test_levels_are_the_strings_of_database_and_address():
    assert REGION_LEVELS == ("LAN", "KRS", "VWG", "GEM")  # the check constraint of region.level
    assert Level("GEM") is Level.GEM and Level.GEM == "GEM" and f"{Level.KRS}" == "KRS" and str(Level.VWG) == "VWG"
    assert json.dumps({"ebene": Level.VWG}) == '{"ebene": "VWG"}'
    assert {"GEM": 1}[Level.GEM] == 1  # a dictionary keyed by the string finds the member (and back)
    assert MAP_LEVELS == ("GEM", "VWG", "KRS")


def test_level_groups():
    assert [lvl for lvl in Level if lvl.municipal] == [Level.VWG, Level.GEM]
    assert [lvl for lvl in Level if lvl.area] == [Level.LAN, Level.KRS]


def test_measures_are_the_map_parameter_values():
    assert [str(m) for m in Measure] == ["anzahl", "fokus", "katalog"]
    assert {m: (m.column, m.share) for m in Measure} == {
        "anzahl": ("n_services", False),
        "fokus": ("share_focus", True),
        "katalog": ("share_own", True),
    }
    assert {m: v[0] for m, v in services.MEASURES.items()} == {m: m.column for m in Measure}


def test_unknown_level_is_refused_in_german(engine):
    with pytest.raises(ValueError, match="Unbekannte Ebene: XYZ"):
        services.availability(engine, level="XYZ", as_of=None)
