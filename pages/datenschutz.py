"""Datenschutzerklärung (Art. 13 DSGVO): what the app itself processes (from the code), who is responsible (settings)."""

import streamlit as st

from pages import _rechtliches as r
from pages import _widgets

USED = {
    "betreiber": ("name", "anschrift", "email"),
    "datenschutz": ("datenschutzbeauftragte", "betrieb", "aufsichtsbehoerde"),
}

texts = r.load()
_widgets.header("Datenschutz", "Welche personenbezogenen Daten das DVN-Dashboard verarbeitet, wozu und wie lange.")
r.warn_if_unfilled(texts, USED)

st.header("Verantwortlicher", anchor="verantwortlicher")
r.text(r.value(texts, "betreiber", "name"))
r.text(r.value(texts, "betreiber", "anschrift"))
r.field("E-Mail", r.value(texts, "betreiber", "email"))
st.header("Datenschutzbeauftragte oder Datenschutzbeauftragter", anchor="datenschutzbeauftragte")
r.text(r.value(texts, "datenschutz", "datenschutzbeauftragte"))

st.header("Was beim Aufruf verarbeitet wird", anchor="aufruf")
st.markdown(
    "- **Verbindung zur Anwendung:** Für die Dauer des Besuchs hält der Browser eine Verbindung zum Server; "
    "Auswahlen (Filter, Seite) stehen in der Adresse und in der Sitzung auf dem Server und werden mit ihr "
    "verworfen. Die Anwendung setzt keine Cookies zu Werbe- oder Analysezwecken, misst keine Nutzung und lädt "
    "nichts von fremden Servern (Schriften, Karten und Skripte kommen vom selben Server).\n"
    "- **Betrieb des Servers:** "
    + _widgets.md(r.value(texts, "datenschutz", "betrieb"))
    + "\n- **Rechtsgrundlage:** Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit dem Niedersächsischen "
    "Datenschutzgesetz (NDSG): Bereitstellung des Dashboards als Aufgabe der Behörde."
)
st.header("Anmeldung der Datenpflege", anchor="anmeldung")
st.markdown(
    "Nur wer Daten pflegt, meldet sich an (Seite „Daten“). Jeder Anmeldeversuch wird protokolliert: Zeitpunkt, "
    "eingegebener Name, Adresse der Verbindung, Verfahren und Ergebnis – **nie ein Passwort**. Zweck: Schutz vor "
    "dem Erraten von Passwörtern (Wartezeit und Sperre) und Nachvollziehbarkeit der Datenpflege. Das Protokoll "
    "sieht nur die angemeldete Datenpflege. Importe werden mit Zeitpunkt und Dateiname protokolliert."
)
st.header("Ihre Rechte", anchor="rechte")
st.markdown(
    "Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung "
    "der Verarbeitung (Art. 18) und Widerspruch (Art. 21). Wenden Sie sich dafür an den Verantwortlichen oben. "
    "Sie können sich außerdem bei der Aufsichtsbehörde beschweren:"
)
r.text(r.value(texts, "datenschutz", "aufsichtsbehoerde"))
extra = texts["datenschutz"].get("zusatz", "")
if extra.strip():
    r.text(extra)
