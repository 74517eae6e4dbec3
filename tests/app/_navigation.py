"""AppTest helper: run the pages through dashboard.py's st.navigation, as a server does after its first session.

AppTest resets Streamlit's pages/-folder flag before every run; pages/__init__.py switches it back only when the
package is first imported, so a later AppTest in the same process would run the page files on their own (without
dashboard.py: no navigation, no footer). Use as a fixture: `pytestmark = pytest.mark.usefixtures("navigation")`.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture
def navigation(monkeypatch):
    init = PagesManager.__init__

    def v2_only(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", v2_only)
