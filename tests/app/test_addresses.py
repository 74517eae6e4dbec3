"""AppTest: every page of the navigation answers at its own address (no "Page not found", no fallback)."""

from __future__ import annotations

import pytest

from tests.app._navigation import navigation  # noqa: F401  (fixture)
from tests.e2e import harness

pytestmark = pytest.mark.usefixtures("navigation")


def _addresses(at) -> dict[str, str]:
    """url path → script file of every page st.navigation registered (the default page's path is "")."""
    return {info["url_pathname"]: info["script_path"] for info in at._registered_pages.values()}


def test_every_address_names_a_registered_page(open_page, db_url):
    at = open_page(db_url)
    assert not at.exception, at.exception
    known = _addresses(at)
    for name, path in harness.PAGES.items():
        address = path.split("?")[0]
        # Streamlit resolves an address by url_pathname; an unknown one shows "Page not found" and the default page.
        assert address in known, f"{name}: /{address} ist keiner Seite zugeordnet: {sorted(known)}"


def test_uebersicht_address_opens_the_overview(open_page, db_url):
    at = open_page(db_url, "pages/uebersicht.py")
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["DVN-Dashboard"]
    # The run ended on the default page (served at "/"), so the navigation marks the Übersicht as current.
    assert [m.label for m in at.metric][:1] == ["Behörden mit eAkte produktiv"]
    current = at._registered_pages[at._finished_page_script_hash]
    assert current["url_pathname"] == "" and current["script_path"].endswith("pages/overview.py")


def test_uebersicht_address_keeps_its_parameters(open_page, db_url):
    at = open_page(db_url, "pages/uebersicht.py", {"x": "1"})
    assert not at.exception, at.exception
    assert at.query_params.get("x") in ("1", ["1"])
