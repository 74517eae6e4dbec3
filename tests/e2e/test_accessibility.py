"""Accessibility in the browser: axe-core (bundled, injected locally) on every page, and keyboard reach."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.e2e import harness

pytestmark = pytest.mark.e2e

ALLOWLIST = Path(__file__).with_name("axe_allowlist.toml")
BLOCKING = {"serious", "critical"}


def allowlist() -> list[dict]:
    return tomllib.loads(ALLOWLIST.read_text(encoding="utf-8")).get("allow", [])


def allowed(rule: str, page: str) -> bool:
    return any(a["rule"] == rule and a["page"] in (page, "*") for a in allowlist())


def describe(v: dict) -> str:
    node = v["nodes"][0]
    return (
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} – z. B. {node['target']}: "
        f"{node.get('failureSummary', '').splitlines()[-1:]}"
    )


def test_allowlist_entries_are_documented():
    for entry in allowlist():
        assert set(entry) >= {"rule", "page", "reason"}, entry
        assert entry["page"] == "*" or entry["page"] in harness.PAGES, entry
        assert len(entry["reason"].strip()) > 20, f"Begründung zu kurz: {entry}"


def test_axe_is_injected_from_the_package():
    from axe_playwright_python import base
    from axe_playwright_python.sync_playwright import Axe

    script = Axe().axe_script
    assert script == base.AXE_FILE_PATH.read_text()
    assert script.startswith("/*! axe v4")


@pytest.mark.parametrize("name", list(harness.PAGES))
def test_no_serious_accessibility_violations(page_report, name):
    report = page_report(name)
    blocking = [v for v in report.violations if v["impact"] in BLOCKING and not allowed(v["id"], name)]
    assert not blocking, f"{name}: " + "\n".join(describe(v) for v in blocking)
    # axe ran inside the page without fetching anything: the offline check covers its run too.
    assert report.hosts == {harness.LOCAL_HOST}, report.external


def test_allowlist_entries_still_match(page_report):
    for entry in allowlist():
        pages = list(harness.PAGES) if entry["page"] == "*" else [entry["page"]]
        hits = [p for p in pages if any(v["id"] == entry["rule"] for v in page_report(p).violations)]
        assert hits, f"Eintrag nicht mehr nötig, bitte aus {ALLOWLIST.name} entfernen: {entry}"


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   const box = e && e.closest('[data-testid]');
                   return {tag: e ? e.tagName : '', href: e && e.getAttribute('href') || '',
                           testid: box ? box.getAttribute('data-testid') : '',
                           label: e ? (e.getAttribute('aria-label') || e.innerText || '').trim() : ''}; }"""
    )


def tab_until(page, predicate, *, limit: int = 80) -> list[dict]:
    """Press Tab until predicate(focused element) holds; returns the focus path (fails after `limit` presses)."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        f = focused(page)
        path.append(f)
        if predicate(f):
            return path
    raise AssertionError(
        f"nach {limit}× Tab nicht erreicht; Fokusweg: {[(p['testid'], p['label'][:20]) for p in path]}"
    )


def test_sidebar_navigation_reachable_by_keyboard(visit, app_server):
    harness.open_page(visit, app_server.base, harness.PAGES["uebersicht"])
    page = visit.page
    path = tab_until(page, lambda f: f["href"].rstrip("/").endswith("/daten"))
    reached = {p["href"].rstrip("/").rsplit("/", 1)[-1] for p in path if p["testid"] == "stSidebarNavLink"}
    assert {"karte", "kommune", "eakte", "pi-ziele", "strategie", "daten"} <= reached, reached
    # Enter on the focused link opens the page.
    page.keyboard.press("Enter")
    page.wait_for_url("**/daten")
    harness.wait_ready(page)
    assert "daten" in page.url


def first_page_with(app_server, browser, selector: str, data) -> tuple[str, object] | None:

    for name in harness.PAGES:
        v = harness.new_visit(browser)
        harness.open_page(v, app_server.base, harness.page_path(name, data))
        if v.page.query_selector(selector):
            return name, v
        v.context.close()
    return None


def test_selectbox_reachable_and_usable_by_keyboard(browser, app_server, app_data):
    found = first_page_with(app_server, browser, '[data-testid="stMain"] [data-testid="stSelectbox"]', app_data)
    if not found:
        pytest.skip("noch keine Seite mit Auswahlfeld")
    name, v = found
    try:
        page = v.page
        page.locator('[data-testid="stMain"]').focus()  # start tabbing in the main area (it has tabindex=0)
        tab_until(page, lambda f: f["testid"] == "stSelectbox" and f["tag"] == "INPUT")
        index = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stSelectbox"]')]
                     .indexOf(document.activeElement.closest('[data-testid="stSelectbox"]'))"""
        )
        box = page.locator('[data-testid="stSelectbox"]').nth(index)
        before = (page.url, box.inner_text())
        page.keyboard.press("ArrowDown")
        page.wait_for_selector('[role="listbox"] [role="option"]', timeout=5000)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        harness.wait_ready(page)
        # Either the choice shows in the box, or (a search box) it opened another page.
        changed = page.url != before[0] or box.inner_text() != before[1]
        assert changed, f"{name}: Auswahl per Tastatur hat nichts geändert"
        assert not page.query_selector('[data-testid="stException"]')
    finally:
        v.context.close()
