"""The data version: one counter in the database, bumped in the same transaction as every write the pages show.

Writers (imports and their log, seeding, demo removal, geo build, reference data, import profiles) call `bump` as
the last statement of their transaction, so the new number becomes visible exactly when their rows do; readers
(pages/_cache) put `current` into every cache key. On PostgreSQL the UPDATE holds the row's lock until commit:
writers of different kinds queue only for that last moment.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from data_access.models import DataVersion
from data_access.read import scalar

ROW = 1


def current(engine: Engine) -> int:
    """The committed data version (0 when the row is missing, e.g. a database before migration 0009)."""
    return scalar(engine, select(DataVersion.version).where(DataVersion.id == ROW)) or 0


def bump(session: Session) -> None:
    """Count one change in the caller's transaction (call it last, just before the commit)."""
    now = dt.datetime.now().replace(microsecond=0)
    done = session.execute(
        update(DataVersion).where(DataVersion.id == ROW).values(version=DataVersion.version + 1, changed_at=now)
    )
    if done.rowcount == 0:
        session.execute(insert(DataVersion).values(id=ROW, version=2, changed_at=now))
