"""The presentation deck: one Slide per topic with KPI texts, figure inputs, Stand and source, built from the DB.

Pure (no streamlit, no plotly): the page, the PowerPoint/PDF exporters and the tests all read the same
Slide objects, so what is projected, what is exported and what is tested cannot drift apart.
The figure itself is drawn by charts.slides.figure(slide) from `slide.chart` and `slide.data`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from data_access.provenance import Stand
from data_access.queries import eakte, overview, pi, services, strategy
from data_access.units import Level

# Formatting helpers only (babel, no plotly): KPI texts must read exactly as on the pages.
from formatting import date, month, num, pct
from geo.load import meta as geo_meta
from reports import notes, tables

FOCUS_TARGET = 0.20  # IT.N: 20 % of the authorities connect the Fokusleistungen by end of June 2025
PI_SHOWN = 8  # the last PIs on the predictability slide: two years, readable on a projector
MAP_LEVEL = Level.KRS
FORECAST_MONTHS = 6  # the eAkte page's default window


@dataclass(frozen=True)
class Kpi:
    """One headline figure as shown: label, formatted value, optional note, and its own Stand and source."""

    label: str
    value: str
    note: str = ""
    as_of: dt.date | None = None
    source: str = ""
    is_demo: bool = False
    published: tuple[str, ...] = ()  # reference markers (reports.notes.marker_text) of the same measure
    is_mixed: bool = False

    @property
    def provenance(self) -> Stand:
        return Stand(self.as_of, self.source, self.is_demo, self.is_mixed)


@dataclass(frozen=True)
class Slide:
    """One slide. `chart` names the figure builder in charts.slides (None: KPI tiles only); `data` holds its
    inputs; `table` is the figure's data as a table (table alternative, exports)."""

    key: str
    title: str
    kpis: tuple[Kpi, ...]
    chart: str | None
    as_of: dt.date | None
    source: str
    is_demo: bool
    data: dict = field(default_factory=dict, compare=False)
    table: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)
    note: str = ""
    is_mixed: bool = False  # real rows beside the demo ones: "teilweise Beispieldaten"

    @property
    def provenance(self) -> Stand:
        return Stand(self.as_of, self.source, self.is_demo, self.is_mixed)

    @property
    def stand(self) -> str:
        """'Stand: 18.03.2025 · Quelle: …' with ' · Beispieldaten' when demo rows are shown."""
        when = "je Kennzahl angegeben" if self.as_of is None and any(k.as_of for k in self.kpis) else date(self.as_of)
        text = f"Stand: {when} · Quelle: {self.source or '–'}"
        return f"{text} · {self.provenance.badge}" if self.is_demo else text


def _sources(*items) -> str:
    seen = []
    for s in items:
        if s and s not in seen:
            seen.append(s)
    return "; ".join(seen)


