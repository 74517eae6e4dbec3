"""The floor plan, checked: which package may import which (read from the source, so a new import cannot slip in).

formatting   German numbers, percentages and dates – the bottom layer, imports nothing of the project
data_access  the database: schema, queries, imports, demo data – no display, no Streamlit
geo          boundaries: build and load – no display
charts       plotly figures and German number formats from frames – no database, no Streamlit
reports      display tables, labels, slide deck, PDF/PPTX/open data, table files – reads through data_access.queries
pages        the Streamlit pages – the only place that imports streamlit (besides dashboard.py)
deploy       operations: nginx configuration, cluster start/stop, health check, load test – reads via data_access
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("formatting", "data_access", "geo", "charts", "reports", "pages", "deploy")
FORBIDDEN = {
    "formatting": {"data_access", "geo", "charts", "reports", "pages", "streamlit", "plotly", "sqlalchemy"},
    "data_access": {"charts", "reports", "pages", "streamlit", "plotly"},
    "geo": {"charts", "reports", "pages", "streamlit", "plotly"},
    "charts": {"data_access", "reports", "pages", "streamlit", "sqlalchemy"},
    "reports": {"pages", "streamlit"},
    "pages": set(),
    "deploy": {"charts", "reports", "pages", "streamlit", "plotly", "sqlalchemy"},
}
# Front ends may use the presentation wing: the command line writes the same table files as the download buttons.
FRONT_ENDS = {"data_access/cli.py": {"reports"}}


def _imports(path: Path) -> list[tuple[str, int, tuple[str, ...]]]:
    """(top-level module, line, imported names) for every import in the file, also inside functions."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name.split(".")[0], node.lineno, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module.split(".")[0], node.lineno, tuple(a.name for a in node.names)))
    return out


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_no_package_imports_what_its_layer_must_not_know(package):
    wrong = []
    for path in _files(package):
        rel = path.relative_to(ROOT).as_posix()
        allowed = FRONT_ENDS.get(rel, set())
        for module, line, _ in _imports(path):
            if module in FORBIDDEN[package] - allowed:
                wrong.append(f"{rel}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_sql_is_written_only_in_data_access_and_geo():
    """reports and charts may name the Engine type, never build a statement."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {names} from sqlalchemy"
        for package in ("reports", "charts", "pages", "deploy")
        for path in _files(package)
        for module, line, names in _imports(path)
        if module == "sqlalchemy" and set(names) - {"Engine"}
    ]
    assert not wrong, "\n".join(wrong)


def test_the_rule_table_sees_every_package():
    """A new top-level package with Python code needs a row in FORBIDDEN (or is a test/bench helper)."""
    found = {p.parent.name for p in ROOT.glob("*/*.py") if not p.parent.name.startswith(".")} - {"tests", "bench"}
    assert found == set(PACKAGES)
