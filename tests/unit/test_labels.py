"""One glossary: every German header of a display table comes from reports.labels, one label per field."""

import ast
from pathlib import Path

import pytest

from reports import labels

ROOT = Path(__file__).resolve().parents[2]


def test_every_field_has_one_label_and_no_label_names_two_fields():
    owners: dict[str, str] = {}
    clashes = []
    for field, text in labels.LABELS.items():
        if text in owners:
            clashes.append(f"{text!r}: {owners[text]} and {field}")
        owners[text] = field
    assert not clashes, clashes


def test_qualified_labels_refine_known_fields_only():
    assert all(field in labels.LABELS for _, field in labels.QUALIFIED)
    assert labels.label("name", entity="service") == "Onlinedienst"
    assert labels.label("name") == "Name"
    with pytest.raises(KeyError):
        labels.label("nicht_im_glossar")


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")) + [ROOT / "reports" / "tables.py"])
def test_no_page_renames_columns_by_hand(path):
    """A page that writes `.rename(columns={...: "German"})` bypasses the glossary: use reports.tables."""
    hand_made = [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") == "rename"
        and any(
            k.arg == "columns"
            and isinstance(k.value, ast.Dict)
            and any(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in k.value.values)
            for k in node.keywords
        )
    ]
    assert not hand_made, f"{path.name}: lines {hand_made}"


def test_the_import_preview_names_a_field_as_the_tables_do():
    """A change "Plan-BV: 5 → 8" in the preview uses the label the PI and Strategie tables show."""
    from data_access.importers import KINDS

    differ = [
        f"{name}.{db}: {shown!r} ≠ {labels.LABELS[db]!r}"
        for name, kind in KINDS.items()
        for db, shown in kind.labels().items()
        if db in labels.LABELS and shown != labels.LABELS[db]
    ]
    assert not differ, differ
