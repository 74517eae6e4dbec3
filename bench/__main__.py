"""`python -m bench [--scale N] [--quick]`: measure the dashboard on demo and scale data; prints a table, writes BENCHMARKS.md.

Figures, not pass/fail: the budgets from issue 7 are printed beside the figures and never asserted.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e import harness  # noqa: E402  (the browser harness is shared with the e2e tests)

PAGE_FILES = {
    "uebersicht": "pages/overview.py",
    "karte": "pages/karte.py",
    "kommune": "pages/kommune.py",
    "dienste": "pages/dienste.py",
    "eakte": "pages/eakte.py",
    "pi-ziele": "pages/pi-ziele.py",
    "strategie": "pages/strategie.py",
    "daten": "pages/daten.py",
    "praesentation": "pages/praesentation.py",
}
IMPORT_ROWS = 100_000


@dataclass
class Row:
    backend: str
    dataset: str
    section: str
    item: str
    value: str
    budget: str = ""
    note: str = ""


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def seconds(s: float | None) -> str:
    return "–" if s is None else f"{s:.3f} s".replace(".", ",")


def over(value: float | None, limit: float) -> str:
    return "" if value is None else ("über Budget" if value > limit else "")


# --- datasets -------------------------------------------------------------------------------------------------


class Database:
    """A throw-away database on SQLite (temp file) or on the PostgreSQL server of DATABASE_URL."""

    def __init__(self, backend: str, work: Path, label: str):
        self.backend, self.work = backend, work
        if backend == "SQLite":
            self.url = f"sqlite:///{work / f'{label}.sqlite'}"
            self.admin = None
        else:
            from sqlalchemy import create_engine, make_url, text

            base = make_url(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
            self.name = f"dvn_bench_{label}_{uuid.uuid4().hex[:6]}"
            self.admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with self.admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{self.name}"'))
            self.url = base.set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        if self.admin is not None:
            from sqlalchemy import text

            with self.admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()


# --- measurements ---------------------------------------------------------------------------------------------


def measure_queries(url: str, data: harness.AppData, runs: int) -> list[tuple[str, float | None, str]]:
    from data_access.db import make_engine
    from data_access.queries import eakte, overview, pi, regions, services, steckbrief, strategy

    engine = make_engine(url)
    meta = services.offers_meta(engine) or {}
    as_of = meta.get("as_of") or dt.date.today()
    vwg = data.vwg_ars or ""
    calls = [
        ("Übersicht: eAkte-Kennzahl", lambda: overview.eakte_headline(engine)),
        ("Übersicht: Onlinedienste live", lambda: overview.services_headline(engine)),
        ("Übersicht: Vorhersagbarkeit", lambda: overview.latest_pi_predictability(engine)),
        *[
            (f"Karte: availability {lvl}", lambda lvl=lvl: services.availability(engine, level=lvl, as_of=as_of))
            for lvl in ("GEM", "VWG", "KRS")
        ],
        ("Kommune: unit (VWG)", lambda: regions.unit(engine, ars=vwg)),
        ("Kommune: gaps (VWG)", lambda: steckbrief.gaps(engine, unit=regions.unit(engine, ars=vwg), as_of=as_of)),
        ("Kommune: history (VWG)", lambda: steckbrief.history(engine, unit=regions.unit(engine, ars=vwg), as_of=as_of)),
        ("eAkte: users_series", lambda: eakte.users_series(engine)),
        ("PI: programme_predictability", lambda: pi.programme_predictability(engine)),
        ("PI: team_predictability", lambda: pi.team_predictability(engine)),
        ("Strategie: coverage", lambda: strategy.coverage(engine)),
    ]
    out = []
    for label, fn in calls:
        try:
            s, result = median_time(fn, runs)
            rows = len(result) if hasattr(result, "__len__") and not isinstance(result, dict) else ""
            out.append((label, s, f"{rows} Zeilen" if rows != "" else ""))
        except Exception as exc:  # a query that breaks is a figure too
            out.append((label, None, f"Fehler: {type(exc).__name__}: {str(exc)[:80]}"))
    engine.dispose()
    return out


def measure_render(url: str, data: harness.AppData, cold_runs: int, warm_runs: int) -> list[tuple]:
    """Server-side render per page with AppTest: cold = query cache cleared (engine kept), warm = cached."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from data_access import read

    os.environ["DATABASE_URL"], os.environ["DVN_GEO_DIR"] = url, str(data.geo_dir)
    st.cache_data.clear()
    st.cache_resource.clear()
    out = []
    for name, file in PAGE_FILES.items():
        if not (ROOT / file).is_file():
            continue
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        if name == "kommune" and data.vwg_ars:
            at.query_params["ars"] = data.vwg_ars
        at.switch_page(file)
        at.run()  # warm-up: engine, migrations check, imports
        cold, warm = [], []
        for _ in range(cold_runs):
            st.cache_data.clear()
            with read.recording() as rec:  # every statement of the cold render, through data_access.read
                t0 = time.perf_counter()
                at.run()
                cold.append(time.perf_counter() - t0)
        # The last cold render: how many statements, their time, and the query functions that asked most often.
        per_fn = collections.Counter(name.rsplit(".", 1)[-1] for name, _ in rec.statements)
        top = ", ".join(f"{n}× {fn}" for fn, n in per_fn.most_common(3))
        statements = f"{len(rec.statements)} Abfragen, {rec.seconds:.2f} s in der DB ({top})".replace(".", ",")
        for _ in range(warm_runs):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        error = f"Fehler: {at.exception[0].message[:80]}" if at.exception else ""
        out.append((name, statistics.median(cold), statistics.median(warm), error, statements))
    return out


