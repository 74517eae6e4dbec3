"""Lesehilfe und Methodik: what each figure counts and how (like the federal OZG dashboard's Lesehilfe).

The rules come from docs/ZAEHLREGELN.md and ../shared/docs/DOMAIN.md; every threshold is rendered from its constant
(data_access.counting, data_access.queries.eakte, charts.pi), so the text cannot drift from the code.
"""

import streamlit as st

from charts.pi import BAND
from data_access import counting
from data_access.models import SERVICE_MODELS
from data_access.queries.eakte import DEFAULT_THRESHOLD
from data_access.units import Level
from formatting import num, pct
from pages import _widgets
from pages._lesehilfe import SECTIONS


def section(anchor: str) -> None:
    st.header(SECTIONS[anchor], anchor=anchor)


def classes(level: Level) -> str:
    bounds = counting.SIZE_CLASSES[level]
    parts = [f"unter {num(bounds[0])}"]
    parts += [f"{num(lo)} bis unter {num(hi)}" for lo, hi in zip(bounds, bounds[1:], strict=False)]
    return " · ".join([*parts, f"ab {num(bounds[-1])}"])


_widgets.header(
    "Lesehilfe und Methodik",
    "Was die Zahlen des Dashboards zählen und wie. Jede Erläuterung auf den anderen Seiten verweist auf den "
    "passenden Abschnitt hier.",
)
st.markdown(" · ".join(f"[{title}](#{anchor})" for anchor, title in SECTIONS.items()))

section("zustaendigkeit")
st.markdown(
    "Wer einen Onlinedienst anbietet, entscheidet die **Zuständigkeit**: das Land, der Landkreis (bzw. die "
    "kreisfreie Stadt oder die Region Hannover) oder die Verwaltung der Gemeinde – eine Einheitsgemeinde oder eine "
    "Samtgemeinde, die für ihre Mitgliedsgemeinden handelt (auf der Karte: **Verwaltungseinheit**, VWG).\n\n"
    "Nutzbar ist für die Einwohner einer Gemeinde daher die **Vereinigung** dessen, was ihre Verwaltungseinheit, "
    "ihr Kreis und das Land anbieten. Ein Dienst zählt dabei **einmal**, auch wenn mehrere Ebenen ihn anbieten.\n\n"
    "Große selbständige Städte, selbständige Gemeinden, die Landeshauptstadt Hannover und die Stadt Göttingen "
    "nehmen einzelne Kreisaufgaben für ihre eigenen Einwohner wahr (NKomVG): für sie zählt ihr eigenes Angebot und "
    "das des Landkreises. Gemeindefreie Gebiete (Forsten, Inseln, Truppenübungsplätze) sind keine Kommunen und "
    "haben keinen Wert; die bewohnten Bezirke "
    + " und ".join(sorted(counting.INHABITED_UNINCORPORATED.values()))
    + " versorgt der Landkreis auch mit Gemeindeaufgaben."
)

section("flaechendeckend")
st.markdown(
    "- **Flächendeckend** in einem Kreis oder im Land: in **jeder** Verwaltungseinheit mit Einwohnern nutzbar.\n"
    "- **In mindestens einer Kommune**: irgendwo nutzbar – die schwächere Zahl. Wo beide stehen, heißen die nur "
    "irgendwo nutzbaren „**weitere**“ (wie im Dashboard Digitale Verwaltung des Bundes).\n"
    "- **Anbindungen**: Verwaltung × Onlinedienst, jede anbietende Stelle einzeln gezählt (z. B. "
    "„Fokusleistungs-Anbindungen“).\n\n"
    "Dieselbe Bezeichnung steht auf jeder Seite für dieselbe Zahl."
)

section("reifegrad")
online_1 = counting.ONLINE_FROM["1.x"]
online_2 = counting.ONLINE_FROM["2.0"]
st.markdown(
    "Als **online verfügbar** zählt ein Dienst erst mit einem Reifegrad, der die Antragstellung online erlaubt:\n\n"
    f"- **Reifegradmodell 1.x** (Stufen 0–4): ab Stufe **{online_1}**. Stufe 0 offline, 1 Information, "
    "2 Formular-Assistent (keine Online-Antragstellung), 3 Online-Leistung (Antrag einschließlich Nachweisen "
    "online), 4 Online-Transaktion (vollständig digital, einmalige Erfassung). Die schwächste von zehn Kriterien "
    "bestimmt die Stufe.\n"
    f"- **Reifegradmodell 2.0** (Stufen 0–7, seit Juli 2025): ab Stufe **{online_2}**. Unsere Quellen nennen noch "
    "keine amtliche Zuordnung; die Schwelle ist eine Einstellung des Betriebs (`DVN_REIFEGRAD_ONLINE_2_0`).\n\n"
    "Ein Reifegrad ohne Modellangabe wird als Modell 1.x gelesen. Dienste ohne bekannten Reifegrad und unter der "
    "Schwelle werden **nicht** gezählt, sondern auf der Karte unter „Reifegrad der Onlinedienste“ ausgewiesen."
)

