"""AppTest: the Lesehilfe (/methodik) has every section, every page links to existing sections and to the legal
pages in its footer, and the legal pages show the operator's texts escaped and warn while placeholders remain."""

from __future__ import annotations

import re

import pytest

from data_access import counting
from data_access.db import make_engine
from data_access.queries import regions
from formatting import num
from pages._lesehilfe import PAGE_SECTIONS, SECTIONS
from pages._widgets import FOOTER_LINKS
from tests.app._markdown import seen
from tests.app._navigation import navigation  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("navigation")

PAGES = [
    "pages/overview.py",
    "pages/karte.py",
    "pages/kommune.py",
    "pages/dienste.py",
    "pages/eakte.py",
    "pages/pi-ziele.py",
    "pages/strategie.py",
    "pages/daten.py",
    "pages/praesentation.py",
    "pages/methodik.py",
    "pages/barrierefreiheit.py",
    "pages/impressum.py",
    "pages/datenschutz.py",
]
LEGAL = ["pages/barrierefreiheit.py", "pages/impressum.py", "pages/datenschutz.py"]
LINK = re.compile(r"\]\((/[\w-]*)(?:#([\w-]+))?\)")


def _strings(message):
    for field, value in message.ListFields():
        for v in value if field.is_repeated else [value]:
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


def _links(at) -> set[tuple[str, str]]:
    """(path, anchor) of every markdown link in any text of the page (bodies, captions, help texts)."""
    return {m.groups("") for text in _texts(at._tree) for m in LINK.finditer(text)}


@pytest.fixture(scope="module")
def vwg_ars(demo_url) -> str:
    e = make_engine(demo_url)
    try:
        return regions.units(e, level="VWG")["ars"].iloc[0]
    finally:
        e.dispose()


@pytest.fixture
def run(open_page, demo_url, demo_geo_dir, monkeypatch, vwg_ars):
    monkeypatch.setenv("DVN_GEO_DIR", str(demo_geo_dir))

    def _run(page: str, url: str | None = None):
        params = {"ars": vwg_ars} if page == "pages/kommune.py" else None
        at = open_page(url or demo_url, page, params)
        assert not at.exception, at.exception
        return at

    return _run


def test_methodik_has_every_section_with_its_anchor(run):
    at = run("pages/methodik.py")
    anchors = {h.proto.anchor: h.value for h in at.header}
    assert {a: anchors.get(a) for a in SECTIONS} == SECTIONS
    body = " ".join(seen(m.value) for m in at.markdown)
    # Thresholds come from the constants, not from the text.
    assert f"ab Stufe **{counting.ONLINE_FROM['1.x']}**" in body
    assert f"weniger als {num(counting.HARDLY_USED_PER_1000, 1)} Anträge je 1.000 Einwohner" in body
    assert f"weniger als **{num(counting.HARDLY_USED_BELOW)} Anträge**" in body
    assert "Zielband: 80 % bis 100 %" in body


def test_methodik_thresholds_follow_the_settings(run, monkeypatch):
    monkeypatch.setattr(counting, "HARDLY_USED_BELOW", 25)
    monkeypatch.setitem(counting.ONLINE_FROM, "2.0", 4)
    body = " ".join(seen(m.value) for m in run("pages/methodik.py").markdown)
    assert "weniger als **25 Anträge**" in body and "(Stufen 0–7, seit Juli 2025): ab Stufe **4**" in body


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_the_footer_and_its_lesehilfe_links_resolve(run, page):
    links = _links(run(page))
    paths = {path for path, _ in links}
    assert set(FOOTER_LINKS.values()) <= paths, f"{page}: Fußzeile fehlt: {sorted(paths)}"
    for path, anchor in links:
        if path == "/methodik" and anchor:
            assert anchor in SECTIONS, f"{page}: Verweis auf fehlenden Abschnitt #{anchor}"
    if page not in LEGAL and page != "pages/methodik.py":
        assert any(path == "/methodik" and anchor for path, anchor in links), f"{page}: kein Verweis in die Lesehilfe"


