"""Bring a database to a usable state: schema at Alembic head, reference data present."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from data_access.db import migrate, transaction
from data_access.models import Measure
from data_access.reference import load_reference


def ensure_ready(engine: Engine) -> None:
    """Migrate to head and load the reference data if it is missing (idempotent, safe on start-up)."""
    migrate(engine)
    with transaction(engine) as s:
        has_reference = s.scalar(select(func.count()).select_from(Measure)) > 0
    if not has_reference:
        load_reference(engine)