section("fokusleistungen")
st.markdown(
    "**Fokusleistungen** sind vorrangige Verwaltungsleistungen, deren Anbindung in allen Kommunen das Land "
    "besonders verfolgt (z. B. Elterngeld, Ummeldung, Personalausweis, Kfz-Zulassung); das Land trägt ihre "
    "Betriebskosten, govdigital eG koordiniert die kommunale Einführung. Gezählt werden\n\n"
    "- Fokusleistungen **flächendeckend** bzw. in mindestens einer Kommune (wie oben),\n"
    "- **Anbindungen** in Kommunen: Kommune × Fokusleistung mit Status live (Kreise, Einheits- und Samtgemeinden),\n"
    "- der **Anteil der kommunalen Verwaltungen** mit mindestens einer angebundenen Fokusleistung.\n\n"
    "Die vollständige amtliche Liste mit LeiKa-Schlüsseln liegt unseren Quellen nicht vor; die Beispieldaten "
    "erfinden keine Schlüssel."
)

section("modelle")
st.markdown(
    "Jedes Angebot trägt sein Modell (" + ", ".join(SERVICE_MODELS) + "):\n\n"
    "- **EfA** („Einer für Alle“): ein Land baut den Dienst, andere nutzen ihn nach (Verträge über den "
    "Marktplatz).\n"
    "- **WfU** („Wir für Uns“): für Niedersachsen gebaut, meist auf der Plattform NAVO.\n"
    "- **Kommune**: ein eigener Dienst der Kommune.\n"
    "- **Land**: ein Dienst einer Landesbehörde für alle Einwohner.\n\n"
    "„Nachnutzbar (EfA/WfU)“ heißt: eine Kommune kann den Dienst übernehmen, statt ihn selbst zu bauen."
)

section("kaum-genutzt")
st.markdown(
    "Gezählt werden Anträge bzw. Transaktionen je Onlinedienst, **anbietender Einheit** und Kalendermonat, wie "
    "die Einheit oder die Plattform sie meldet; eine Zahl des Kreises wird nicht auf Gemeinden verteilt. "
    "**Je 1.000 Einwohner** heißt: Anträge × 1.000 ÷ Einwohner der anbietenden Einheit – nur, wo die "
    "Einwohnerzahl bekannt ist (sonst bleibt das Feld leer, nie 0).\n\n"
    f"**Live, aber kaum genutzt** ist ein Angebot, das seit mindestens **{counting.HARDLY_USED_MONTHS} vollen "
    f"Monaten** ohne Unterbrechung live ist, für **jeden** dieser {counting.HARDLY_USED_MONTHS} Monate eine Zahl "
    f"hat und im Zeitraum **weniger als {num(counting.HARDLY_USED_PER_1000, 1)} Anträge je 1.000 Einwohner** "
    f"hatte – ohne bekannte Einwohnerzahl weniger als **{num(counting.HARDLY_USED_BELOW)} Anträge**. Genau auf "
    "der Schwelle ist nicht „kaum genutzt“; fehlt ein Monat, wird nicht beurteilt (keine Meldung ist nicht keine "
    "Nutzung). Beide Schwellen sind Einstellungen des Betriebs (`DVN_KAUM_GENUTZT_JE_1000`, "
    "`DVN_KAUM_GENUTZT_UNTER`)."
)

section("vergleich")
st.markdown(
    "Verglichen wird mit Gleichem: **Vergleichsgruppe** = Art der Einheit und Größenklasse nach Einwohnern; ohne "
    "Einwohnerzahl entscheidet die Art allein, und der Steckbrief sagt das. Die Region Hannover steht bei den "
    "Landkreisen. Größenklassen (Einwohner):\n\n"
    f"- Verwaltungseinheit: {classes(Level.VWG)}\n"
    f"- Gemeinde: {classes(Level.GEM)}\n"
    f"- Kreis: {classes(Level.KRS)}"
)

section("vorhersagbarkeit")
st.markdown(
    "Das Programm arbeitet in Program Increments (PI, je ein Quartal). Jedes Team schreibt **PI-Ziele**; die "
    "Business Owner geben jedem einen **geplanten Geschäftswert** (1–10); Ziele sind **verbindlich** oder "
    "**unverbindlich** (Stretch). Nach dem PI wird der **erreichte Geschäftswert** bewertet.\n\n"
    "**Vorhersagbarkeit** = Σ erreichter Geschäftswert aller Ziele ÷ Σ geplanter Geschäftswert der verbindlichen "
    "Ziele. Unverbindliche Ziele zählen nur im Zähler, deshalb kann der Wert über 100 % liegen. "
    f"**Zielband: {pct(BAND[0])} bis {pct(BAND[1])}**. Ein laufendes PI ist noch nicht bewertet („läuft“)."
)

