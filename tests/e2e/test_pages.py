"""Every page in headless Chromium as a person sees it: renders, no errors, nothing leaves 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.e2e import harness

pytestmark = pytest.mark.e2e

ALL_PAGES = list(harness.PAGES)


@pytest.mark.parametrize("name", ALL_PAGES)
def test_page_renders_without_error(page_report, name):
    report = page_report(name)
    assert not report.exceptions, f"{name}: Fehlerelement sichtbar: {report.exceptions}"
    assert not report.page_errors, f"{name}: JavaScript-Fehler: {report.page_errors}"
    assert not report.console_errors, f"{name}: Fehler in der Browserkonsole: {report.console_errors}"
    assert report.h1, f"{name}: keine Überschrift gerendert; Text: {report.text[:300]}"
    assert (harness.SCREENSHOTS / f"{name}.png").stat().st_size > 10_000


@pytest.mark.parametrize("name", ALL_PAGES)
def test_page_stays_on_127_0_0_1(page_report, name):
    report = page_report(name)
    assert report.hosts, "keine Anfragen aufgezeichnet: die Aufzeichnung selbst ist defekt"
    assert report.hosts == {harness.LOCAL_HOST}, f"{name}: Anfragen an fremde Hosts: {report.external}"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_no_page_not_found_dialog_at_a_pages_own_address(page_report, name):
    """Streamlit's English "Page not found" dialog opens over the page when the address names no page."""
    report = page_report(name)
    assert not report.dialogs, f"{name}: Dialog über der Seite: {report.dialogs}"


def test_request_guard_catches_an_external_host(browser, app_server):
    """The offline check can fail: a request to another host is recorded (and aborted)."""
    v = harness.new_visit(browser)
    try:
        harness.open_page(v, app_server.base, "uebersicht")
        v.page.evaluate("() => fetch('http://example.invalid/x').catch(() => null)")
        v.page.wait_for_timeout(300)
    finally:
        v.context.close()
    assert any("example.invalid" in u for u in v.external)


def test_overview_shows_kpis_from_the_database(page_report, app_data):
    from data_access.db import make_engine
    from data_access.queries.overview import eakte_headline

    if not app_data.demo:
        pytest.skip("; ".join(app_data.notes))
    engine = make_engine(app_data.url)
    try:
        kpi = eakte_headline(engine)
    finally:
        engine.dispose()
    report = page_report("uebersicht")
    assert f"{kpi['productive']} von {kpi['scope']}" in report.text
    # The demo data reproduce the published figure (DOMAIN.md): 41 of 53 authorities in March 2025.
    assert "41 von 53" in report.text
    assert "Beispieldaten" in report.text


def test_steckbrief_opened_by_link(page_report, app_data):
    if not app_data.vwg_ars:
        pytest.skip("keine Verwaltungseinheit in der Datenbank")
    report = page_report("kommune")
    if "in Arbeit" in report.text:
        pytest.skip("pages/kommune.py ist noch ein Platzhalter")
    assert app_data.vwg_name in report.text, f"{app_data.vwg_ars} {app_data.vwg_name!r} fehlt: {report.text[:400]}"


def test_unknown_kommune_in_link_gives_a_german_message(visit, app_server, app_data):
    harness.open_page(visit, app_server.base, "kommune?ars=039999999")
    text = visit.page.inner_text('[data-testid="stMain"]')
    if "in Arbeit" in text:
        pytest.skip("pages/kommune.py ist noch ein Platzhalter")
    assert not visit.page.query_selector('[data-testid="stException"]')
    assert "Traceback" not in text
    assert "keine Kommune" in text, text[:300]


def test_page_path_fills_the_vwg_key(app_data):
    if app_data.vwg_ars:
        assert harness.page_path("kommune", app_data) == f"kommune?ars={app_data.vwg_ars}"


def test_console_filter_hides_only_streamlits_base_url_probe():
    probe = "Failed to load resource: the server responded with a status of 404 (Not Found) @ http://127.0.0.1:8501/karte/_stcore/health"
    assert not harness.is_real_console_error(probe)
    assert harness.is_real_console_error(probe.replace("/karte/_stcore/health", "/_stcore/health"))
    assert harness.is_real_console_error(probe.replace("/_stcore/health", "/static/app.js"))


NAV_TITLES = ["Übersicht", "Onlinedienste", "Kommune", "eAkte", "PI-Ziele", "Strategie", "Daten"]


@pytest.mark.parametrize("path, title", [("eakte", "eAkte-Rollout"), ("pi-ziele", "PI-Ziele")])
def test_first_visit_after_start_gets_the_app_navigation(browser, app_data, tmp_path, path, title):
    """A shared deep link as the very first request of a fresh server must still run dashboard.py.

    Streamlit runs a folder called pages/ as an old-style (v1) multipage app until st.navigation has run once
    in the process; the first visitor then sees file names (cache, widgets, …) instead of the app's pages, or
    a "Page not found" dialog where the url path is not a file name.
    """
    with harness.streamlit_server(app_data, tmp_path / "fresh.log") as server:
        v = harness.new_visit(browser)
        try:
            harness.open_page(v, server.base, path)
            links = [
                " ".join(a.inner_text().split()) for a in v.page.query_selector_all('[data-testid="stSidebarNav"] a')
            ]
            dialogs = [d.inner_text() for d in v.page.query_selector_all('[role="dialog"]')]
            heading = v.page.inner_text("h1")
        finally:
            v.context.close()
    shown = [next((t for t in NAV_TITLES if text.endswith(t)), text) for text in links]
    assert all(t in shown for t in NAV_TITLES) and not {"cache", "widgets"} & set(shown), shown
    assert not dialogs, dialogs
    assert heading.startswith(title), heading
