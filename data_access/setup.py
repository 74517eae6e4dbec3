"""Bring a database to a usable state: schema at Alembic head, reference data present."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from data_access.db import migrate, transaction
from data_access.models import Measure
from data_access.reference import load_reference

# Any fixed 64-bit number, the same in every instance: the PostgreSQL advisory lock of "setting up the schema".
SETUP_LOCK_KEY = 0x44564E5F5345  # "DVN_SE"
SETUP_LOCK_WAIT_SECONDS = 600


def ensure_ready(engine: Engine) -> None:
    """Migrate to head and load the reference data if it is missing (idempotent, safe on start-up).

    Several instances starting together queue behind one lock (setup_lock), so the migrations and the reference
    data run once; the others find the schema at head and the reference data there.
    """
    with setup_lock(engine):
        migrate(engine)
        with transaction(engine) as s:
            has_reference = s.scalar(select(func.count()).select_from(Measure)) > 0
        if not has_reference:
            load_reference(engine)


@contextmanager
def setup_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's set-up lock for the block: PostgreSQL's session advisory lock SETUP_LOCK_KEY, on SQLite an
    exclusive lock on the file `<database>.setup-lock` beside it (fcntl.flock; released when the process ends,
    too). An in-memory SQLite database belongs to one process and needs none."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as c:
            c.execute(text(f"SET lock_timeout = '{SETUP_LOCK_WAIT_SECONDS}s'"))
            c.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SETUP_LOCK_KEY})
            c.execute(text("RESET lock_timeout"))
            c.commit()  # a session-level lock outlives the transaction; nothing stays open meanwhile
            try:
                yield
            finally:
                c.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SETUP_LOCK_KEY})
                c.commit()
        return
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f"{path}.setup-lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
