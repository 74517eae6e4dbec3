"""Widget groups of the Onlinedienste map and the Kommune Steckbrief: filters, map block, search, notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access import counting
from data_access.models import SERVICE_MODELS, THEMENFELDER
from data_access.queries import regions
from data_access.queries import services as q
from data_access.units import Level, Measure
from formatting import date
from pages import _cache, _url
from pages._widgets import md
from reports.files import slug
from reports.labels import LEVEL_PLURAL

# The map's level choice with the number of units the BKG boundaries hold (VG5000, Niedersachsen).
LEVEL_CHOICES = {
    Level.GEM: f"{LEVEL_PLURAL[Level.GEM]} (967)",
    Level.VWG: f"{LEVEL_PLURAL[Level.VWG]} (430)",
    Level.KRS: f"{LEVEL_PLURAL[Level.KRS]} (45)",
}
COVERAGE_LABELS = {
    "flaechendeckend": "flächendeckend (in jeder Kommune)",
    "mindestens_eine": "in mindestens einer Kommune",
}
STATUS_LABELS = {"live": "live", "geplant": "geplant / in Umsetzung"}
# Reifegrad filter: online services only (counting.ONLINE_FROM), or only the fully digital Online-Transaktion.
MATURITY_LABELS = {"online": f"ab Stufe {counting.ONLINE_FROM['1.x']} (online)", "4": "nur Stufe 4"}
ALL = "alle"
BUILD_HINT = (
    "Die Kartengrundlage (BKG-Verwaltungsgrenzen) ist noch nicht aufgebaut. Bitte einmal "
    "`make run BOUNDARIES=../shared/geo/vg5000_01-01.gk3.shape.ebenen.zip` oder "
    "`python -m geo build --source ../shared/geo/vg5000_01-01.gk3.shape.ebenen.zip` ausführen. "
    "Rangliste und Verteilung funktionieren auch ohne Karte."
)


@dataclass(frozen=True)
class MapView:
    """The map's filter bar as chosen (and shared in the address)."""

    level: Level
    measure: Measure
    coverage: str  # "flaechendeckend" or "mindestens_eine" (a choice at Kreis level only)
    as_of: dt.date
    themenfeld: str | None
    model: str | None
    focus_only: bool
    status: str  # "live" or "geplant"
    min_level: int | None  # None: every Reifegrad that counts as online; 4: only Stufe 4

    def options(self) -> dict:
        """The keyword arguments of services.availability."""
        return dict(
            level=self.level,
            as_of=self.as_of,
            themenfeld=self.themenfeld,
            model=self.model,
            focus_only=self.focus_only,
            status=self.status,
            coverage=self.coverage,
            min_level=self.min_level,
        )


def stichtag(meta: dict | None, *, label: str = "Stichtag") -> dt.date:
    """Date picker for the as-of date (?stichtag=YYYY-MM-DD); default and upper bound: the data's Stand."""
    latest = (meta or {}).get("as_of") or dt.date.today()
    first = min((meta or {}).get("first") or latest, latest)
    value = _url.day(
        "stichtag",
        latest,
        first=first,
        last=latest,
        what="den Stichtag (Datum als JJJJ-MM-TT)",
        shown=lambda d: f"der {date(d)}",
    )
    chosen = st.date_input(
        label,
        value=value,
        min_value=first,
        max_value=latest,
        format="DD.MM.YYYY",
        key="w_stichtag",
        help="Angebote, die an diesem Tag galten (Verlauf aus der Angebotstabelle)",
    )
    _url.sync("stichtag", chosen.isoformat(), latest.isoformat())
    return chosen


