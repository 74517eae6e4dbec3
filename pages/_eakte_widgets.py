"""Widget groups of the eAkte page: URL-bound filters, KPI row, forecast text and the German tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from charts.eakte import forecast_label
from data_access.provenance import Stand
from data_access.queries.eakte import STATUS_ORDER
from formatting import date, month, num, pct
from pages import _url, _widgets
from reports import tables

ALL = "alle"
MONTH_CHOICES = (3, 6, 9, 12, 18, 24)
DEFAULT_MONTHS, DEFAULT_THRESHOLD = 6, 50
PLAN_SOURCE = "Handlungsplan DVN, 19.03.2024"


@dataclass(frozen=True)
class EakteFilters:
    """The eAkte filter bar as chosen (and shared in the address)."""

    ministry: str | None  # Ressort code, None for all
    status: str | None  # one of STATUS_ORDER, None for all
    threshold: float  # adoption (active ÷ planned users) below which a productive authority is "im Verzug", 0–1
    behind_only: bool


def months_choice() -> int:
    months = _url.integer("monate", DEFAULT_MONTHS, MONTH_CHOICES, what="den Prognosezeitraum")
    value = st.select_slider(
        "Prognose aus den letzten … Monaten",
        MONTH_CHOICES,
        value=months,
        key="w_monate",
        help="Anzahl der Monate, aus denen der lineare Trend berechnet wird.",
    )
    _url.sync("monate", value, DEFAULT_MONTHS)
    return value


def filters(ministries: pd.DataFrame) -> EakteFilters:
    """Ressort, status, adoption threshold and 'only behind plan', all shareable via the URL."""
    c1, c2, c3 = st.columns([3, 2, 3], vertical_alignment="bottom")
    with c1:
        options = {ALL: "Alle Ressorts", **{r.code: f"{r.code} – {r.name}" for r in ministries.itertuples()}}
        ressort = _url.choice("ressort", "Ressort", options, ALL, what="das Ressort")
    with c2:
        status = _url.choice(
            "status", "Status", {ALL: "Alle Status", **{s: s for s in STATUS_ORDER}}, ALL, what="den Status"
        )
    with c3:
        pct_value = _url.integer("schwelle", DEFAULT_THRESHOLD, range(0, 101), what="die Nutzungsschwelle")
        threshold = st.slider(
            "Schwelle Nutzung (aktiv ÷ geplant), %",
            0,
            100,
            pct_value,
            key="w_schwelle",
            help="Produktive Behörden unter dieser Nutzung werden als „im Verzug“ markiert.",
        )
        _url.sync("schwelle", threshold, DEFAULT_THRESHOLD)
    only_late = _url.toggle("verzug", "Nur Behörden im Verzug zeigen", what="„Nur Behörden im Verzug“", key="w_verzug")
    return EakteFilters(
        ministry=None if ressort == ALL else ressort,
        status=None if status == ALL else status,
        threshold=threshold / 100,
        behind_only=only_late,
    )


def target_text(k: dict) -> str:
    """The target as the action plan states it; users against workplaces incl. justice is only approximate."""
    return (
        f"Ziel ca. {num(k['target'])} Arbeitsplätze bis {date(k['target_date'])}, einschließlich des "
        f"Justizbereichs ({PLAN_SOURCE}). Aktive Nutzende der Landesbehörden ÷ Ziel: rechnerisch "
        f"{pct(k['users'] / k['target'])} – nur näherungsweise vergleichbar (Nutzende sind keine Arbeitsplätze, "
        "die Justiz ist nicht im Rollout erfasst)."
    )


def kpi_row(k: dict, today: dt.date, markers: dict | None = None) -> None:
    """The four headline figures, each with its Stand and source, and the published figures of the same measure."""
    markers = markers or {}
    c1, c2, c3, c4 = st.columns(4, border=True)
    stand = Stand.of(k)
    with c1:
        st.metric(
            "Behörden produktiv",
            f"{k['productive']} von {k['scope']}",
            help="Behörden im eAkte-Rollout, deren letzter Stichtag den Status „produktiv“ meldet.",
        )
        st.caption(f"Anteil {pct(k['productive'] / k['scope'] if k['scope'] else None)} der Behörden im Rollout")
        _widgets.caption(stand)
        _widgets.published(markers.get("authorities", ()))
    with c2:
        st.metric("Aktive Nutzende", num(k["users"]), help="Summe der aktiven Nutzenden aller Behörden am Stand.")
        if k["target"]:
            st.caption(target_text(k))
        _widgets.caption(stand)
        _widgets.published(markers.get("users", ()))
    with c3:
        added = k["users_added"]
        st.metric("Zuwachs letztes Quartal", "–" if added is None else f"{'+' if added > 0 else ''}{num(added)}")
        st.caption(
            f"Nutzende seit {date(k['added_since'])}" if added is not None else "Noch keine drei Monate Verlauf."
        )
        _widgets.caption(stand)
    with c4:
        st.metric(
            "Behörden ohne eAkte",
            num(k["without"]),
            help="Behörden im Rollout, die am Stand noch nicht produktiv sind (auch ohne gemeldete Daten).",
        )
        st.caption(deadline_text(k, today))
        _widgets.caption(stand)


def deadline_text(k: dict, today: dt.date) -> str:
    """The NDIG § 10 deadline judged at the data's Stand (as "im Verzug" is), with the data's age.

    Never "überschritten seit n Tagen" from today's date next to figures of an older Stand: what happened after the
    Stand is unknown, so a deadline that fell since then is reported as "not judgeable from these data".
    """
    if not k["deadline"]:
        return "Keine gesetzliche Frist hinterlegt."
    when, as_of, days = date(k["deadline"]), date(k["as_of"]), k["days_to_deadline"]
    age = k["data_age_days"]
    head = f"NDIG § 10, alle Landesbehörden ab {when}"
    if k["without"] == 0:
        state = f"am Datenstand {as_of} alle Behörden im Rollout produktiv"
    elif days > 0:
        state = f"am Datenstand {as_of} noch **{num(days)} Tage**, {num(k['without'])} Behörden ohne eAkte"
    elif days == 0:
        state = f"am Datenstand {as_of} **fällig**, {num(k['without'])} Behörden ohne eAkte"
    else:
        state = f"am Datenstand {as_of} **nicht eingehalten**: {num(k['without'])} Behörden ohne eAkte"
    text = f"{head}: {state}."
    if age > 0:
        text += f" Die Daten sind {num(age)} Tage alt (heute {date(today)})"
        text += (
            "; die Frist ist seitdem verstrichen – ob sie eingehalten wurde, zeigen erst neuere Daten."
            if k.get("deadline_passed_since_stand")
            else "."
        )
    return text


def forecast_text(f: dict, *, months: int, target: float | None) -> str:
    """One paragraph that says what the forecast is, what it assumes and what it shows."""
    head = f"**{forecast_label(months)}.** "
    status = f["status"]
    if status == "erreicht":
        return head + f"Das Ziel von {num(target)} wurde laut Daten im {month(f['reached'])} erreicht."
    if status == "zu wenige Daten":
        return head + (
            f"Im gewählten Zeitraum liegen {f['n']} Monatswerte vor; für einen Trend sind mindestens "
            "zwei nötig. Bitte einen längeren Zeitraum wählen."
        )
    pace = (
        f"Tempo: {'+' if f['slope'] > 0 else ''}{num(f['slope'])} Nutzende je Monat "
        f"(Kleinste-Quadrate-Gerade durch {f['n']} Monatswerte, {month(f['window_start'])} bis "
        f"{month(f['window_end'])}). Das Band zeigt ± 2 × Streuung der Monatswerte um diese Gerade "
        f"(± {num(2 * f['residual_sd'])} Nutzende). "
    )
    if status == "kein Anstieg":
        return head + pace + "Bei diesem Tempo wird das Ziel nicht erreicht."
    if not target:
        return head + pace
    if f["reached"] is None:
        return (
            head
            + pace
            + f"Das Ziel von {num(target)} wird bei diesem Tempo in den nächsten fünf Jahren nicht erreicht."
        )
    band = ""
    if f["reached_early"] and f["reached_late"] and f["reached_early"] != f["reached_late"]:
        band = f" (im Band zwischen {month(f['reached_early'])} und {month(f['reached_late'])})"
    elif f["reached_early"] and not f["reached_late"]:
        band = f" (frühestens {month(f['reached_early'])})"
    return (
        head
        + pace
        + f"Bei diesem Tempo würden {num(target)} Nutzende etwa im **{month(f['reached'])}** erreicht{band}."
    )


def show_authorities(df: pd.DataFrame) -> None:
    table = tables.authority_table(df)
    for col in tables.AUTHORITY_DATES:  # datetime columns show an empty cell instead of "None" for a missing date
        table[col] = pd.to_datetime(table[col])
    day = st.column_config.DateColumn(format="DD.MM.YYYY")
    _widgets.show_table(
        table,
        height=min(38 + 35 * len(table), 640),
        column_config={
            "Kürzel": st.column_config.TextColumn(width="small"),
            "Ressort": st.column_config.TextColumn(width="small"),
            "Behörde": st.column_config.TextColumn(width="medium"),
            "Im Verzug": st.column_config.TextColumn(
                width="medium", help="Start überfällig (Stand) oder Nutzung unter der Schwelle"
            ),
            "Nutzung %": st.column_config.NumberColumn(
                format="%.0f %%", help="Aktive Nutzende ÷ geplante Arbeitsplätze"
            ),
            **{c: day for c in tables.AUTHORITY_DATES},
        },
    )


def seat_map(auth: pd.DataFrame, stand: Stand) -> None:
    """The authorities at their seat (pydeck), coloured by status, sized by planned workplaces; table below."""
    from charts import eakte_map
    from charts.eakte import STATUS_COLOURS
    from geo.load import boundaries_if_built, url

    if auth.empty:
        st.info("Keine Behörde passt zu den gewählten Filtern.")
        return
    points = auth.join(eakte_map.seat_positions(auth["seat_ars"], boundaries_if_built))
    placed = points.dropna(subset=["lon", "lat"])
    if placed.empty:
        st.info(
            "Für keine Behörde der Auswahl ist ein Sitz bekannt, der auf der Karte liegt: der Sitz (ARS der "
            "Sitzgemeinde, Spalte „Sitz-ARS“) kommt mit dem Import „behoerden“ auf der Seite Daten; die Karte braucht "
            "außerdem die gebauten Grenzen.",
            icon=":material/location_off:",
        )
    else:
        # The outlines by address: inline they were 76 KB in every rerun of the page (the tabs always render).
        st.pydeck_chart(eakte_map.deck(placed, url("KRS")), height=520, width="stretch")
        legend = " · ".join(f"{s}: {c}" for s, c in STATUS_COLOURS.items() if s in set(placed["status"]))
        st.caption(
            f"{num(len(placed))} von {num(len(auth))} Behörden mit Sitz auf der Karte. Farbe nach Status ({legend}); "
            "die Fläche des Kreises wächst mit den geplanten Arbeitsplätzen. Die Tabelle nennt alle Behörden."
        )
    missing = len(auth) - len(placed)
    if len(placed) and missing:
        st.caption(f"Ohne Sitz auf der Karte: {num(missing)} Behörden (Sitz nicht importiert oder ohne Grenze).")
    _widgets.caption(stand)
    _widgets.table_alternative(tables.authority_table(auth), "eakte_sitze", stand=stand, key="eakte-map")
