"""Browser fixtures: one demo database with boundaries, one `streamlit run` server, headless Debian Chromium."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field

import pytest
from sqlalchemy import text

from tests.e2e import harness


@pytest.fixture(scope="session")
def app_data(_template, tmp_path_factory) -> harness.AppData:
    """A database like `make setup` builds it (copied from the migrated template), on SQLite or PostgreSQL."""
    kind, base, name, admin = _template
    work = tmp_path_factory.mktemp("e2e")
    if kind == "sqlite":
        target = work / "app.sqlite"
        shutil.copy(base, target)
        url = f"sqlite:///{target}"
    else:
        db = f"dvn_e2e_{uuid.uuid4().hex[:8]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{db}" TEMPLATE "{name}"'))
        url = base.set(database=db).render_as_string(hide_password=False)
    data = harness.prepare_database(url, work / "geo", work_dir=work)
    yield data
    if kind == "pg":
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def _server(app_data, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with harness.streamlit_server(app_data, log) as server:
        yield server
    harness.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(log, harness.ARTIFACTS / "streamlit-e2e.log")


@pytest.fixture(scope="session")
def app_server(_server, browser):
    """The running app after one visit of "/", so every test sees it in the same state whatever runs first.

    Streamlit treats the first session of a process specially when a pages/ folder exists (see
    test_first_visit_after_start_gets_the_app_navigation, which checks exactly that on its own server).
    """
    v = harness.new_visit(browser)
    try:
        harness.open_page(v, _server.base, "")
    finally:
        v.context.close()
    return _server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = harness.launch_browser(p)
        yield b
        b.close()


@pytest.fixture
def visit(browser):
    """A fresh browser context (de-DE) that records hosts, console errors and page errors."""
    v = harness.new_visit(browser, downloads=True)
    yield v
    v.context.close()


@dataclass
class PageReport:
    """What one visit of a page showed: text, exceptions, console errors, hosts, axe violations."""

    name: str
    seconds: float
    text: str
    h1: list[str]
    exceptions: list[str]
    console_errors: list[str]
    page_errors: list[str]
    hosts: set[str]
    external: list[str]
    dialogs: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)


@pytest.fixture(scope="session")
def page_report(browser, app_server, app_data):
    """Visit each page once per session (screenshot, axe run) and hand the findings to several tests."""
    from axe_playwright_python.sync_playwright import Axe

    cache: dict[str, PageReport] = {}
    axe = Axe()  # injects the axe.min.js bundled in the package via page.evaluate: no CDN

    def get(name: str) -> PageReport:
        if name in cache:
            return cache[name]
        v = harness.new_visit(browser)
        try:
            seconds = harness.open_page(v, app_server.base, harness.page_path(name, app_data))
            harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            v.page.screenshot(path=str(harness.SCREENSHOTS / f"{name}.png"), full_page=True)
            page = v.page
            result = axe.run(page, options={"resultTypes": ["violations"]})
            cache[name] = PageReport(
                name=name,
                seconds=seconds,
                text=" ".join(page.inner_text('[data-testid="stMain"]').split()),
                h1=[h.inner_text() for h in page.query_selector_all('[data-testid="stMain"] h1')],
                exceptions=[e.inner_text()[:300] for e in page.query_selector_all('[data-testid="stException"]')],
                console_errors=list(v.console_errors),
                page_errors=list(v.page_errors),
                hosts=set(v.hosts),
                external=list(v.external),
                dialogs=[d.inner_text() for d in page.query_selector_all('[role="dialog"]')],
                violations=result.response["violations"],
            )
        finally:
            v.context.close()
        return cache[name]

    return get
