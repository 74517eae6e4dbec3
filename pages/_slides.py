"""Widget groups of the Präsentationsmodus: slide number in the URL, KPI tiles, navigation, auto-advance, exports."""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from charts import slides as charts
from data_access.provenance import Stand
from formatting import date
from pages import _rechtliches, _url, _widgets
from pages._widgets import md
from reports import open_data, pdf, powerpoint
from reports import slides as model
from reports.files import file_name

INTERVALS = {0: "aus", 10: "alle 10 s", 20: "alle 20 s", 30: "alle 30 s", 60: "jede Minute", 120: "alle 2 min"}
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def slide_index(n: int) -> int:
    """0-based index of the slide in ?folie= (1-based); a number that is no slide shows slide 1, with the hint."""
    return _url.integer("folie", 1, range(1, max(n, 1) + 1), what="die Folie", shown=lambda k: f"Folie {k}") - 1


def go_to(index: int, n: int) -> None:
    """Show slide `index` (wraps around, so a clicker can loop the deck)."""
    _url.sync("folie", index % n + 1, None)  # always in the address, slide 1 too


def interval() -> int:
    """Auto-advance interval in seconds from ?auto= (0 = off; an unknown value is off, with the German hint).

    Read once per run (praesentation.py) and handed to `options`, so the hint appears once.
    """
    return _url.integer("auto", 0, tuple(INTERVALS), what="das Weiterblättern", shown=lambda _: "„aus“")


def advance_if_due(index: int, n: int, seconds: int) -> int:
    """On a timed fragment run, move on when the slide has been shown for `seconds`; returns the index to show.

    A slide changed by hand restarts the clock, so auto-advance never skips a slide the speaker just chose.
    """
    now = time.monotonic()
    state = st.session_state.setdefault("praesentation", {"index": index, "due": now + seconds, "every": seconds})
    if state["index"] != index or state["every"] != seconds:
        state.update(index=index, due=now + seconds, every=seconds)
    elif seconds and now >= state["due"] - 0.5:
        index = (index + 1) % n
        go_to(index, n)
        state.update(index=index, due=now + seconds)
    return index


def heading(slide) -> None:
    st.title(md(slide.title))
    if slide.is_demo:
        _widgets.demo_badge(mixed=slide.is_mixed)


def kpi_tiles(slide, *, columns: int = 3) -> None:
    """Large KPI tiles (value, label, note, own Stand) in a grid."""
    kpis = list(slide.kpis)
    for start in range(0, len(kpis), columns):  # one row of columns per line, so the tiles line up
        for col, kpi in zip(st.columns(columns, gap="large"), kpis[start : start + columns], strict=False):
            with col:
                kpi_block(kpi, stand=True)


def kpi_block(kpi, *, stand: bool = False) -> None:
    st.markdown(f"# {md(kpi.value)}")
    st.markdown(f"#### {md(kpi.label)}")
    if kpi.note:
        st.caption(md(kpi.note))
    _widgets.published(kpi.published)
    if stand and kpi.as_of:
        _widgets.caption(kpi.provenance)


def chart_slide(slide, fig, index: int) -> None:
    """KPI column left, the figure right with Stand/source and the table alternative."""
    left, right = st.columns([1, 3], gap="large")
    with left:
        for kpi in slide.kpis:
            kpi_block(kpi)
    with right:
        if fig is None:
            st.info(
                "Die Kartengrundlage ist noch nicht aufgebaut (`python -m geo build`); die Zahlen stehen links.",
                icon=":material/map:",
            )
            st.caption(md(slide.stand))
        else:
            _widgets.chart(
                fig,
                slide.table,
                basename=f"folie{index + 1}_{slide.key}",
                stand=slide.provenance,
                key=f"slide-{slide.key}",
            )


def navigation(index: int, n: int) -> None:
    """Zurück/Weiter with keyboard and clicker keys and the slide counter (the chart's image: below the chart)."""
    c = st.columns([2, 2, 1, 1, 6], vertical_alignment="center")
    # Clickers send PageUp/PageDown (some arrows); a button takes one shortcut, so each direction has two.
    # Both secondary: a primary button draws its shortcut hint in 60 % white on blue (3.6:1, below AA).
    c[0].button(
        "Zurück",
        icon=":material/arrow_back:",
        shortcut="PageUp",
        key="prev",
        width="stretch",
        on_click=go_to,
        args=(index - 1, n),
        help="Vorige Folie (Bild ↑)",
    )
    c[1].button(
        "Weiter",
        icon=":material/arrow_forward:",
        shortcut="PageDown",
        key="next",
        width="stretch",
        on_click=go_to,
        args=(index + 1, n),
        help="Nächste Folie (Bild ↓)",
    )
    c[2].button(
        "←",
        type="tertiary",
        shortcut="ArrowLeft",
        key="prev-arrow",
        on_click=go_to,
        args=(index - 1, n),
        help="Vorige Folie (Pfeiltaste links)",
    )
    c[3].button(
        "→",
        type="tertiary",
        shortcut="ArrowRight",
        key="next-arrow",
        on_click=go_to,
        args=(index + 1, n),
        help="Nächste Folie (Pfeiltaste rechts)",
    )
    c[4].markdown(f"**Folie {index + 1} von {n}**")


