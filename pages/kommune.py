"""Kommune (Steckbrief): what residents of one unit can use online, a fair comparison, gaps and history."""

import html
import re

import streamlit as st

from charts import services as charts
from data_access import counting
from data_access.provenance import Stand
from data_access.queries import regions, steckbrief
from data_access.queries import services as q
from data_access.units import Level
from formatting import date, num, pct
from pages import _cache, _url, _usage_widgets, _widgets
from pages import _map_widgets as w
from pages._copy_link import copy_link_button
from pages._widgets import md
from reports import notes, tables
from reports.files import slug

ARS = re.compile(r"^03\d{0,10}$")
ARS_NOTE = (
    "Zu diesem Schlüssel gibt es keine Kommune in Niedersachsen; ein ARS beginnt mit 03 und hat 5 (Kreis), "
    "9 (Verwaltungseinheit) oder 12 Stellen (Gemeinde)."
)
meta = _cache.load(q.offers_meta)
demo = bool(meta and meta["is_demo"])
mixed = bool(meta and meta["is_mixed"])  # real offers beside the demo ones
ars = (_url.get("ars") or "").strip()
info = _cache.load(regions.unit, ars=ars) if ARS.match(ars) else None
if info is None:
    st.title("Steckbrief einer Kommune")
    if ars:
        _url.unknown(ars, what="den Regionalschlüssel (ARS)", shown="die Suche", note=ARS_NOTE)
    else:
        st.info("Bitte eine Kommune wählen – oder auf der Karte „Onlinedienste“ anklicken.", icon=":material/info:")
    w.search()
    st.stop()

kreis = f" · {md(info.kreis_name)}" if info.kreis_name and info.level != Level.KRS else ""
kind = {"gemeindefrei": "gemeindefreies Gebiet", "gemeindefrei bewohnt": "gemeindefreier Bezirk"}.get(
    info.category, info.unit_type
)
_widgets.header(
    md(info.name),
    f"**{md(kind)}**{kreis} · ARS {ars} · Stand der Angebote: {date(meta and meta['as_of'])}",
    demo=demo,
    mixed=mixed,
)
if info.category == counting.NOT_A_MUNICIPALITY:
    st.info(
        "Ein gemeindefreies Gebiet (Forst, Insel oder Truppenübungsplatz) ohne Einwohner ist keine Kommune: es bietet "
        "keine Onlinedienste an, hat keinen Rang und keine Lückenliste. Die Zahlen des Landkreises stehen in "
        "dessen Steckbrief.",
        icon=":material/forest:",
    )
    if info.kreis_ars:
        st.page_link(
            "pages/kommune.py", label=f"Steckbrief {md(info.kreis_name)}", query_params={"ars": info.kreis_ars}
        )
    st.stop()
if info.category == "gemeindefrei bewohnt":
    st.info(
        "Ein bewohnter gemeindefreier Bezirk hat keine eigene Gemeindeverwaltung: die Einwohner nutzen, was der "
        "Landkreis (auch für Gemeindeaufgaben) und das Land anbieten. Kein Rang, keine Lückenliste.",
        icon=":material/info:",
    )
if info.level == Level.GEM and info.vwg_name and ARS.match(str(info.vwg_ars)):
    st.markdown(
        f"Die Onlinedienste der Gemeinde stellt die Verwaltungseinheit [{md(info.vwg_name)}]"
        f"(/kommune?ars={info.vwg_ars}) bereit, dazu der Landkreis und das Land."
    )
copy_link_button()  # staff send "their" Steckbrief by mail: the address with ?ars= and the Stichtag
w.search("Andere Kommune suchen", key="search_other")
as_of = w.stichtag(meta)
source = meta["source"] if meta else "–"

