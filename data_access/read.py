"""The one door for reads: every query of data_access.queries goes through `reading` (and `frame`, `row`, `scalar`).

What the door adds, so no query has to remember it:
- column names come from the result (also for an empty result), never from a list kept beside the statement;
- on PostgreSQL a statement timeout (DVN_STATEMENT_TIMEOUT_S, default 30 s) bounds every read, so one bad plan
  cannot hang a session (imports are writes and wait for their lock instead: data_access.db.take_import_lock);
- each statement's time is recorded while `recording()` is active (make bench: statements and time per page).

Writes (imports, seeding, sign-in audit) use data_access.db.transaction.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Connection, Engine, event

STATEMENT_TIMEOUT_S = float(os.environ.get("DVN_STATEMENT_TIMEOUT_S", "30"))


@dataclass
class Record:
    """Statements run while recording: (query function, seconds) each."""

    statements: list[tuple[str, float]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(s for _, s in self.statements)


_active: list[Record] = []  # process-wide: a page runs in Streamlit's script thread, not the caller's
_lock = threading.Lock()


@contextmanager
def recording() -> Iterator[Record]:
    """Collect every statement of this process (its query function and time) while the block runs (bench, tests)."""
    rec = Record()
    with _lock:
        _active.append(rec)
    try:
        yield rec
    finally:
        with _lock:
            _active.remove(rec)


def _caller() -> str:
    """The function that asked: the first frame outside this module, SQLAlchemy and contextlib."""
    f = sys._getframe(1)
    while f is not None:
        module = f.f_globals.get("__name__", "")
        if module != __name__ and not module.startswith(("sqlalchemy", "contextlib")):
            return f"{module}.{f.f_code.co_name}"
        f = f.f_back
    return "?"


def _timed(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001 - SQLAlchemy event signature
    context._dvn_t0 = time.perf_counter()


def _done(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
    if _active and not statement.lstrip().upper().startswith("SET "):
        entry = (_caller(), time.perf_counter() - context._dvn_t0)
        with _lock:
            for rec in _active:
                rec.statements.append(entry)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read connection in one transaction (one snapshot on PostgreSQL) with the statement timeout."""
    _watch(engine)
    with engine.connect() as c, c.begin():
        if c.dialect.name == "postgresql":
            c.exec_driver_sql(f"SET LOCAL statement_timeout = {int(STATEMENT_TIMEOUT_S * 1000)}")
        yield c


def frame(engine: Engine, statement) -> pd.DataFrame:
    """The result of `statement` as a DataFrame; column names from the result (an empty result keeps them)."""
    with reading(engine) as c:
        result = c.execute(statement)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def row(engine: Engine, statement):
    """The first row of `statement` (a Row with named fields), or None."""
    with reading(engine) as c:
        return c.execute(statement).first()


def scalar(engine: Engine, statement):
    """The first column of the first row of `statement`, or None."""
    with reading(engine) as c:
        return c.scalar(statement)


def _watch(engine: Engine) -> None:
    """Attach the timing hooks once per engine (cheap: one clock read per statement when not recording)."""
    if not event.contains(engine, "before_cursor_execute", _timed):
        event.listen(engine, "before_cursor_execute", _timed)
        event.listen(engine, "after_cursor_execute", _done)