def headline_slide(engine: Engine, *, today: dt.date | None = None) -> Slide:
    """Slide 1: the Übersicht's headline figures (data_access.queries.overview, the same functions)."""
    e = overview.eakte_headline(engine)
    s = overview.services_headline(engine)
    p = overview.latest_pi_predictability(engine, today=today)
    f = overview.focus_connections(engine)

    def ref(*keys: str) -> tuple[str, ...]:
        return notes.markers(engine, keys=keys)

    kpis = []
    if e:
        kpis.append(
            Kpi(
                "Behörden mit eAkte produktiv",
                f"{e['productive']} von {e['scope']}",
                "",
                e["as_of"],
                e["source"],
                e["is_demo"],
                ref("eakte_authorities_2025_03"),
                is_mixed=e["is_mixed"],
            )
        )
        note = notes.eakte_target_note(e["target"]) if e["target"] else ""
        kpis.append(
            Kpi(
                "eAkte-Nutzende",
                num(e["users"]),
                note,
                e["as_of"],
                e["source"],
                e["is_demo"],
                ref("eakte_users_2025_03"),
                is_mixed=e["is_mixed"],
            )
        )
    if s:
        meta = (s["as_of"], s["source"], s["is_demo"])
        more = f"{num(s['services_more'])} weitere in mind. einer Kommune"
        kpis.append(
            Kpi(
                "Onlinedienste flächendeckend",
                num(s["services_full"]),
                more,
                *meta,
                ref("ozg_services_online_2025", "ozg_services_one_kommune_2025"),
                is_mixed=s["is_mixed"],
            )
        )
        focus_more = f"{num(s['focus_more'])} weitere in mind. einer Kommune"
        kpis.append(
            Kpi(
                "Fokusleistungen flächendeckend",
                f"{s['focus_full']} von {s['focus_total']}",
                focus_more,
                *meta,
                is_mixed=s["is_mixed"],
            )
        )
    if f:
        kpis.append(
            Kpi(
                "Fokusleistungs-Anbindungen in Kommunen",
                num(f["connections"]),
                f"{pct(f['share'])} der kommunalen Verwaltungen mit mindestens einer Fokusleistung",
                f["as_of"],
                f["source"],
                f["is_demo"],
                ref("focus_share_2025_q1", "focus_share_target_2025_06", "focus_connections_2025"),
                is_mixed=f["is_mixed"],
            )
        )
    if p:
        kpis.append(
            Kpi(
                f"Vorhersagbarkeit PI {p['pi_number']} ({p['quarter']})",
                pct(p["predictability"]),
                "Zielband 80–100 %",
                p["end_date"],
                p["source"],
                p["is_demo"],
                is_mixed=p["is_mixed"],
            )
        )
    table = pd.DataFrame(
        [
            {
                "Kennzahl": k.label,
                "Wert": k.value,
                "Stand": date(k.as_of),
                "Quelle": k.source,
                "Veröffentlicht (Referenz)": " | ".join(k.published),
            }
            for k in kpis
        ],
        columns=["Kennzahl", "Wert", "Stand", "Quelle", "Veröffentlicht (Referenz)"],
    )
    # The KPIs have different Stände (eAkte, offers, PIs): each tile shows its own, the slide none.
    return Slide(
        "kennzahlen",
        "Digitale Verwaltung Niedersachsen: Stand des Programms",
        tuple(kpis),
        None,
        None,
        _sources(*(k.source for k in kpis)),
        any(k.is_demo for k in kpis),
        table=table,
        note="" if kpis else "Noch keine Daten geladen.",
        is_mixed=any(k.is_demo for k in kpis) and any(k.is_mixed or not k.is_demo for k in kpis),
    )


def map_slide(engine: Engine) -> Slide:
    """Slide 2: share of the 16 Fokusleistungen usable per Kreis (flächendeckend), as on the Onlinedienste map."""
    meta = services.offers_meta(engine)
    title = "Fokusleistungen: Anteil je Landkreis und kreisfreier Stadt"
    if meta is None:
        return Slide("karte", title, (), None, None, "", False, note="Noch keine Angebote geladen.")
    df = services.availability(engine, level=MAP_LEVEL, as_of=meta["as_of"])
    share = df["share_focus"].dropna()
    reached = int((share >= FOCUS_TARGET).sum())
    best = df.loc[df["share_focus"].idxmax()] if not share.empty else None
    kpis = (
        Kpi("Mittlerer Anteil Fokusleistungen je Kreis", pct(share.mean()) if not share.empty else "n/a"),
        Kpi(f"Kreise mit mindestens {pct(FOCUS_TARGET)}", f"{reached} von {len(df)}"),
        Kpi(
            f"Höchster Anteil: {best['name']}" if best is not None else "Höchster Anteil",
            pct(best["share_focus"]) if best is not None else "–",
        ),
    )
    table = tables.ranking_table(df, measure="fokus")[
        ["Rang", "Name", "Typ", "ARS", "Fokusleistungen", "Anteil Fokusleistungen (%)"]
    ]
    geo = geo_meta() or {}
    # The BKG licence requires the attribution on every map, also on exported slides.
    attribution = geo.get("attribution", "© GeoBasis-DE / BKG (Daten verändert)")
    return Slide(
        "karte",
        title,
        kpis,
        "map",
        meta["as_of"],
        meta["source"],
        meta["is_demo"],
        data={"df": df[["ars", "name", "unit_type", "share_focus"]]},
        table=table,
        is_mixed=meta["is_mixed"],
        note="Gezählt: flächendeckend, also in jeder Verwaltungseinheit des Kreises nutzbar (Gemeinde, Kreis "
        f"oder Land), Status live. Kartengrundlage: {attribution}, www.bkg.bund.de",
    )