def filters(meta: dict | None) -> MapView:
    """The map's filter bar: level, measure, Reifegrad, counting rule, Themenfeld, model, status, Stichtag, focus."""
    c1, c2, c9, c3 = st.columns([3, 2, 2, 2])
    with c1:
        level = _url.choice(
            "ebene", "Ebene", LEVEL_CHOICES, Level.GEM, what="die Ebene", widget=st.radio, horizontal=True
        )
    with c2:
        measure = _url.choice(
            "kennzahl", "Kennzahl", {k: v[1] for k, v in q.MEASURES.items()}, Measure.COUNT, what="die Kennzahl"
        )
    with c9:
        maturity = _url.choice(
            "reifegrad",
            "Reifegrad",
            MATURITY_LABELS,
            "online",
            what="den Reifegrad",
            help=f"Als Onlinedienst zählt ein Dienst ab Reifegrad {counting.ONLINE_FROM['1.x']} im Modell 1.x (Antrag "
            f"mit allen Nachweisen online) und ab Stufe {counting.ONLINE_FROM['2.0']} im Modell 2.0 (Einstellung). "
            "„Nur Stufe 4“ zeigt die Online-Transaktion (vollständig digital); im Modell 2.0 gilt dann ebenfalls "
            "mindestens Stufe 4. Niedrigere Stufen und Dienste ohne bekannten Reifegrad werden nicht gezählt, "
            "sondern unter der Karte ausgewiesen.",
        )
    with c3:
        # Only at Kreis level is there a choice; a disabled widget would show faded text below AA contrast.
        if level == Level.KRS:
            coverage = _url.choice(
                "abdeckung",
                "Zählweise auf Kreisebene",
                COVERAGE_LABELS,
                "flaechendeckend",
                what="die Zählweise",
                help="Flächendeckend: in jeder Verwaltungseinheit des Kreises nutzbar (über Gemeinde, "
                "Kreis oder Land). In mindestens einer Kommune: irgendwo im Kreis nutzbar.",
            )
        else:
            coverage = "flaechendeckend"
            st.caption("Zählweise (flächendeckend / in mindestens einer Kommune) ist auf Kreisebene wählbar.")
    c4, c5, c6, c7, c8 = st.columns([3, 2, 2, 2, 3])
    with c4:
        themenfeld = _url.choice(
            "themenfeld",
            "Themenfeld",
            {ALL: "alle Themenfelder", **{t: t for t in THEMENFELDER}},
            ALL,
            what="das Themenfeld",
        )
    with c5:
        model = _url.choice(
            "modell", "Modell", {ALL: "alle Modelle", **{m: m for m in SERVICE_MODELS}}, ALL, what="das Modell"
        )
    with c6:
        status = _url.choice("status", "Status", STATUS_LABELS, "live", what="den Status")
    with c7:
        as_of = stichtag(meta)
    with c8:
        focus = _url.toggle("fokus", "Nur Fokusleistungen", what="„Nur Fokusleistungen“", key="w_fokus")
    return MapView(
        level=Level(level),
        measure=Measure(measure),
        coverage=coverage,
        as_of=as_of,
        themenfeld=None if themenfeld == ALL else themenfeld,
        model=None if model == ALL else model,
        focus_only=focus,
        status=status,
        min_level=None if maturity == "online" else int(maturity),
    )


def describe(view: MapView) -> str:
    """One sentence saying what the map shows, including the counting rule at Kreis level."""
    maturity = MATURITY_LABELS["online" if view.min_level is None else str(view.min_level)]
    parts = [
        q.MEASURES[view.measure][1],
        f"Status {STATUS_LABELS[view.status]}",
        f"Reifegrad {maturity}",
        f"Stichtag {date(view.as_of)}",
    ]
    if view.themenfeld:
        parts.append(f"Themenfeld {view.themenfeld}")
    if view.model:
        parts.append(f"Modell {view.model}")
    if view.focus_only:
        parts.append("nur Fokusleistungen")
    text = " · ".join(parts)
    if view.level == Level.KRS:
        text += f" · gezählt: **{COVERAGE_LABELS[view.coverage]}**"
    return text


