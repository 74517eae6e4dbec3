"""German numbers are written one way: formatting.num / pct / as_written, never by hand (f"{n:,}" and replace)."""

import ast
from pathlib import Path

import pytest

from formatting import as_written, num

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("data_access", "geo", "charts", "reports", "pages")
# Written as its publisher writes it, not a figure: the scale in the BKG product name ("1:5 000 000").
ALLOWED = {"geo/bkg.py"}


def _hand_made(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
            if "," in spec:  # thousands grouping with Python's English separators
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "replace"
            and [getattr(a, "value", None) for a in node.args[:2]] == [".", ","]  # writing a decimal comma
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("package", PACKAGES)
def test_no_number_is_formatted_by_hand(package):
    found = {
        rel: lines
        for path in sorted((ROOT / package).rglob("*.py"))
        if (rel := path.relative_to(ROOT).as_posix()) not in ALLOWED and (lines := _hand_made(path))
    }
    assert not found, found


def test_as_written_keeps_the_decimals_it_was_given():
    from decimal import Decimal

    assert as_written(1234.5) == "1.234,5"
    assert as_written(7) == "7"
    assert as_written(Decimal("7.50")) == "7,50"
    assert as_written(None) == "–"
    assert num(20000) == "20.000"
