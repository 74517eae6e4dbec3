"""The read door: names from the result, a statement timeout on PostgreSQL, statement timing for the bench."""

import ast
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from data_access import read
from data_access.models import Region
from data_access.queries import eakte, services

ROOT = Path(__file__).resolve().parents[2]


def test_an_empty_result_keeps_its_column_names(engine):
    df = read.frame(engine, select(Region.ars, Region.name.label("unit_name")).where(Region.ars == "nicht-da"))
    assert df.empty and list(df.columns) == ["ars", "unit_name"]


def test_row_and_scalar(engine):
    assert read.scalar(engine, select(text("41"))) == 41
    assert read.row(engine, select(Region.ars).where(Region.ars == "nicht-da")) is None


def test_recording_names_the_query_function_and_counts_every_statement(engine):
    with read.recording() as rec:
        eakte.ministries(engine)
        services.offers_meta(engine)
    names = [name for name, _ in rec.statements]
    assert names == ["data_access.queries.eakte.ministries", "data_access.queries.services.offers_meta"]
    assert rec.seconds >= 0
    eakte.ministries(engine)  # outside the context nothing is recorded (and nothing fails)
    assert len(rec.statements) == 2


def test_postgresql_reads_are_bounded_by_the_statement_timeout(engine, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("statement_timeout exists on PostgreSQL only; SQLite reads are local and bounded by the file")
    monkeypatch.setattr(read, "STATEMENT_TIMEOUT_S", 0.2)
    with pytest.raises(OperationalError, match="statement timeout"):
        read.scalar(engine, select(text("pg_sleep(2)")))
    assert read.scalar(engine, select(text("1"))) == 1  # SET LOCAL: the pooled connection is not left limited


def test_queries_read_only_through_the_door():
    """No query function opens its own connection: the timeout and the timing would be missing."""
    wrong = []
    for path in sorted((ROOT / "data_access" / "queries").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("connect", "begin")
                and getattr(node.value, "id", "") == "engine"
            ):
                wrong.append(f"{path.name}:{node.lineno}")
    assert not wrong, wrong