def test_page_sections_name_existing_sections():
    assert all(a in SECTIONS for anchors in PAGE_SECTIONS.values() for a in anchors)


def test_overview_help_texts_link_to_their_sections(run):
    helps = " ".join(m.proto.help for m in run("pages/overview.py").metric)
    for anchor in ("flaechendeckend", "eakte", "vorhersagbarkeit", "fokusleistungen"):
        assert f"](/methodik#{anchor})" in helps, anchor


@pytest.mark.parametrize("page", LEGAL)
def test_placeholders_are_flagged(run, page):
    at = run(page)
    assert any("noch nicht vollständig" in w.value for w in at.warning), page
    assert "Bitte eintragen:" in " ".join(seen(m.value) for m in at.markdown)


HOSTILE = "[Bitte neu anmelden](http://evil.example/) **fett** <img src=x>"


@pytest.fixture
def filled(tmp_path, monkeypatch):
    """A complete settings file whose texts try to smuggle in markup."""
    keys = {
        "betreiber": (
            "name",
            "anschrift",
            "vertreten_durch",
            "email",
            "telefon",
            "inhaltlich_verantwortlich",
            "internetadresse",
        ),
        "datenschutz": ("datenschutzbeauftragte", "betrieb", "aufsichtsbehoerde"),
        "barrierefreiheit": ("erstellt_am", "zuletzt_geprueft", "kontakt", "schlichtungsstelle"),
    }
    lines = []
    for section, names in keys.items():
        lines.append(f"[{section}]")
        lines += [f'{k} = "Testamt {section}.{k} {HOSTILE}"' for k in names]
    path = tmp_path / "rechtliches.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setenv("DVN_RECHTLICHES", str(path))
    return keys


@pytest.mark.parametrize("page", LEGAL)
def test_operator_texts_appear_escaped_and_complete_files_need_no_warning(run, filled, page):
    at = run(page)
    assert not any("noch nicht vollständig" in w.value for w in at.warning)
    bodies = [m.value for m in at.markdown]
    shown = [seen(b) for b in bodies]
    assert any("Testamt betreiber.name" in s and HOSTILE in s for s in shown), shown[:3]
    for body in bodies:
        if "Testamt" in body:
            live = re.sub(r"\\[!-/:-@\[-`{-~]", "", body)  # what markdown would still interpret
            assert "](" not in live and "<" not in live and "fett**" not in live, body


def test_the_presentations_last_slide_links_the_legal_pages(open_page, demo_url, demo_geo_dir, monkeypatch):
    from reports.slides import deck

    monkeypatch.setenv("DVN_GEO_DIR", str(demo_geo_dir))
    engine = make_engine(demo_url)
    try:
        n = len(deck(engine))
    finally:
        engine.dispose()
    wanted = {(url, "") for url in FOOTER_LINKS.values()}
    for slide in (n - 1, n):
        at = open_page(demo_url, "pages/praesentation.py", {"praesentation": "1", "folie": str(slide)})
        assert not at.exception, at.exception
        lines = [c.value for c in at.caption if wanted <= {m.groups("") for m in LINK.finditer(c.value)}]
        # The page foot has the line on every slide; the last slide has it once more, in the slide itself.
        assert len(lines) == (2 if slide == n else 1), (slide, lines)


@pytest.mark.parametrize(
    "address, expected",
    [
        ("https://dvn.niedersachsen.example/", "https://dvn.niedersachsen.example"),
        ("http://127.0.0.1:8501", "http://127.0.0.1:8501"),
        ("[Bitte eintragen: Internetadresse des Dashboards]", None),
        ("javascript:alert(1)", None),
        ("dvn.example.org", None),
    ],
)
def test_site_address_only_from_a_filled_http_url(tmp_path, monkeypatch, address, expected):
    from pages import _rechtliches

    path = tmp_path / "r.toml"
    path.write_text(f'[betreiber]\ninternetadresse = "{address}"\n', encoding="utf-8")
    monkeypatch.setenv("DVN_RECHTLICHES", str(path))
    assert _rechtliches.site_address() == expected