def file_part(view: MapView, stand: dt.date | None = None) -> str:
    """The map's choice in a file name: 'gem_anzahl_live_gesundheit_fokus_stichtag-2025-06-30'; the Stichtag only when
    it is not the data's Stand (`stand`), which file_name appends anyway."""
    return slug(
        view.level,
        view.measure,
        view.status,
        "stufe-4" if view.min_level else None,
        "mind-eine" if view.level == Level.KRS and view.coverage == "mindestens_eine" else None,
        view.themenfeld,
        view.model,
        "fokus" if view.focus_only else None,
        f"stichtag-{view.as_of.isoformat()}" if view.as_of != stand else None,
    )


def content(view: MapView) -> str:
    """What a download of the map's tables holds, in words (plain text, for the files' note)."""
    return f"{LEVEL_PLURAL[view.level]}: {describe(view).replace('**', '')}"


def search(label: str = "Kommune suchen und Steckbrief öffnen", key: str = "search") -> None:
    """A search box over all regions; choosing one opens its Steckbrief."""
    options = _cache.load(regions.search_options)
    labels = dict(zip(options["ars"], options["label"], strict=True))
    chosen = st.selectbox(
        label, list(labels), index=None, format_func=labels.get, placeholder="Name oder Schlüssel eingeben …", key=key
    )
    if chosen:
        st.switch_page("pages/kommune.py", query_params={"ars": chosen})


def attribution() -> None:
    """BKG attribution as a link (licence requirement), with the boundaries' Stand."""
    from geo.load import meta as geo_meta  # cheap: geo.load caches the parsed file per process

    meta = geo_meta() or {}
    text = meta.get("attribution", "© GeoBasis-DE / BKG (Daten verändert)")
    url = meta.get("attribution_url", "https://www.bkg.bund.de")
    st.caption(
        f"Kartengrundlage: [{md(text)}]({url}), Stand der Grenzen {date(meta.get('stand'))}, "
        f"{meta.get('licence', 'Datenlizenz Deutschland – Namensnennung 2.0')}"
    )


def data_quality(level: Level, df: pd.DataFrame, geojson: dict | None) -> None:
    """Visible note on keys that cannot be matched: data without boundary, boundary without data, misplaced offers."""
    from charts.maps import key_mismatch

    mismatch = key_mismatch(df["ars"], geojson)
    misplaced = _cache.load(q.key_issues)
    unincorporated = df["group"].isin(counting.UNINCORPORATED)
    empty = df.loc[df["n_services"].isna() & ~unincorporated, "ars"].tolist()
    lines = []
    if mismatch["no_boundary"]:
        lines.append(
            f"Ohne Grenze in der Kartengrundlage (nicht auf der Karte): {md(', '.join(mismatch['no_boundary'][:20]))}"
        )
    if mismatch["no_data"]:
        lines.append(f"Grenze ohne Eintrag in der Datenbank (grau): {md(', '.join(mismatch['no_data'][:20]))}")
    if empty:
        lines.append(f"Ohne zuständige Verwaltungseinheit (grau, kein Wert): {md(', '.join(empty[:20]))}")
    if not misplaced.empty:
        lines.append(
            "Angebote bei Gemeinden statt bei Verwaltungseinheit, Kreis oder Land (nicht gezählt): "
            + md(", ".join(f"{r.name} ({r.ars}, {r.offers})" for r in misplaced.itertuples()))
        )
    if unincorporated.any():
        st.caption(
            f"{int(unincorporated.sum())} gemeindefreie Gebiete (Forsten, Inseln, Truppenübungsplätze) sind keine "
            "Kommunen: ohne Einwohner kein Wert (grau) und kein Rang; die bewohnten Bezirke Lohheide und Osterheide "
            "versorgt der Landkreis – sie zeigen, was Landkreis und Land anbieten."
        )
    if lines:
        st.warning(
            "**Datenqualität** – nicht zuordenbare Schlüssel:\n\n" + "\n".join(f"- {x}" for x in lines),
            icon=":material/report:",
        )
    else:
        st.caption(f"Datenqualität: alle {len(df)} Schlüssel der Ebene {level} passen zur Kartengrundlage.")