def measure_map_filter(url: str, data: harness.AppData, runs: int) -> tuple[float | None, str]:
    """Map page run after a Themenfeld change (?themenfeld=…), both values already cached (AppTest, whole script).

    A fresh AppTest per run with the filter in the URL: AppTest cannot rerun this page after set_value
    (its search selectbox starts empty and AppTest's widget-state export fails on that).
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from data_access.models import THEMENFELDER

    os.environ["DATABASE_URL"], os.environ["DVN_GEO_DIR"] = url, str(data.geo_dir)
    st.cache_data.clear()

    def app(themenfeld: str | None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        if themenfeld:
            at.query_params["themenfeld"] = themenfeld
        at.switch_page(PAGE_FILES["karte"])
        return at

    values = [None, THEMENFELDER[0]]
    for v in values:  # fill the cache for both values
        app(v).run()
    times = []
    for i in range(runs * 2):
        at = app(values[i % 2])
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        if at.exception:
            return None, f"Fehler: {at.exception[0].message[:80]}"
    return statistics.median(times), "AppTest, ganzes Skript (im Browser läuft nur das Fragment neu)"


def measure_browser(data: harness.AppData, work: Path, warm_runs: int) -> list[tuple]:
    """Browser time to interactive per page: first visit after server start (cold) and median of later visits."""
    from playwright.sync_api import sync_playwright

    out = []
    with harness.streamlit_server(data, work / "bench-streamlit.log") as server, sync_playwright() as p:
        browser = harness.launch_browser(p)
        # The first session of a fresh server is special (Streamlit's pages/ folder handling): open "/" first.
        v = harness.new_visit(browser)
        harness.open_page(v, server.base, "")
        v.context.close()
        for name in PAGE_FILES:
            if name not in harness.PAGES:
                continue
            path = harness.PAGES[name].format(vwg=data.vwg_ars or "")
            times = []
            for _ in range(1 + warm_runs):
                v = harness.new_visit(browser)
                try:
                    times.append(harness.open_page(v, server.base, path))
                except Exception as exc:
                    times.append(None)
                    out.append((name, None, None, f"Fehler: {str(exc)[:80]}"))
                    break
                finally:
                    v.context.close()
            else:
                out.append((name, times[0], statistics.median(times[1:]) if times[1:] else times[0], ""))
        browser.close()
    return out


def measure_payloads(geo_dir: Path) -> list[tuple[str, int, int]]:
    out = []
    for lvl in ("GEM", "VWG", "KRS"):
        path = geo_dir / f"{lvl}.geojson"
        if path.is_file():
            raw = path.read_bytes()
            out.append((lvl, len(raw), len(gzip.compress(raw, 6))))
    return out


def import_file_bytes(url: str, rows: int) -> bytes | None:
    """A German offers CSV with `rows` rows: status changes of existing services at the VWGs, monthly dates."""
    from sqlalchemy import select

    from data_access.db import make_engine
    from data_access.models import OnlineService, Region

    engine = make_engine(url)
    with engine.connect() as c:
        keys = list(c.scalars(select(OnlineService.service_key).order_by(OnlineService.service_key)))
        vwgs = list(c.scalars(select(Region.ars).where(Region.level == "VWG").order_by(Region.ars)))
    engine.dispose()
    if not keys or not vwgs:
        return None
    statuses = ("geplant", "in Umsetzung", "live")
    lines = ["Dienst-Schlüssel;ARS;Status;Seit"]
    month = 0
    while len(lines) <= rows:
        day = dt.date(2030, 1, 1) + dt.timedelta(days=31 * month)
        for key in keys:
            for ars in vwgs:
                if len(lines) > rows:
                    break
                lines.append(f"{key};{ars};{statuses[month % 3]};{day:%d.%m.%Y}")
        month += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def measure_import(url: str, rows: int) -> list[tuple[str, float | None, str]]:
    try:
        from data_access.importers import import_file
    except ImportError as exc:
        return [("Import", None, f"übersprungen: data_access.importers fehlt ({exc})")]
    from data_access.db import make_engine

    payload = import_file_bytes(url, rows)
    if payload is None:
        return [("Import", None, "übersprungen: keine Dienste oder Verwaltungseinheiten")]
    engine = make_engine(url)
    out = []
    for label, dry in (("Prüflauf (dry run)", True), ("Import (schreibt)", False)):
        t0 = time.perf_counter()
        result = import_file(engine, "angebote", payload, file_name="bench_angebote.csv", user="bench", dry_run=dry)
        s = time.perf_counter() - t0
        if not result.ok:
            first = result.problems[0] if result.problems else result.message
            out.append((label, None, f"abgelehnt: {str(first)[:100]}"))
            break
        out.append((label, s, f"{rows / s:,.0f} Zeilen/s".replace(",", ".") + f" ({len(payload) / 1e6:.1f} MB)"))
    engine.dispose()
    return out


# --- report ---------------------------------------------------------------------------------------------------


def versions() -> str:
    from importlib.metadata import version

    pkgs = ["streamlit", "plotly", "pandas", "sqlalchemy", "psycopg", "playwright"]
    out = ", ".join(f"{p} {version(p)}" for p in pkgs)
    try:
        chromium = subprocess.run([harness.chromium_path(), "--version"], capture_output=True, text=True, timeout=30)
        out += f", {chromium.stdout.strip()}"
    except Exception:
        pass
    return out


def machine() -> str:
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    return (
        f"{os.cpu_count()} Kerne ({cpu}), {mem / 1048576:.1f} GB RAM, {platform.platform()}, "
        f"Python {platform.python_version()}"
    )


def table(rows: list[Row]) -> str:
    head = ["Datenbank", "Daten", "Bereich", "Messung", "Wert", "Budget", "Hinweis"]
    body = [[r.backend, r.dataset, r.section, r.item, r.value, r.budget, r.note] for r in rows]
    return "\n".join(
        ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        + ["| " + " | ".join(c.replace("|", "/") for c in line) + " |" for line in body]
    )


def print_table(rows: list[Row]) -> None:
    head = ["Datenbank", "Daten", "Bereich", "Messung", "Wert", "Budget", "Hinweis"]
    body = [[r.backend, r.dataset, r.section, r.item, r.value, r.budget, r.note] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=False)]
    widths[-1] = min(widths[-1], 70)
    for line in [head, ["-" * w for w in widths], *body]:
        print("  ".join(str(c)[:w].ljust(w) for c, w in zip(line, widths, strict=False)))


def add_row(rows: list[Row], backend: str, dataset: str, *args, **kwargs) -> None:
    rows.append(Row(backend, dataset, *args, **kwargs))


def run(args) -> list[Row]:
    rows: list[Row] = []
    backends = ["SQLite"] + (["PostgreSQL"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])
    datasets = [("Demo", 1), (f"Skala {args.scale}", args.scale)]
    cold_runs, warm_runs, q_runs = (1, 2, 1) if args.quick else (3, 5, 3)
    import_rows = 20_000 if args.quick else IMPORT_ROWS
    pg_url = os.environ.get("DATABASE_URL", "")
    if not os.environ.get("BOUNDARIES") and harness.REAL_BOUNDARIES.is_file():
        os.environ["BOUNDARIES"] = str(harness.REAL_BOUNDARIES)  # the official VG5000 zip beside the project
    for backend in backends:
        for dataset, scale in datasets:
            demo = scale == 1
            budget_render = 0.5 if demo else 1.5
            print(f"\n### {backend} · {dataset}: Datenbank aufbauen …", flush=True)
            work = Path(tempfile.mkdtemp(prefix="dvn-bench-"))
            if backend == "SQLite":
                os.environ.pop("DATABASE_URL", None)
            else:
                os.environ["DATABASE_URL"] = pg_url
            db = Database(backend, work, f"s{scale}")
            os.environ.pop("DATABASE_URL", None)
            try:
                data = harness.prepare_database(db.url, work / "geo", scale=scale, work_dir=work)
                add = functools.partial(add_row, rows, backend, dataset)
                for step, s in data.seconds.items():
                    add("Aufbau", step, seconds(s))
                for note in data.notes:
                    add("Aufbau", "Hinweis", "–", note=note)
                print("  Abfragen …", flush=True)
                for label, s, note in measure_queries(db.url, data, q_runs):
                    add("Abfrage", label, seconds(s), note=note)
                print("  Seiten (AppTest) …", flush=True)
                for name, cold, warm, error, statements in measure_render(db.url, data, cold_runs, warm_runs):
                    add("Render kalt", name, seconds(cold), note=error or statements)
                    add(
                        "Render warm",
                        name,
                        seconds(warm),
                        f"< {budget_render} s".replace(".", ","),
                        note=error or over(warm, budget_render),
                    )
                s, note = measure_map_filter(db.url, data, 1 if args.quick else 3)
                add("Karte", "Filterwechsel warm", seconds(s), "< 0,3 s", note=(over(s, 0.3) + " " + note).strip())
                if demo:
                    for lvl, raw, gz in measure_payloads(data.geo_dir):
                        add(
                            "Karte",
                            f"GeoJSON {lvl}",
                            f"{raw / 1024:,.0f} KB".replace(",", "."),
                            "< 500 KB" if lvl == "GEM" else "",
                            note=f"gzip {gz / 1024:,.0f} KB".replace(",", ".")
                            + (" über Budget" if lvl == "GEM" and raw > 500 * 1024 else ""),
                        )
                if not args.no_browser:
                    print("  Browser …", flush=True)
                    for name, cold, warm, error in measure_browser(data, work, 1 if args.quick else 3):
                        add("Browser TTI erster Besuch", name, seconds(cold), note=error)
                        add(
                            "Browser TTI",
                            name,
                            seconds(warm),
                            "< 3 s" if demo else "",
                            note=error or (over(warm, 3.0) if demo else ""),
                        )
                if demo:
                    print("  Import …", flush=True)
                    for label, s, note in measure_import(db.url, import_rows):
                        add(
                            "Import Angebote",
                            f"{import_rows:,} Zeilen: {label}".replace(",", "."),
                            seconds(s),
                            note=note,
                        )
            finally:
                db.drop()
                shutil.rmtree(work, ignore_errors=True)
    return rows


def write_markdown(rows: list[Row], args, started: dt.datetime, took: float) -> None:
    cmd = "make bench" + (f" BENCH_ARGS='--scale {args.scale}'" if args.scale != 10 else "")
    text = f"""# Messwerte (`make bench`)