def eakte_slide(engine: Engine) -> Slide:
    """Slide 3: eAkte users over time with the linear forecast towards the target (the eAkte page's figure)."""
    k = eakte.kpis(engine)
    title = "eAkte: Nutzende, Ziel und Prognose"
    if k is None:
        return Slide("eakte", title, (), None, None, "", False, note="Noch keine eAkte-Daten geladen.")
    series = eakte.users_series(engine)
    forecast = eakte.users_forecast(engine, months=FORECAST_MONTHS)
    reached = forecast.get("reached")
    kpis = (
        Kpi(
            "Behörden mit eAkte produktiv",
            f"{k['productive']} von {k['scope']}",
            published=notes.markers(engine, keys=("eakte_authorities_2025_03",)),
        ),
        Kpi(
            "Aktive Nutzende",
            num(k["users"]),
            f"Ziel: ca. {num(k['target'])} Arbeitsplätze inkl. Justiz (nur näherungsweise vergleichbar)"
            if k["target"]
            else "",
            published=notes.markers(engine, keys=("eakte_users_2025_03", "eakte_users_2024_11")),
        ),
        Kpi(
            "Ziel laut Trend erreicht",
            month(reached) if reached else "nicht absehbar",
            f"linearer Trend der letzten {FORECAST_MONTHS} Monate, keine Planung",
        ),
    )
    table = pd.DataFrame(
        {"Stichtag": [date(d) for d in series["snapshot_date"]], "Aktive Nutzende": series["active_users"].astype(int)}
    )
    data = dict(
        series=series,
        forecast=forecast,
        milestones=eakte.milestones(engine),
        months=FORECAST_MONTHS,
        target=k["target"],
        target_date=k["target_date"],
        deadline=k["deadline"],
    )
    return Slide(
        "eakte",
        title,
        kpis,
        "eakte",
        k["as_of"],
        k["source"],
        k["is_demo"],
        data=data,
        table=table,
        is_mixed=k["is_mixed"],
    )


def pi_slide(engine: Engine, *, today: dt.date | None = None) -> Slide:
    """Slide 4: programme predictability of the last PIs with the 80–100 % band (the PI-Ziele page's figure)."""
    df = pi.programme_predictability(engine, today=today)
    df = df[df["status"] != pi.PLANNED].tail(PI_SHOWN)
    title = f"Vorhersagbarkeit der letzten {PI_SHOWN} PIs"
    done = df[df["predictability"].notna()]
    if done.empty:
        return Slide("pi", title, (), None, None, "", False, note="Noch kein abgeschlossenes PI bewertet.")
    last = done.iloc[-1]
    in_band = int(done["predictability"].between(0.8, 1.0).sum())
    kpis = (
        Kpi(f"PI {int(last['pi_number'])} ({last['quarter']})", pct(last["predictability"])),
        Kpi("Im Zielband 80–100 %", f"{in_band} von {len(done)} PIs"),
        Kpi("Mittel der gezeigten PIs", pct(done["predictability"].mean())),
    )
    table = pd.DataFrame(
        {
            "PI": [f"PI {int(n)}" for n in df["pi_number"]],
            "Quartal": df["quarter"],
            "Status": df["status"],
            "Ziele": df["objectives"],
            "Vorhersagbarkeit (%)": (df["predictability"] * 100).round(1),
        }
    )
    as_of = pd.to_datetime(done["as_of"]).max().date() if done["as_of"].notna().any() else last["end_date"]
    return Slide(
        "pi",
        title,
        kpis,
        "pi",
        as_of,
        last["source"],
        bool(df["is_demo"].any()),
        data={"df": df},
        table=table,
        is_mixed=bool(df["is_demo"].any()) and (bool(df["is_mixed"].any()) or not bool(df["is_demo"].all())),
        note="Vorhersagbarkeit = Σ erreichter ÷ Σ geplanter Geschäftswert der verbindlichen Ziele.",
    )


