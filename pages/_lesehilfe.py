"""The Lesehilfe's sections (anchor → title) and the one way to link to one: /methodik#anchor.

Every explanatory caption or help text that says how a figure is counted links here; tests/app/test_lesehilfe.py
checks that each link names a section the page really has.
"""

from __future__ import annotations

PATH = "/methodik"
SECTIONS = {
    "zustaendigkeit": "Wer bietet an: Zuständigkeit",
    "flaechendeckend": "Flächendeckend und in mindestens einer Kommune",
    "reifegrad": "Reifegrad: was als online zählt",
    "fokusleistungen": "Fokusleistungen und Anbindungen",
    "modelle": "Modelle: EfA, WfU, Kommune, Land",
    "kaum-genutzt": "Nutzungszahlen und „kaum genutzt“",
    "vergleich": "Fairer Vergleich nach Größe",
    "vorhersagbarkeit": "PI-Ziele: Geschäftswert und Vorhersagbarkeit",
    "eakte": "eAkte: Rollout, Nutzung und Verzug",
    "handlungsbedarf": "Übersicht: Veränderung und Handlungsbedarf",
    "stand": "Stand und Quellen",
    "beispieldaten": "Beispieldaten",
}
# Which sections explain each page (url path → anchors), linked in the page's footer (pages/_widgets.footer).
PAGE_SECTIONS = {
    "": ("handlungsbedarf", "flaechendeckend", "reifegrad", "fokusleistungen", "eakte", "vorhersagbarkeit", "stand"),
    "karte": ("zustaendigkeit", "flaechendeckend", "reifegrad", "modelle", "kaum-genutzt"),
    "kommune": ("zustaendigkeit", "reifegrad", "vergleich", "kaum-genutzt"),
    "dienste": ("zustaendigkeit", "reifegrad", "modelle"),
    "eakte": ("eakte", "stand"),
    "pi-ziele": ("vorhersagbarkeit",),
    "strategie": ("vorhersagbarkeit", "stand"),
    "daten": ("stand", "beispieldaten"),
    "praesentation": ("flaechendeckend", "eakte", "vorhersagbarkeit"),
}


def href(anchor: str) -> str:
    if anchor not in SECTIONS:
        raise KeyError(f"Lesehilfe hat keinen Abschnitt {anchor!r}")
    return f"{PATH}#{anchor}"


def link(anchor: str, text: str | None = None) -> str:
    """A markdown link to a section (our own text, never data): '[Lesehilfe: Reifegrad …](/methodik#reifegrad)'."""
    return f"[{text or 'Lesehilfe: ' + SECTIONS[anchor]}]({href(anchor)})"