section("eakte")
st.markdown(
    "Gezählt werden die Landesbehörden im Rollout der eAkte (Basisdienst auf der VIS-Suite) mit ihrem Status "
    "am Stichtag: **produktiv**, **in Einführung**, **geplant** oder **keine Daten**.\n\n"
    "- **Nutzung** = aktive Nutzende ÷ geplante Arbeitsplätze (nur Behörden, die Arbeitsplätze planen).\n"
    "- **Im Verzug** zum Datenstand (nicht zum heutigen Tag): geplanter Start vor dem Stand und noch nicht "
    f"produktiv, oder produktiv mit einer Nutzung unter der Schwelle (Voreinstellung {pct(DEFAULT_THRESHOLD)}, "
    "auf der Seite einstellbar).\n"
    "- **Nach Ressort**: je Ressort der Anteil seiner Behörden nach Status; oben steht, wo am meisten zu tun ist.\n"
    "- **Ziel und Frist**: rund 30.000 Arbeitsplätze Ende 2025 (Handlungsplan, einschließlich Justiz); gezählt "
    "werden hier aktive Nutzende der Landesbehörden – ein Vergleich nur näherungsweise. Frist nach NDIG § 10: alle "
    "Landesbehörden ab 01.01.2026. Die Prognose ist ein linearer Trend, keine Planung."
)

section("handlungsbedarf")
st.markdown(
    "Jede Kennzahl der Übersicht zeigt ihre **Veränderung** und einen kleinen **Verlauf** (Tabelle unter den "
    "Kennzahlen):\n\n"
    "- **eAkte:** seit dem letzten Stichtag, der mindestens drei Monate vor dem Stand liegt (wie auf der "
    "eAkte-Seite); Verlauf: die letzten acht Stichtage.\n"
    "- **Onlinedienste und Anbindungen:** seit dem Vorquartal (derselbe Tag drei Monate vor dem Stand, wie im "
    "Steckbrief); Verlauf: die letzten acht Quartalsenden.\n"
    "- **Vorhersagbarkeit:** gegenüber dem vorigen abgeschlossenen PI, in Prozentpunkten; Verlauf: die letzten "
    "acht abgeschlossenen PIs.\n\n"
    "**Handlungsbedarf** nennt, was jetzt Aufmerksamkeit braucht, jeweils mit der Seite, die es erklärt:\n\n"
    "- Behörden **im Verzug** nach der Plan-Prüfung der eAkte-Seite (Start überfällig oder Nutzung unter der "
    "Schwelle von 50 %).\n"
    "- Onlinedienste, die seit dem Vorquartal **neu** in mindestens einer Kommune nutzbar sind, und solche, die "
    "nirgends mehr nutzbar sind (**zurückgezogen**) – nach derselben Regel wie „in mindestens einer Kommune“.\n"
    "- Kommunen (Einheits- und Samtgemeinden), deren Einwohnerinnen und Einwohner **weniger als die Hälfte** der "
    "Onlinedienste nutzen können, die der Median ihrer Vergleichsgruppe bietet (Gruppen wie im Steckbrief).\n"
    "- PI-Ziele: die Vorhersagbarkeit des letzten abgeschlossenen PI außerhalb des Zielbands 80–100 % und die "
    "Hinweise zur Datenqualität der PI-Seite."
)

section("stand")
st.markdown(
    "Jede Zahl trägt ihren **Stand** (das Datum der Daten, nicht des Aufrufs) und ihre **Quelle**, auch in "
    "jedem Download (Dateiname, Spalte „Herkunft“, Kopfzeile der Excel-Datei) und im Bild eines Diagramms. "
    "Veröffentlichte Zahlen (Meldungen von IT.Niedersachsen, Handlungsplan DVN vom 19.03.2024, Dashboard Digitale "
    "Verwaltung des Bundes) stehen mit Quelle und Stand neben den Zahlen der Datenbank, damit man beide "
    "vergleichen kann.\n\n"
    "Grenzen der Kommunen: BKG Verwaltungsgebiete, © GeoBasis-DE / BKG (Daten verändert), Datenlizenz "
    "Deutschland – Namensnennung 2.0. Die Maßnahmen und strategischen Maßnahmen stammen unverändert aus der "
    "Anlage des Handlungsplans."
)

section("beispieldaten")
st.markdown(
    "**Beispieldaten** sind synthetische Zeilen, solange noch keine echten Daten importiert sind. Sie bilden die "
    "veröffentlichten Zahlen nach (z. B. 41 von 53 Behörden mit eAkte im März 2025), sind aber **keine amtlichen "
    "Zahlen**. Überall, wo sie beitragen, steht das Band „Beispieldaten“ (neben echten Zeilen „teilweise "
    "Beispieldaten“), auch in Downloads und Bildern. Die Datenpflege entfernt sie auf der Seite „Daten“."
)