def strategy_slide(engine: Engine) -> Slide:
    """Slide 5: which strategic measures the action plan implements (coverage heatmap, real annex data)."""
    grid = strategy.coverage(engine)
    title = "Strategie 2030: Abdeckung durch den Handlungsplan"
    if grid.empty:
        return Slide("strategie", title, (), None, None, "", False, note="Keine Maßnahmen geladen.")
    c = strategy.coverage_summary(engine)
    kpis = (
        # "mit Umsetzung" only where a project (Pn) stands behind it: a "Neues Projekt … offen" is not one yet.
        Kpi(
            "Strategische Maßnahmen mit Umsetzung in einem Projekt",
            f"{c['with_project']} von {c['strategic']}",
            f"im Anhang aufgegriffen (jede Umsetzungsart): {c['referenced']} von {c['strategic']}",
        ),
        Kpi(
            "Noch nicht im Handlungsplan",
            num(c["not_referenced"]),
            "später durch Erweiterung des Handlungsplans oder in gesonderten Initiativen (Kap. A.2)",
        ),
        Kpi("Verknüpfungen im Anhang", num(c["links"])),
    )
    # The slide shows links summed per chapter and domain (a 43 × 43 matrix is unreadable on a projector);
    # the table keeps the full matrix for the exports.
    cells = (
        grid.sort_values(["row_no", "number"])
        .groupby(["section", "domain"], sort=False)["linked"]
        .sum()
        .rename("links")
        .reset_index()
    )
    return Slide(
        "strategie",
        title,
        kpis,
        "strategy",
        grid["as_of"].max(),
        grid["source"].iloc[0],
        False,
        data={"cells": cells},
        table=tables.coverage_matrix(grid),
    )


def deck(engine: Engine, *, today: dt.date | None = None) -> list[Slide]:
    """All slides in presentation order: Kennzahlen, Karte, eAkte, PI, Strategie."""
    return [
        headline_slide(engine, today=today),
        map_slide(engine),
        eakte_slide(engine),
        pi_slide(engine, today=today),
        strategy_slide(engine),
    ]


LEGAL_PAGES = ("impressum", "datenschutz", "barrierefreiheit")


def legal_line(address: str | None) -> str:
    """The last exported slide's line on the operator's legal pages: their addresses under the dashboard's public
    address (rechtliches.toml, betreiber.internetadresse), or where to find them while that is not filled."""
    if address:
        return "Impressum, Datenschutz, Erklärung zur Barrierefreiheit: " + " · ".join(
            f"{address}/{page}" for page in LEGAL_PAGES
        )
    return "Impressum, Datenschutz und Erklärung zur Barrierefreiheit: Links am Fuß jeder Seite des DVN-Dashboards"


def version(slides: list[Slide], *extra) -> str:
    """A fingerprint of everything the exported deck shows (texts, Stand, figure inputs, tables) and of `extra`
    (e.g. the boundaries' address): the PowerPoint and PDF are built once per fingerprint, not on every click."""
    import hashlib

    digest = hashlib.sha256()

    def add(value) -> None:
        if isinstance(value, pd.DataFrame):
            digest.update(repr((list(value.columns), value.shape)).encode())
            digest.update(pd.util.hash_pandas_object(value.astype(str), index=True).values.tobytes())
        elif isinstance(value, pd.Series):
            add(value.to_frame())
        elif isinstance(value, dict):
            for k in sorted(value, key=str):
                digest.update(repr(k).encode())
                add(value[k])
        elif isinstance(value, (list, tuple)):
            digest.update(b"[")
            for v in value:
                add(v)
            digest.update(b"]")
        else:
            digest.update(repr(value).encode())

    for s in slides:
        add([s.key, s.title, s.kpis, s.chart, s.as_of, s.source, s.is_demo, s.is_mixed, s.note, s.data, s.table])
    add(list(extra))
    return digest.hexdigest()[:16]
