"""Shared fixtures: a fresh migrated database per test, on SQLite or (with DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from data_access.db import make_engine, migrate
from data_access.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("DATABASE_URL", "")
# The operations log of test runs goes to a temporary file, not into data/logs (tests that check it set their own).
os.environ.setdefault("DVN_LOG_FILE", str(Path(os.environ.get("TMPDIR", "/tmp")) / f"dvn-tests-{os.getpid()}.jsonl"))


def _pg_admin(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def _template(tmp_path_factory):
    """A migrated database with the reference data, copied for each test (fast)."""
    if PG_URL:
        from data_access.db import database_url

        url = make_url(database_url())
        name = f"dvn_tmpl_{uuid.uuid4().hex[:8]}"
        admin = _pg_admin(str(url))
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        tmpl = make_engine(url.set(database=name).render_as_string(hide_password=False))
        migrate(tmpl)
        load_reference(tmpl)
        tmpl.dispose()
        yield ("pg", url, name, admin)
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("tmpl") / "template.sqlite"
        tmpl = make_engine(f"sqlite:///{path}")
        migrate(tmpl)
        load_reference(tmpl)
        tmpl.dispose()
        yield ("sqlite", path, None, None)


@pytest.fixture
def db_url(_template, tmp_path) -> str:
    """URL of a fresh database holding schema and reference data, nothing else."""
    kind, base, name, admin = _template
    if kind == "sqlite":
        target = tmp_path / "test.sqlite"
        shutil.copy(base, target)
        yield f"sqlite:///{target}"
        return
    new = f"dvn_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{new}" TEMPLATE "{name}"'))
    yield base.set(database=new).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{new}" WITH (FORCE)'))


@pytest.fixture
def empty_url(tmp_path):
    """URL of an empty database (no schema at all) on the test's database system."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    from data_access.db import database_url

    base = make_url(database_url())
    name = f"dvn_empty_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin(str(base))
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(db_url):
    e = make_engine(db_url)
    yield e
    e.dispose()


def boundaries_zip(tmp_path_factory) -> Path:
    """The real BKG zip when env BOUNDARIES points at one, else the tiny committed-code fixture zip."""
    real = os.environ.get("BOUNDARIES", "").strip()
    if real and Path(real).is_file():
        return Path(real)
    from tests.fixtures.make_bkg_zip import make_zip

    return make_zip(tmp_path_factory.mktemp("bkg") / "vg5000_01-01.gk3.shape.ebenen.zip")


@pytest.fixture(scope="session")
def demo_geo_dir(tmp_path_factory) -> Path:
    """Map files (GeoJSON) built together with the demo database; point DVN_GEO_DIR here in page tests."""
    return tmp_path_factory.mktemp("demo_geo")


@pytest.fixture(scope="session")
def demo_url(_template, tmp_path_factory, demo_geo_dir) -> str:
    """A database with boundaries (BOUNDARIES or the fixture zip) and the full demo data set, shared read-only."""
    from data_access import demo
    from geo.build import build_boundaries

    kind, base, name, admin = _template
    if kind == "sqlite":
        target = tmp_path_factory.mktemp("demo") / "demo.sqlite"
        shutil.copy(base, target)
        url = f"sqlite:///{target}"
    else:
        new = f"dvn_demo_{uuid.uuid4().hex[:8]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{new}" TEMPLATE "{name}"'))
        url = base.set(database=new).render_as_string(hide_password=False)
    e = make_engine(url)
    build_boundaries(str(boundaries_zip(tmp_path_factory)), engine=e, out_dir=demo_geo_dir)
    demo.seed(e)
    e.dispose()
    yield url
    if kind == "pg":
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{new}" WITH (FORCE)'))


@pytest.fixture
def demo_engine(demo_url):
    e = make_engine(demo_url)
    yield e
    e.dispose()


@pytest.fixture
def app_env(monkeypatch):
    """Point the Streamlit app at a database URL and start with empty Streamlit caches."""
    import streamlit as st

    def use(url: str):
        monkeypatch.setenv("DATABASE_URL", url)
        st.cache_data.clear()
        st.cache_resource.clear()

    yield use
    st.cache_data.clear()
    st.cache_resource.clear()


DASHBOARD = str(ROOT / "dashboard.py")


@pytest.fixture
def open_page(app_env):
    """Run the app with AppTest on a database: open_page(url, "pages/eakte.py", {"behoerde": "MI"})."""
    from streamlit.testing.v1 import AppTest

    def _open(url: str, page: str | None = None, params: dict | None = None, timeout: float = 60) -> AppTest:
        app_env(url)
        at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        if page:
            at.switch_page(page)
        at.run()
        return at

    return _open