Gemessen am {started:%d.%m.%Y %H:%M} in {took / 60:.1f} min{" (--quick: weniger Wiederholungen)" if args.quick else ""}.
Reproduzieren: `{cmd}` (SQLite) bzw. `DATABASE_URL=postgresql+psycopg://… make bench` (zusätzlich PostgreSQL);
`python -m bench --help` für `--scale N` und `--quick`.

**Maschine:** {machine()}
**Versionen:** {versions()}

Wie gemessen wird:
- *Aufbau*: Migration, Grenzen (BKG-Zip aus `BOUNDARIES` oder Test-Zip), Beispieldaten
  (`data_access.demo.seed(engine, scale=N)`; Skala 10 = zehnmal so viele Dienste und Angebote).
- *Render kalt/warm*: Server-seitige Laufzeit der Seite mit Streamlits AppTest (Median);
  kalt = Abfrage-Cache (`st.cache_data`) geleert, Engine bleibt; warm = alles im Cache. Beim kalten Lauf
  zählt `data_access.read.recording()` die Abfragen, ihre Zeit in der Datenbank und die häufigsten Abfragefunktionen.
- *Filterwechsel warm*: Karte, Themenfeld zwischen zwei bereits berechneten Werten wechseln (AppTest).
- *Browser TTI*: Chromium (headless, Debian-Paket) von der Navigation bis Streamlit fertig ist und jede Karte
  gezeichnet ist; erster Besuch je Seite nach Serverstart (kalte Caches) und Median der folgenden Besuche.
