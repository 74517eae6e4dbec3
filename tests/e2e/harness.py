"""Browser harness shared by the e2e tests and `make bench`: app database, `streamlit run` server, Chromium pages."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
REAL_BOUNDARIES = ROOT.parent / "shared" / "geo" / "vg5000_01-01.gk3.shape.ebenen.zip"

# Debian's chromium, never a downloaded one; flags keep it from phoning home (updates, sync, QUIC probes).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOST = "127.0.0.1"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Every page of the navigation (url_path -> path with query); "{vwg}" is filled with a Verwaltungseinheit's ARS.
# The default page (Übersicht) is served at "/"; its own address /uebersicht hands on to it (pages/uebersicht.py).
PAGES = {
    "start": "",
    "uebersicht": "uebersicht",
    "karte": "karte",
    "kommune": "kommune?ars={vwg}",
    "dienste": "dienste",
    "eakte": "eakte",
    "pi-ziele": "pi-ziele",
    "strategie": "strategie",
    "daten": "daten",
    "praesentation": "praesentation",
    "methodik": "methodik",
    "barrierefreiheit": "barrierefreiheit",
    "impressum": "impressum",
    "datenschutz": "datenschutz",
}

# True when every plotly chart is mounted and every map's MapLibre canvas is drawn (style loaded, not moving).
MAPS_DRAWN_JS = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return charts.every(chart => {
    const gd = chart.querySelector('.js-plotly-plot');
    const fl = gd && gd._fullLayout;
    if (!fl) return false;  // plotly not yet mounted: an empty list would pass too early
    const keys = Object.keys(fl).filter(k => /^map\\d*$/.test(k) && fl[k] && fl[k]._subplot);
    return keys.every(k => {
      const m = fl[k]._subplot.map;
      const c = gd.querySelector('canvas');
      return m && m.loaded() && !m.isMoving() && c && c.width > 0 && c.height > 0;
    });
  });
}"""


# Console errors Streamlit's own frontend always logs on a deep link (/karte): it probes the page path as a
# possible base URL (GET /karte/_stcore/health and /host-config -> 404) before it uses the server root.
STREAMLIT_PROBE_404 = re.compile(r"status of 404 .* @ http://127\.0\.0\.1:\d+/[\w-]+/_stcore/(health|host-config)$")


def is_real_console_error(message: str) -> bool:
    return not STREAMLIT_PROBE_404.search(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCAL_HOST, 0))
        return s.getsockname()[1]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "Debians chromium fehlt (apt-get install chromium); Browsertests laden keinen Browser herunter."
        )
    return path


def boundaries_source(tmp_dir: Path) -> tuple[str, str]:
    """The zip to build boundaries from: env BOUNDARIES if it names a file, else the tiny BKG-layout fixture."""
    env = os.environ.get("BOUNDARIES", "").strip()
    if env and Path(env).is_file():
        return env, "BKG-Zip " + Path(env).name
    from tests.fixtures.make_bkg_zip import make_zip

    target = tmp_dir / "bkg_fixture.zip"
    made = make_zip(target)
    return str(made or target), "Test-Zip (tests/fixtures/make_bkg_zip.py)"


@dataclass
class AppData:
    """A database prepared like `make setup` does: schema, reference data, boundaries, demo data."""

    url: str
    geo_dir: Path
    boundaries: str = ""  # what the boundaries were built from; "" when geo is not available
    demo: bool = False  # data_access.demo.seed ran
    notes: list[str] = field(default_factory=list)
    vwg_ars: str | None = None
    vwg_name: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def prepare_database(url: str, geo_dir: Path, *, scale: int = 1, work_dir: Path) -> AppData:
    """Migrate, build boundaries, seed demo data; missing parts (modules not written yet) become notes."""
    from sqlalchemy import select

    from data_access.db import make_engine
    from data_access.models import Region
    from data_access.setup import ensure_ready

    data = AppData(url=url, geo_dir=geo_dir)
    engine = make_engine(url)
    try:
        t0 = time.perf_counter()
        ensure_ready(engine)
        data.seconds["migrate"] = time.perf_counter() - t0
        try:
            from geo.build import build_boundaries
        except ImportError as exc:
            data.notes.append(f"geo.build fehlt ({exc}); ohne Grenzen")
        else:
            t0 = time.perf_counter()
            source, label = boundaries_source(work_dir)
            build_boundaries(source, engine=engine, out_dir=geo_dir)
            data.boundaries = label
            data.seconds["boundaries"] = time.perf_counter() - t0
        try:
            from data_access.demo import seed
        except ImportError as exc:
            data.notes.append(f"data_access.demo.seed fehlt ({exc}); ohne Beispieldaten")
        else:
            t0 = time.perf_counter()
            seed(engine, scale=scale)
            data.demo = True
            data.seconds["seed"] = time.perf_counter() - t0
        with engine.connect() as c:
            row = c.execute(
                select(Region.ars, Region.name).where(Region.level == "VWG").order_by(Region.ars).limit(1)
            ).first()
        if row:
            data.vwg_ars, data.vwg_name = row
    finally:
        engine.dispose()
    return data


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path


