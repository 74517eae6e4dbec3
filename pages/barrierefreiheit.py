"""Erklärung zur Barrierefreiheit (BITV 2.0 § 7, model of Durchführungsbeschluss (EU) 2018/1523 to 2016/2102).

The state of conformity and the known limitations are the app's own (what the tests and manual checks found);
dates, contacts and the Schlichtungsstelle come from the operator's settings (pages/_rechtliches.py).
"""

import tomllib

import streamlit as st

from pages import _rechtliches as r
from pages import _widgets

AXE_ALLOWLIST = r.ROOT / "tests" / "e2e" / "axe_allowlist.toml"
USED = {
    "betreiber": ("name", "internetadresse"),
    "barrierefreiheit": ("erstellt_am", "zuletzt_geprueft", "kontakt", "schlichtungsstelle"),
}
# What is known not to be accessible, and the alternative the app offers (manual checks and the browser tests).
LIMITATIONS = [
    "**Karten** (Onlinedienste, Steckbrief, Präsentation) lassen sich nicht mit der Tastatur oder einem "
    "Screenreader erkunden; ihre Werte stehen unter jeder Karte in der „Tabelle zum Diagramm“ und als CSV/Excel.",
    "**Diagramme** geben ihre Werte als Grafik und im Tooltip (nur mit Maus oder Touch) aus; dieselben Werte stehen "
    "in der „Tabelle zum Diagramm“ darunter.",
    "**Tabellen** werden als Zeichenfläche (Canvas) dargestellt; Screenreader lesen sie nur eingeschränkt vor. "
    "Jede Tabelle gibt es als CSV- und Excel-Download.",
    "Einige **Bedienelemente und Meldungen der Plattform** (Streamlit) sind englisch beschriftet, z. B. „Skip to "
    "main content“, Menüs der Diagramme und Tabellen (WCAG 3.1.2 Sprache von Teilen).",
    "Die **Exporte** (PDF- und PowerPoint-Foliensatz, Diagrammbilder) sind nicht auf Barrierefreiheit geprüft; "
    "das PDF ist nicht getaggt. Die Zahlen stehen barrierearm in den Tabellen-Downloads.",
    "Die Seiten sind für die **Bildschirmbreite von Smartphones** noch nicht vollständig angepasst; einzelne "
    "Bereiche (Karte, breite Tabellen) erfordern seitliches Scrollen.",
]


def accepted_findings() -> list[dict]:
    """The automatic check's accepted findings (tests/e2e/axe_allowlist.toml), each with its reason."""
    try:
        return list(tomllib.loads(AXE_ALLOWLIST.read_text(encoding="utf-8")).get("allow", []))
    except (OSError, tomllib.TOMLDecodeError):
        return []


texts = r.load()
_widgets.header(
    "Erklärung zur Barrierefreiheit",
    "Diese Erklärung gilt für das DVN-Dashboard und folgt § 7 der Barrierefreie-Informationstechnik-Verordnung "
    "(BITV 2.0) und der Richtlinie (EU) 2016/2102, wie sie das Niedersächsische Behindertengleichstellungsgesetz "
    "(NBGG) für öffentliche Stellen des Landes vorsieht.",
)
r.warn_if_unfilled(texts, USED)
r.field("Betreiber", r.value(texts, "betreiber", "name"))
r.field("Internetadresse", r.value(texts, "betreiber", "internetadresse"))

st.header("Stand der Vereinbarkeit mit den Anforderungen", anchor="stand-der-vereinbarkeit")
st.markdown(
    "Das DVN-Dashboard ist mit den Anforderungen der BITV 2.0 bzw. der EN 301 549 (WCAG 2.1, Stufe AA) "
    "**teilweise vereinbar**. Die Unvereinbarkeiten sind unten aufgeführt."
)

st.header("Nicht barrierefreie Inhalte", anchor="nicht-barrierefreie-inhalte")
st.markdown("\n".join(f"- {item}" for item in LIMITATIONS))
findings = accepted_findings()
if findings:
    st.markdown("Von der automatischen Prüfung hingenommene Befunde, jeweils mit Begründung:")
    st.markdown(
        "\n".join(
            f"- {_widgets.md(f.get('rule', ''))} (Seite {_widgets.md(f.get('page', ''))}): {_widgets.md(f.get('reason', ''))}"
            for f in findings
        )
    )

st.header("Erstellung dieser Erklärung", anchor="erstellung")
r.field("Erstellt am", r.value(texts, "barrierefreiheit", "erstellt_am"))
r.field("Zuletzt überprüft am", r.value(texts, "barrierefreiheit", "zuletzt_geprueft"))
st.markdown(
    "Grundlage ist eine **Selbstbewertung**: Bei jeder Änderung prüft eine automatische Browserprüfung jede Seite "
    "mit axe-core (Regeln der WCAG 2.1 A und AA; schwerwiegende und kritische Befunde lassen die Prüfung "
    + (
        "scheitern, hingenommene Befunde stehen oben)"
        if findings
        else "scheitern; derzeit ist kein Befund hingenommen)"
    )
    + ", dazu die Bedienung der Navigation und der Auswahlfelder mit der Tastatur. Ein vollständiger BITV-Test "
    "durch eine unabhängige Prüfstelle liegt nicht vor."
)

st.header("Barrieren melden: Feedback und Kontakt", anchor="feedback")
st.markdown(
    "Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten aufgefallen, oder benötigen Sie Informationen in "
    "barrierefreier Form (z. B. eine Tabelle oder einen Bericht)? Wenden Sie sich bitte an:"
)
r.text(r.value(texts, "barrierefreiheit", "kontakt"))

st.header("Schlichtungsverfahren", anchor="schlichtungsverfahren")
st.markdown(
    "Erhalten Sie auf Ihre Meldung innerhalb von sechs Wochen keine zufriedenstellende Antwort, können Sie ein "
    "kostenloses **Schlichtungsverfahren** bei der Schlichtungsstelle nach dem Niedersächsischen "
    "Behindertengleichstellungsgesetz (NBGG) beantragen, die bei der oder dem **Landesbeauftragten für Menschen mit "
    "Behinderungen Niedersachsen** eingerichtet ist. Ziel ist eine außergerichtliche Einigung; Sie brauchen dafür "
    "keinen Rechtsbeistand. Kontakt:"
)
r.text(r.value(texts, "barrierefreiheit", "schlichtungsstelle"))
extra = texts["barrierefreiheit"].get("zusatz", "")
if extra.strip():
    r.text(extra)
