"""Several instances starting together on a fresh database: migrations and reference data run once, all succeed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from data_access.db import make_engine
from data_access.models import DataVersion, Measure, StrategicMeasure
from tests.conftest import PG_URL, _pg_admin

ROOT = Path(__file__).resolve().parents[2]
INSTANCES = 3

# What each instance does on start (pages/_cache._engine): ensure_ready, all at the same moment (START_AT).
# Without the lock both databases fail here ("table … already exists", a duplicate key in pg_type).
START = """
import os, time
from data_access.db import make_engine
from data_access.setup import ensure_ready
engine = make_engine()
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
ensure_ready(engine)
"""


@pytest.fixture
def fresh_url(tmp_path):
    """An empty database (no schema at all)."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    from sqlalchemy import make_url

    from data_access.db import database_url

    base = make_url(database_url())
    name = f"dvn_fresh_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin(str(base))
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_instances_starting_together_migrate_once(fresh_url):
    env = {**os.environ, "DATABASE_URL": fresh_url, "PYTHONPATH": str(ROOT), "START_AT": str(time.time() + 4)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", START], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(INSTANCES)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * INSTANCES, "\n".join(err for _, err in outs)

    engine = make_engine(fresh_url)
    try:
        with engine.connect() as c:
            assert c.scalars(text("SELECT version_num FROM alembic_version")).all() == ["0009"]
            assert c.scalar(select(func.count()).select_from(Measure)) == 43
            assert c.scalar(select(func.count()).select_from(StrategicMeasure)) == 43
            # The version starts at 1 (migration 0009) and each reference load bumps it: loaded exactly once.
            assert c.scalar(select(DataVersion.version)) == 2
    finally:
        engine.dispose()
