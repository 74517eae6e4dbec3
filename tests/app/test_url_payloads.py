"""AppTest: markdown, HTML and link payloads in every query parameter of every page are shown escaped, never live.

Streamlit renders markdown in st.markdown/title/caption/error/warning/info/success, metric labels and widget labels.
A raw URL value there turns ``/pi-ziele?pi=[Bitte neu anmelden](http://evil)`` into a live phishing link and
``![x](http://evil/x.png)`` into an image fetched from another host. Each page must run, show the value only
escaped, and say in German that the value from the address is unknown.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.runtime.state.query_params_proxy import QueryParamsProxy

from data_access.db import make_engine
from data_access.queries import regions
from pages._widgets import MAP_FIT_JS
from tests.app._markdown import seen

ROOT = Path(__file__).resolve().parents[2]

PAYLOADS = [
    "[Bitte neu anmelden](http://evil.example/)",
    "![x](http://evil.example/x.png)",
    "<img src=http://evil.example/x>",
    "**fett**",
    "javascript:alert(1)",
]

# Every query parameter, the page that reads it and the parameters it needs to be read at all. Keep explicit:
# test_every_parameter_in_the_code_is_listed fails when a page reads a new one.
VALID_ARS = "valid-ars"  # replaced by a Verwaltungseinheit of the demo data
PARAMS = [
    (None, "praesentation", {}),  # read by dashboard.py; None: the start page "/" (/?praesentation=1 presents)
    ("pages/karte.py", "ebene", {}),
    ("pages/karte.py", "kennzahl", {}),
    ("pages/karte.py", "abdeckung", {"ebene": "KRS"}),  # only at Kreis level
    ("pages/karte.py", "themenfeld", {}),
    ("pages/karte.py", "modell", {}),
    ("pages/karte.py", "status", {}),
    ("pages/karte.py", "reifegrad", {}),
    ("pages/karte.py", "stichtag", {}),
    ("pages/karte.py", "fokus", {}),
    ("pages/karte.py", "dienst", {}),  # the service of the usage section
    ("pages/kommune.py", "ars", {}),
    ("pages/kommune.py", "stichtag", {"ars": VALID_ARS}),
    ("pages/dienste.py", "suche", {}),
    ("pages/dienste.py", "themenfeld", {}),
    ("pages/dienste.py", "dienst", {}),
    ("pages/dienste.py", "stichtag", {}),
    ("pages/eakte.py", "ressort", {}),
    ("pages/eakte.py", "status", {}),
    ("pages/eakte.py", "monate", {}),
    ("pages/eakte.py", "schwelle", {}),
    ("pages/eakte.py", "verzug", {}),
    ("pages/pi-ziele.py", "pi", {}),
    ("pages/pi-ziele.py", "team", {}),
    ("pages/strategie.py", "massnahme", {}),
    ("pages/strategie.py", "wert", {}),
    ("pages/strategie.py", "ebene", {}),
    ("pages/daten.py", "bereich", {}),
    ("pages/praesentation.py", "folie", {"praesentation": "1"}),
    ("pages/praesentation.py", "auto", {"praesentation": "1"}),
]
LISTED = {name for _, name, _ in PARAMS}
FREE_TEXT = {"suche"}  # a search box's text: every value is valid

# What must never survive unescaped in any text of the rendered page: links (but the BKG attribution the licence
# requires, the app's own Steckbrief links and the footer's Lesehilfe and legal pages), images, raw HTML, emphasis,
# autolinks and javascript: URLs.
LIVE = re.compile(
    r"\]\s*\((?!https://www\.bkg\.bund\.de\)|/kommune\?ars=\d+\)|/(?:methodik|barrierefreiheit|impressum|datenschutz)(?:#[\w-]+)?\))|!\[|<\s*[a-zA-Z/!]|\*\*fett|javascript:|https?://evil|www\.evil"
)
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")

# How the code names a parameter: st.query_params access, switch_page links and the helpers of pages/_url.py
# (each takes the parameter's name first).
NAMED = [
    r"query_params(?:\.get|\.pop|\.get_all)?\(\s*\"([a-z_]+)\"",
    r"query_params\[\s*\"([a-z_]+)\"\s*\]",
    r"\"([a-z_]+)\"\s+(?:not\s+)?in\s+st\.query_params",
    r"query_params=\{\s*\"([a-z_]+)\"",
    r"\b_url\.\w+\(\s*\"([a-z_]+)\"",
    r"\b_choice\(\s*\"([a-z_]+)\"",  # pages/_strategy_widgets.py: a wrapper of _url.segmented
    r"\bPARAM\s*=\s*\"([a-z_]+)\"",
]
# Outside pages/_url.py the address is only handed on whole (switch_page with the current parameters).
ADDRESS_HANDED_ON = "st.query_params.to_dict()"


def _code_params() -> set[str]:
    found = set()
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        for pattern in NAMED:
            found.update(re.findall(pattern, text))
    return found


def _strings(message):
    """Every text field of an element's protobuf message (markdown bodies, labels, help texts, options …)."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for v in values:
            if isinstance(v, str):
                yield v
            elif hasattr(v, "ListFields"):
                yield from _strings(v)