level = info.level
current = _cache.load(q.availability, level=level, as_of=as_of)
previous = _cache.load(q.availability, level=level, as_of=steckbrief.quarter_before(as_of))
c = steckbrief.comparison(current, previous, ars)
st.subheader("Kennzahlen")
k1, k2, k3, k4 = st.columns(4)
rule = " (flächendeckend)" if level.area else ""
k1.metric(
    f"Nutzbare Onlinedienste{rule}",
    num(c.get("value")),
    delta=None if c.get("change") is None else f"{num(c['change'])} seit Vorquartal",
    delta_color="normal",
)
# One meaning per number (DOMAIN.md): at Kreis and Land level the Fokusleistungen are counted flächendeckend;
# the ones available in at least one Kommune besides are reported as "weitere", like the federal dashboard.
focus_label = "Fokusleistungen flächendeckend" if level.area else "Fokusleistungen nutzbar"
more = c.get("n_focus_any")
k2.metric(
    focus_label,
    f"{num(c.get('n_focus'))} von {c.get('focus_total', 16)}",
    delta=None if more is None or more != more else f"{num(more - c.get('n_focus', 0))} weitere in mind. einer Kommune",
    delta_color="off",
    help="Flächendeckend: in jeder Verwaltungseinheit mit Einwohnern nutzbar. Weitere: in mindestens einer "
    "Kommune nutzbar, aber nicht überall.",
)
k3.metric(
    "Anteil eigener Leistungskatalog",
    pct(c.get("share_own")),
    help="Anteil der Onlinedienste, für die diese Ebene zuständig ist, die hier live nutzbar sind",
)
if level != Level.LAN and c.get("rank"):
    k4.metric(
        f"Rang unter {c['group_size']} ({md(c['group'])})",
        f"{c['rank']}",
        help="Vergleich nur mit Einheiten derselben Art (fairer Vergleich)",
    )
    kreis_text = f", Durchschnitt im Kreis {num(c['kreis_mean'], 1)}" if c.get("kreis_mean") is not None else ""
    st.markdown(
        f"**Fairer Vergleich:** so viele oder mehr Onlinedienste als {pct(c['percentile'])} der Einheiten "
        f"der Vergleichsgruppe *{md(c['group'])}*{kreis_text}, Landesdurchschnitt dieser Ebene "
        f"{num(c['land_mean'], 1)}."
    )
# Published figures of the same measures, as reference markers (never mixed into the figures above).
if level == Level.LAN:
    _widgets.published(_cache.load(notes.markers, keys=("ozg_services_online_2025", "ozg_services_one_kommune_2025")))
else:
    st.caption("Zum Vergleich landesweit veröffentlicht (Fokusleistungen in den Kommunen):")
    _widgets.published(
        _cache.load(notes.markers, keys=("focus_share_2025_q1", "focus_share_target_2025_06", "focus_connections_2025"))
    )
per_100k = c.get("per_100k")
if per_100k is not None and per_100k == per_100k:
    st.metric(
        "Anbindungen je 100.000 Einwohner",
        num(per_100k, 1),
        help="Angebote (Verwaltung × Onlinedienst) des Kreises und seiner Verwaltungseinheiten, bezogen auf die "
        "Einwohnerzahl: zeigt, wie viel vor Ort angebunden ist, unabhängig von der Größe.",
    )
residents = c.get("share_residents")
if residents is not None and residents == residents:
    st.metric(
        "Einwohner mit Zugang (Mittel über den Katalog)",
        pct(residents),
        help="Bevölkerungsgewichtet: welcher Anteil der Einwohner einen Onlinedienst nutzen kann, gemittelt über alle "
        "Dienste des Katalogs (Einwohner je Verwaltungseinheit aus dem Import „einwohner“).",
    )
if info.population:
    stand = f", Stand {date(info.population_as_of)}" if info.population_as_of else ""
    st.caption(
        f"Einwohner: {num(info.population)} "
        f"({md(info.population_source or 'Destatis, vermutlich 31.12.2019')}{stand})"
        + (f" · Größenklasse: {md(info.size_class)}" if info.size_class else "")
    )
