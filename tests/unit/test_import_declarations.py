"""Each import column is declared once on its row model: the declaration is what the kinds, the template, the
Daten page, docs/IMPORT.md and the preview use, so they cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access.importers import KINDS
from data_access.importers.base import Column, declared_columns
from data_access.importers.templates import column_table, columns_markdown, template_csv_text, template_path
from data_access.models import Base

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "IMPORT.md"
# Row-model fields that no file column fills: derived while reading (einwohner).
DERIVED = {"einwohner": {"level", "from_parts", "area_given"}}
# Stored elsewhere than the kind's table (the planner compares them; the kind writes them).
SIDE = {"onlinedienste": {"leika_keys"}}


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_read_from_a_file_is_declared_once(kind):
    spec = KINDS[kind]
    fields = set(spec.row_model.model_fields)
    declared = [c.field for c in spec.columns]
    assert len(declared) == len(set(declared))
    assert fields - set(declared) == DERIVED.get(kind, set())
    for name in fields - DERIVED.get(kind, set()):
        metadata = spec.row_model.model_fields[name].metadata
        assert sum(isinstance(m, Column) for m in metadata) == 1, name
    assert spec.columns == declared_columns(spec.row_model)
    assert set(spec.key_fields) <= set(declared)


@pytest.mark.parametrize("kind", KINDS)
def test_stored_columns_exist_in_the_kinds_table(kind):
    spec = KINDS[kind]
    table = Base.metadata.tables[spec.table]
    stored = {c.db for c in spec.columns if c.db}
    assert stored - SIDE.get(kind, set()) <= set(table.c.keys())
    assert set(spec.labels()) == stored | {"is_demo"}


@pytest.mark.parametrize("kind", KINDS)
def test_daten_page_table_and_template_come_from_the_declaration(kind):
    spec = KINDS[kind]
    table = column_table(kind)
    assert list(table["Spalte"]) == [c.header for c in spec.columns]
    assert list(table["Pflichtspalte"]) == ["ja" if c.required else "nein" for c in spec.columns]
    assert list(table["Bedeutung und Format"]) == [c.doc for c in spec.columns]
    assert template_path(kind).read_text(encoding="utf-8") == template_csv_text(kind)


def test_docs_table_is_the_declaration():
    """docs/IMPORT.md holds the generated section verbatim (regenerate it with the command written above it)."""
    docs = DOCS.read_text(encoding="utf-8")
    generated = columns_markdown()
    assert generated in docs
    for kind, spec in KINDS.items():
        for c in spec.columns:
            assert f"| {c.header} | {'ja' if c.required else 'nein'} | {c.doc} |" in generated, (kind, c.field)


def test_column_presence_follows_the_model_unless_declared():
    """A field without a default is a required column; the few exceptions say so in their declaration."""
    explicit = {
        (kind, c.field): c.required
        for kind, spec in KINDS.items()
        for c in spec.columns
        if c.required != spec.row_model.model_fields[c.field].is_required()
    }
    assert explicit == {
        ("pi-ziele", "committed"): True,
        ("kommunalstatus", "status"): True,
        ("einwohner", "ars"): False,
        ("einwohner", "population"): True,
    }