- *GeoJSON*: Größe der vereinfachten Grenzdateien in `build/geo` je Ebene (roh; gzip zum Vergleich).
- *Import*: `import_file(engine, "angebote", …)` mit einer erzeugten CSV-Datei (Statuswechsel bestehender
  Angebote), erst als Prüflauf, dann schreibend, in einer Transaktion.

Budgets (Ziele aus Issue 7, werden gemessen, nie in Tests geprüft): warm < 0,5 s (Beispieldaten) /
< 1,5 s (Skala 10); Filterwechsel Karte < 0,3 s warm; GEM-GeoJSON < 500 KB; Browser-TTI < 3 s (Beispieldaten).

{table(rows)}
"""
    path = ROOT / args.output
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    marker = "\n## "
    if marker in existing:  # keep the hand-written sections (Nachtrag, Issue 16, Bewertung) below the figures
        text += existing[existing.index(marker) :]
    path.write_text(text, encoding="utf-8")
    print(f"\nGeschrieben: {path}")


def run_where(args) -> None:
    """`--only where`: issue 16's baselines beside the project's pages (demo data, SQLite or DATABASE_URL)."""
    from bench import where_time

    pg_url = os.environ.pop("DATABASE_URL", "")
    backend = "PostgreSQL" if pg_url.startswith("postgres") else "SQLite"
    if not os.environ.get("BOUNDARIES") and harness.REAL_BOUNDARIES.is_file():
        os.environ["BOUNDARIES"] = str(harness.REAL_BOUNDARIES)
    work = Path(tempfile.mkdtemp(prefix="dvn-bench-where-"))
    if pg_url:
        os.environ["DATABASE_URL"] = pg_url
    db = Database(backend, work, "where")
    os.environ.pop("DATABASE_URL", None)
    try:
        data = harness.prepare_database(db.url, work / "geo", scale=args.scale or 1, work_dir=work)
        results = where_time.measure(data, work, 3 if args.quick else 5)
    finally:
        db.drop()
        shutil.rmtree(work, ignore_errors=True)
    where_time.print_results(results)
    what = f"Skala {args.scale}" if args.scale else "Beispieldaten"
    out = ROOT / "test-artifacts" / f"bench-where-{backend}-{args.scale or 1}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"{backend}, {what}\n\n{where_time.table(results)}\n\n{where_time.filter_summary(results)}\n")
    print(f"Geschrieben: {out}")


def run_scale(args) -> None:
    """`--only scale`: how cost grows with the data (scales 1, 10, 100 or --scales), one backend (DATABASE_URL or
    SQLite): build time, offer rows, database size, every query and every page cold/warm (AppTest), as a table with
    one column per scale and the growth factor from the first to the last scale."""
    from sqlalchemy import func, select

    from data_access.db import make_engine
    from data_access.models import Offer

    scales = [int(x) for x in args.scales.split(",")]
    pg_url = os.environ.get("DATABASE_URL", "")
    backend = "PostgreSQL" if pg_url.startswith("postgres") else "SQLite"
    if not os.environ.get("BOUNDARIES") and harness.REAL_BOUNDARIES.is_file():
        os.environ["BOUNDARIES"] = str(harness.REAL_BOUNDARIES)
    figures: dict[str, dict[int, str]] = collections.defaultdict(dict)
    order: list[str] = []

    def put(label: str, scale: int, value: str) -> None:
        if label not in order:
            order.append(label)
        figures[label][scale] = value

    started = time.perf_counter()
    for scale in scales:
        print(f"\n### {backend} · Skala {scale}: Datenbank aufbauen …", flush=True)
        work = Path(tempfile.mkdtemp(prefix="dvn-bench-scale-"))
        db = Database(backend, work, f"x{scale}")
        os.environ.pop("DATABASE_URL", None)
        try:
            data = harness.prepare_database(db.url, work / "geo", scale=scale, work_dir=work)
            for step, sec in data.seconds.items():
                put(f"Aufbau: {step}", scale, seconds(sec))
            engine = make_engine(db.url)
            with engine.connect() as c:
                put("Angebotszeilen", scale, f"{c.scalar(select(func.count()).select_from(Offer)):,}".replace(",", "."))
            engine.dispose()
            if backend == "SQLite":
                size = Path(db.url.removeprefix("sqlite:///")).stat().st_size
                put("Datenbankgröße", scale, f"{size / 2**20:,.0f} MB".replace(",", "."))
            print("  Abfragen …", flush=True)
            for label, sec, _ in measure_queries(db.url, data, 1):
                put(f"Abfrage: {label}", scale, seconds(sec))
            print("  Seiten (AppTest) …", flush=True)
            for name, cold, warm, error, _ in measure_render(db.url, data, 1, 2):
                put(f"Render kalt: {name}", scale, error or seconds(cold))
                put(f"Render warm: {name}", scale, error or seconds(warm))
        except Exception as exc:  # the largest scale that fits is a result too: say where it broke
            put("Fehler", scale, f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}")
        finally:
            db.drop()
            shutil.rmtree(work, ignore_errors=True)
            if pg_url:
                os.environ["DATABASE_URL"] = pg_url

    def number(v: str | None) -> float | None:
        try:
            return float(v.split()[0].replace(".", "").replace(",", ".")) if v else None
        except ValueError:
            return None

    head = ["Messung", *[f"Skala {x}" for x in scales], f"Faktor {scales[0]} → {scales[-1]}"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for label in order:
        vals = [figures[label].get(x, "–") for x in scales]
        a, b = number(vals[0]), number(vals[-1])
        factor = f"{b / a:.1f}×".replace(".", ",") if a and b else ""
        lines.append("| " + " | ".join([label, *vals, factor]) + " |")
    text = (
        f"{backend}, Skalen {', '.join(map(str, scales))}, {(time.perf_counter() - started) / 60:.0f} min\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print(text)
    out = ROOT / "test-artifacts" / f"bench-scale-{backend}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"Geschrieben: {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Messwerte des DVN-Dashboards")
    parser.add_argument(
        "--scale",
        type=int,
        help="Skala des zweiten Datensatzes (Standard 10; mit --only where: Standard Beispieldaten)",
    )
    parser.add_argument("--quick", action="store_true", help="weniger Wiederholungen, 20.000 Importzeilen")
    parser.add_argument("--no-browser", action="store_true", help="ohne Chromium-Messung")
    parser.add_argument("--output", default="BENCHMARKS.md", help="Ergebnisdatei (relativ zum Projekt)")
    parser.add_argument("--no-write", action="store_true", help="nur ausgeben, BENCHMARKS.md nicht schreiben")
    parser.add_argument(
        "--only",
        choices=["where", "scale"],
        help="where: Baselines und Seiten im Browser (Beispieldaten oder --scale); scale: Skalenreihe (--scales)",
    )
    parser.add_argument("--scales", default="1,10,100", help="mit --only scale: Skalen, Komma-getrennt")
    args = parser.parse_args(argv)
    if args.only == "where":
        run_where(args)
        return 0
    if args.only == "scale":
        run_scale(args)
        return 0
    args.scale = args.scale or 10
    started, t0 = dt.datetime.now(), time.perf_counter()
    rows = run(args)
    print()
    print_table(rows)
    if not args.no_write:
        write_markdown(rows, args, started, time.perf_counter() - t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
