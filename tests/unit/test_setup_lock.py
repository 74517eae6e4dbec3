"""Several instances starting together on a fresh database: migrations and reference data run once, all succeed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

from data_access.backup import head_revision
from data_access.db import make_engine
from data_access.models import DataVersion, Measure, StrategicMeasure

ROOT = Path(__file__).resolve().parents[2]
INSTANCES = 3

# What each instance does on start (pages/_cache._engine): ensure_ready, all at the same moment (START_AT).
# Without the lock both databases fail here ("table … already exists", a duplicate key in pg_type).
START = """
import os, time
from data_access.backup import head_revision
from data_access.db import make_engine
from data_access.setup import ensure_ready
engine = make_engine()
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
ensure_ready(engine)
"""


def test_instances_starting_together_migrate_once(empty_url):
    env = {**os.environ, "DATABASE_URL": empty_url, "PYTHONPATH": str(ROOT), "START_AT": str(time.time() + 4)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", START], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(INSTANCES)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * INSTANCES, "\n".join(err for _, err in outs)

    engine = make_engine(empty_url)
    try:
        with engine.connect() as c:
            assert c.scalars(text("SELECT version_num FROM alembic_version")).all() == [head_revision()]
            assert c.scalar(select(func.count()).select_from(Measure)) == 43
            assert c.scalar(select(func.count()).select_from(StrategicMeasure)) == 43
            # The version starts at 1 (migration 0009) and each reference load bumps it: loaded exactly once.
            assert c.scalar(select(DataVersion.version)) == 2
    finally:
        engine.dispose()
