"""Alembic environment: runs with the engine handed over by data_access.db.migrate."""

from alembic import context

from data_access.db import make_engine
from data_access.models import Base

config = context.config
engine = config.attributes.get("engine") or make_engine()

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