def options(deck, geojson: dict | None, engine, stichtag: dt.date | None, *, demo: bool, current: int) -> None:
    """Popover with auto-advance (`current`: the interval in use), the deck downloads and the open-data package."""
    with st.popover("Optionen und Export", icon=":material/tune:"):
        chosen = st.selectbox(
            "Automatisch weiterblättern",
            list(INTERVALS),
            index=list(INTERVALS).index(current),
            format_func=INTERVALS.get,
            key="w_auto",
        )
        if chosen != current:
            _url.sync("auto", chosen, 0)
            st.rerun()
        # One Stand for the deck's file names: the newest slide's, with the demo suffix when any slide shows demo rows.
        dated = [s.as_of for s in deck if s.as_of]
        flags = [s.is_demo for s in deck]  # not `demo`: that is the open data's own flag below
        mixed = any(s.is_mixed for s in deck) or not all(flags)
        deck_stand = Stand(max(dated, default=None), "DVN-Programmdatenbank", any(flags), mixed)
        deck_files(deck, geojson, deck_stand)
        if stichtag:
            st.download_button(
                f"Offene Daten: Onlinedienste je Gemeinde und Kreis ({date(stichtag)})",
                data=lambda: open_data.package(engine, as_of=stichtag)[0],
                file_name=file_name("onlinedienste_niedersachsen", Stand(stichtag, "", demo), "zip"),
                mime="application/zip",
                on_click="ignore",
                icon=":material/dataset:",
                key="opendata",
                help="CSV, JSON und Metadaten (Datenlizenz Deutschland – Namensnennung 2.0)",
            )
        # A button, not a page link: the link kept ?praesentation=1 in the address, so a reload presented again.
        if st.button("Präsentation beenden", icon=":material/close:", key="end"):
            end()


@st.cache_resource(show_spinner=False)
def _built() -> dict:
    """The deck files per data version (reports.slides.version), shared by all sessions of the process."""
    return {}


KEEP_VERSIONS = 2  # the current data and the one before (a session that has not rerun yet)


def build(deck, geojson: dict | None, version: str, legal: str) -> dict[str, bytes]:
    """Render the slide images and write PowerPoint and PDF once for this data version, showing each step."""
    # Steps as the status label and a line each: an st.progress bar stayed a grey placeholder while kaleido held
    # the process (its script chunk is loaded lazily); markdown and the status box are already in the browser.
    with st.status("Foliensatz wird erstellt …", expanded=True) as status:
        charted = [s for s in deck if s.chart]
        images: dict[str, bytes] = {}
        for i, slide in enumerate(charted):
            # The first image starts the local Chromium (about 10 s); later ones take about a second.
            step = f"Diagramm {i + 1} von {len(charted)} als Bild: {md(slide.title)}"
            status.update(label=f"Foliensatz wird erstellt – {step} …")
            st.markdown(step)
            images.update(charts.images([slide], geojson=geojson))
        status.update(label="Foliensatz wird erstellt – PowerPoint …")
        st.markdown("PowerPoint")
        files = {"pptx": powerpoint.build(deck, images, legal=legal)}
        if not pdf.font_problem():
            status.update(label="Foliensatz wird erstellt – PDF …")
            st.markdown("PDF")
            files["pdf"] = pdf.build(deck, images, legal=legal)
        missing = len(charted) - len(images)
        label = "Foliensatz erstellt" + (f" ({missing} Diagramme ohne Bild)" if missing else "")
        status.update(label=label, state="error" if missing else "complete", expanded=False)
    store = _built()
    store[version] = files
    for old in list(store)[:-KEEP_VERSIONS]:
        store.pop(old, None)
    return files


def deck_files(deck, geojson: dict | None, stand: Stand) -> None:
    """PowerPoint and PDF of the deck: built on request with visible progress, then offered for download.

    Built once per data version (the deck's contents and the boundaries), not on each click: the first build
    takes about 15 s (local Chromium renders the figures), later sessions get the same files at once.
    """
    from geo.load import url as boundaries_url

    legal = model.legal_line(_rechtliches.site_address())
    version = model.version(deck, boundaries_url(model.MAP_LEVEL), legal)
    files = _built().get(version)
    if files is None:
        st.caption("PowerPoint und PDF werden einmal je Datenstand erstellt (beim ersten Mal etwa 15 Sekunden).")
        if st.button("Foliensatz erstellen (PowerPoint und PDF)", icon=":material/slideshow:", key="build-deck"):
            files = build(deck, geojson, version, legal)
    if files is None:
        return
    st.download_button(
        "Foliensatz herunterladen (PowerPoint)",
        data=files["pptx"],
        file_name=file_name("dvn-foliensatz", stand, "pptx"),
        mime=PPTX,
        on_click="ignore",
        icon=":material/slideshow:",
        key="pptx",
    )
    if "pdf" in files:
        st.download_button(
            "Foliensatz herunterladen (PDF)",
            data=files["pdf"],
            file_name=file_name("dvn-foliensatz", stand, "pdf"),
            mime="application/pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            key="pdf",
        )
    elif problem := pdf.font_problem():
        st.warning(problem, icon=":material/picture_as_pdf:")


def end() -> None:
    """Leave the Präsentationsmodus for good: its parameters leave the address, then the Übersicht opens."""
    _url.clear()
    st.session_state.pop("praesentation", None)
    st.switch_page("pages/overview.py")