def _texts(node):
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ListFields"):
        yield from _strings(proto)
    for child in getattr(node, "children", {}).values():
        yield from _texts(child)


def _live(text: str) -> list[str]:
    """Markup that would be rendered: what is left after removing every backslash-escaped character."""
    return LIVE.findall(ESCAPE.sub("", text))


@pytest.fixture(scope="module")
def valid_ars(demo_url) -> str:
    e = make_engine(demo_url)
    try:
        options = regions.search_options(e)
    finally:
        e.dispose()
    return str(options.loc[options["level"] == "VWG", "ars"].iloc[0])


@pytest.fixture
def run(open_page, demo_url, demo_geo_dir, monkeypatch, valid_ars):
    monkeypatch.setenv("DVN_GEO_DIR", str(demo_geo_dir))

    def _run(page: str | None, params: dict):
        params = {k: (valid_ars if v == VALID_ARS else v) for k, v in params.items()}
        return open_page(demo_url, page, params, timeout=180)  # the map with 967 Gemeinden is the slow one

    return _run


def test_markers_catch_the_raw_payloads():
    """The check itself: every payload counts as live when shown raw, none when escaped with _widgets.md."""
    from pages._widgets import md

    for payload in PAYLOADS:
        assert _live(f"Der Wert „{payload}“ ist unbekannt"), payload
        assert not _live(f"Der Wert „{md(payload)}“ ist unbekannt"), payload


def test_every_parameter_in_the_code_is_listed():
    found = _code_params()
    assert {"ars", "pi", "team", "ressort", "monate", "abdeckung", "folie", "praesentation"} <= found  # grep works
    assert found - LISTED == set(), "query parameter without a payload test: add it to PARAMS"
    assert LISTED - found == set(), "PARAMS names a parameter that no page reads"


def test_only_the_url_module_reads_or_writes_the_address():
    """One policy for bad values needs one door: every page reads and writes st.query_params through pages/_url.py."""
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]:
        if path.name == "_url.py":
            continue
        text = path.read_text(encoding="utf-8").replace(ADDRESS_HANDED_ON, "")
        assert "st.query_params" not in text, f"{path.name} touches st.query_params: use pages/_url.py"


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    ("page", "name", "extra"), PARAMS, ids=[f"{p[6:-3] if p else 'start'}-{n}" for p, n, _ in PARAMS]
)
def test_payload_is_shown_escaped_with_a_german_hint(run, page, name, extra, payload):
    at = run(page, {**extra, name: payload})
    assert not at.exception, at.exception
    from pages._copy_link import HTML as COPY_LINK  # a constant with markup of its own and no data in it

    # Likewise the map-fit script (pages/_widgets.MAP_FIT_JS): a constant of the code, not a payload.
    texts = [t for t in _texts(at._tree) if t not in (COPY_LINK, MAP_FIT_JS)]
    if name in FREE_TEXT:  # the search box holds the text itself: an <input> value, never rendered as markup
        assert [w.value for w in at.text_input if w.value == payload], f"?{name}= not in the search box"
        texts = [t for t in texts if t != payload]
    live = {t: _live(t) for t in texts if _live(t)}
    assert not live, f"unescaped markup from ?{name}= on {page}: {live}"
    if name in FREE_TEXT:  # any text is a valid search: shown back escaped, no "unknown value" hint
        assert any(payload in seen(e.value) for e in at.info), f"?{name}= not shown back on {page}"
        return
    hints = [seen(e.value) for e in (*at.warning, *at.error) if "in der Adresse" in e.value]
    assert any(payload in h for h in hints), f"no German hint naming the value of ?{name}= on {page}"


def test_pages_read_only_listed_parameters(run, monkeypatch):
    """What the pages read at run time (with every parameter set to a payload) is in PARAMS too."""
    read = set()
    original = QueryParamsProxy.__getitem__

    def recording(self, key):
        read.add(key)
        return original(self, key)

    monkeypatch.setattr(QueryParamsProxy, "__getitem__", recording)
    for page in sorted({p for p, _, _ in PARAMS}, key=str):
        names = {n: PAYLOADS[0] for p, n, _ in PARAMS if p == page}
        extra = {k: v for p, _, e in PARAMS if p == page for k, v in e.items()}
        at = run(page, {**names, **extra})
        assert not at.exception, at.exception
    assert read - LISTED == set()