elif level != Level.LAN:
    st.caption(
        "Keine Einwohnerzahl für diese Einheit: verglichen wird nur mit Einheiten derselben Art, nicht nach Größe. "
        "Einwohnerzahlen kommen aus dem Import „einwohner“ (Destatis-Gemeindeverzeichnis)."
    )
_widgets.caption(Stand(meta and meta["as_of"], source, demo, mixed))

st.subheader("Lücken: was Vergleichbare schon anbieten")
gaps = _cache.load(steckbrief.gaps, unit=info, as_of=as_of)
if level == Level.LAN:
    st.info("Für das Land gibt es keine vergleichbaren Einheiten.")
else:
    missing = tables.gap_table(gaps["gaps"])
    st.markdown(
        f"{len(missing)} Onlinedienste, die vergleichbare Einheiten live anbieten, fehlen hier; "
        "Fokusleistungen zuerst. **Nachnutzbar** heißt: als EfA- oder WfU-Lösung (NAVO) anschließbar. "
        "Getrennt nach dem, was diese Einheit selbst anbinden kann, und dem, wofür Landkreis oder Land "
        "zuständig sind."
    )
    kreis_name = info.kreis_name or "der Landkreis"
    sections = {
        "selbst": ("Selbst anbindbar (eigene Zuständigkeit)", ""),
        "Gemeinden": ("Bei den Gemeinden", "Gemeindeaufgaben: anbinden können nur die Gemeinden des Kreises."),
        "Landkreis": (
            f"Abhängig vom Landkreis ({kreis_name})",
            f"Kreisaufgaben: bitte beim Landkreis {kreis_name} nachfragen"
            + (
                "; als Stadt mit Sonderstatus (NKomVG) kann sie einzelne Kreisaufgaben selbst anbieten."
                if info.kommunal_status
                else "."
            ),
        ),
        "Land": ("Abhängig vom Land", "Landesaufgaben: zuständig ist die jeweilige Landesbehörde."),
    }
    for who, (title, hint) in sections.items():
        part = missing.loc[missing["Wer kann anbinden"] == who]
        if part.empty and who != "selbst":
            continue
        st.markdown(f"**{md(title)}** – {len(part)}")
        if hint:
            st.caption(md(hint))
        if part.empty:
            st.caption("Keine Lücke in eigener Zuständigkeit.")
            continue
        _widgets.show_table(part, height=min(320, 38 + 35 * len(part)))
    gaps_stand = Stand(as_of, source, demo, mixed)
    about = f"{kind} {info.name} (ARS {ars}), Stichtag {date(as_of)}"
    unit_slug = slug(info.name, ars)
    _widgets.downloads(missing, f"luecken_{unit_slug}", stand=gaps_stand, key="gaps", content=f"Lücken: {about}")
    st.markdown("**Bereits geplant oder in Umsetzung**")
    planned = tables.gap_table(gaps["planned"])
    if planned.empty:
        st.caption("Keine der Lücken ist als geplant oder in Umsetzung gemeldet.")
    else:
        _widgets.show_table(planned)
        _widgets.downloads(
            planned, f"geplant_{unit_slug}", stand=gaps_stand, key="planned", content=f"Geplant: {about}"
        )

_usage_widgets.unit_view(info)

st.subheader("Verlauf")
history = _cache.load(steckbrief.history, unit=info, as_of=as_of)
if history.empty:
    st.caption("Noch kein Verlauf: keine Angebote bis zum Stichtag.")
else:
    # Plotly renders a little HTML in titles: the name from the database is escaped.
    fig = charts.timeline(history, title=f"Nutzbare Onlinedienste in {html.escape(info.name)} je Quartal{rule}")
    table = tables.history_table(history)
    _widgets.chart(
        fig,
        table,
        basename=f"verlauf_{slug(info.name, ars)}",
        stand=Stand(meta["as_of"], source, demo, mixed),
        key="hist",
        content=f"Verlauf je Quartal: {kind} {info.name} (ARS {ars}), bis {date(as_of)}",
    )