@contextlib.contextmanager
def streamlit_server(data: AppData, log: Path, *, timeout: float = 90) -> Iterator[Server]:
    """`streamlit run dashboard.py` on 127.0.0.1 and a free port, pointed at the prepared database."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=data.url, DVN_GEO_DIR=str(data.geo_dir), PYTHONUNBUFFERED="1")
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard.py"),
        "--server.address",
        LOCAL_HOST,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://{LOCAL_HOST}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit beendet (exit {proc.returncode}):\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit nicht bereit nach {timeout:.0f} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield Server(base, proc, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


@dataclass
class Visit:
    """One browser context: records every request host, console errors and uncaught page errors."""

    context: object
    page: object
    hosts: set[str] = field(default_factory=set)
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def new_visit(browser, *, width: int = 1400, height: int = 1000, downloads: bool = False) -> Visit:
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="de-DE",
        timezone_id="Europe/Berlin",
        accept_downloads=downloads,
    )
    visit = Visit(context, None)

    def guard(route):
        # Record every host; anything but 127.0.0.1 is aborted so a test never waits on the (absent) internet.
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")):
            route.continue_()
            return
        visit.hosts.add(host)
        if host != LOCAL_HOST:
            visit.external.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("websocket", lambda ws: guard_ws(visit, ws.url))
    page.on("console", lambda m: record_console(visit, m))
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
    visit.page = page
    return visit


def record_console(visit: Visit, message) -> None:
    text = f"{message.text} @ {message.location.get('url', '')}"
    if message.type == "error" and is_real_console_error(text):
        visit.console_errors.append(text)


def guard_ws(visit: Visit, url: str) -> None:
    host = urlparse(url).hostname or ""
    visit.hosts.add(host)
    if host != LOCAL_HOST:
        visit.external.append(url)


def wait_ready(page, *, timeout: float = 90_000) -> None:
    """Wait until Streamlit has finished its script runs and every plotly map is drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_selector(READY, timeout=timeout)
    # Chart components are loaded lazily (a JS chunk per element type) and a page may rerun right after its
    # first run (query params, session state): wait for the network to go quiet, then for Streamlit again.
    page.wait_for_load_state("networkidle", timeout=timeout)
    # A page that switches pages first (Präsentation sets ?praesentation=1) is briefly idle between its two runs:
    # every page has a title, so wait for it (pages that fail to render are caught by the tests' own checks).
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=15_000)
    page.wait_for_selector(READY, timeout=timeout)
    if page.query_selector('[data-testid="stPlotlyChart"]'):
        page.wait_for_function(MAPS_DRAWN_JS, timeout=30_000, polling=200)


def open_page(visit: Visit, base: str, path: str) -> float:
    """Navigate and wait until ready; returns seconds from navigation to interactive."""
    t0 = time.perf_counter()
    visit.page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    wait_ready(visit.page)
    return time.perf_counter() - t0


def page_path(name: str, data: AppData) -> str:
    path = PAGES[name]
    if "{vwg}" in path:
        if not data.vwg_ars:
            import pytest

            pytest.skip("keine Verwaltungseinheit in der Datenbank (Grenzen nicht gebaut)")
        path = path.format(vwg=data.vwg_ars)
    return path
