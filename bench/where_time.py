"""Issue 16, "where the time goes": baseline Streamlit pages beside the project's pages, in one run.

Every baseline (bench/baselines/*.py) runs under its own `streamlit run` (same Streamlit, 127.0.0.1, free port,
headless) and is stopped by its process id afterwards. Visits alternate between baselines and the project's pages,
a fresh browser context per visit. Per page: median and minimum time to interactive (harness.open_page: Streamlit
idle and every MapLibre canvas drawn), ratio of the median to the matching baseline's median, bytes received over
the websocket (total, largest message), Streamlit elements and plotly charts, Chromium main-thread time
(CDP Performance.getMetrics). On the map page also the bytes of a filter change ("Nur Fokusleistungen").
Playwright reports frames decompressed; where the server negotiates permessage-deflate (the project's
.streamlit/config.toml, not the baselines) the bytes on the wire are re-computed with the same deflate settings
(context takeover, 12 window bits as negotiated by Streamlit's websocket server).
A visit that makes any request off 127.0.0.1 fails that measurement, not the bench.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e import harness

BASELINE_DIR = Path(__file__).resolve().parent / "baselines"
BASELINES = {"bare": "bare_page.py", "chart": "one_chart.py", "map": "bare_map.py"}
BASELINE_LABELS = {"bare": "Baseline: leere Seite", "chart": "Baseline: ein Diagramm", "map": "Baseline: Karte"}
# Project page -> (path, matching baseline). Präsentation's slide 2 is the Kreis map; Wo gibt es …? opens on the
# first service's map.
PROJECT_PAGES = {
    "uebersicht": ("", "bare"),
    "karte": ("karte", "map"),
    "kommune": ("kommune?ars={vwg}", "chart"),
    "dienste": ("dienste", "map"),
    "eakte": ("eakte", "chart"),
    "pi-ziele": ("pi-ziele", "chart"),
    "strategie": ("strategie", "chart"),
    "daten": ("daten", "bare"),
    "praesentation (Karte)": ("praesentation?praesentation=1&folie=2", "map"),
}
CDP_METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
FILTER_TOGGLE = "Nur Fokusleistungen"


@dataclass
class Sample:
    tti: float
    ws_bytes: int
    ws_largest: int
    ws_messages: int
    ws_wire: int  # bytes on the wire (compressed where negotiated)
    elements: int
    charts: int
    cdp: dict[str, float] = field(default_factory=dict)


@dataclass
class PageResult:
    name: str
    baseline: str | None  # key of the matching baseline; None for a baseline itself
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    filter_changes: list[tuple[int, int, float, int]] = field(default_factory=list)  # bytes, largest, s, wire

    @property
    def median(self) -> float | None:
        return statistics.median(s.tti for s in self.samples) if self.samples else None

    @property
    def minimum(self) -> float | None:
        return min(s.tti for s in self.samples) if self.samples else None

    def med(self, attr: str) -> float | None:
        return statistics.median(getattr(s, attr) for s in self.samples) if self.samples else None

    def med_cdp(self, key: str) -> float | None:
        vals = [s.cdp[key] for s in self.samples if key in s.cdp]
        return statistics.median(vals) if vals else None


@contextlib.contextmanager
def baseline_server(script: Path, env_extra: dict, log: Path, timeout: float = 90) -> Iterator[str]:
    port = harness.free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", **env_extra)
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", harness.LOCAL_HOST, "--server.port", str(port), "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=script.parent, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://{harness.LOCAL_HOST}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"Baseline {script.name} beendet (exit {proc.returncode}): {log.read_text()[-500:]}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            if time.monotonic() > deadline:
                raise RuntimeError(f"Baseline {script.name} nicht bereit nach {timeout:.0f} s")
            time.sleep(0.3)
        yield base
    finally:  # stopped by its own process id
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class WsCounter:
    """Lengths of every websocket frame the page receives (Streamlit's protobuf messages)."""

    def __init__(self, page, *, deflate: bool):
        self.sizes: list[int] = []
        self.wire: list[int] = []
        self.deflate = deflate
        self.last = time.monotonic()
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -12) if self.deflate else None
        ws.on("framereceived", lambda payload: self._frame(payload, compressor))

    def _frame(self, payload, compressor) -> None:
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        self.sizes.append(len(data))
        if compressor is None:
            self.wire.append(len(data))
        else:  # permessage-deflate: one compressor per connection, each message ends with a sync flush
            self.wire.append(len(compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)) - 4)
        self.last = time.monotonic()

    def quiet(self, page, seconds: float = 0.6, timeout: float = 30) -> None:
        """Wait until no frame arrived for `seconds` (Playwright events are delivered while it waits)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and time.monotonic() - self.last < seconds:
            page.wait_for_timeout(100)


def count_elements(page) -> tuple[int, int]:
    return (
        page.locator('[data-testid="stElementContainer"]').count(),
        page.locator('[data-testid="stPlotlyChart"]').count(),
    )


def visit(
    browser, base: str, path: str, *, filter_change: bool = False, deflate: bool = False
) -> tuple[Sample, list[tuple[int, int, float, int]]]:
    v = harness.new_visit(browser)
    try:
        counter = WsCounter(v.page, deflate=deflate)
        cdp = v.context.new_cdp_session(v.page)
        cdp.send("Performance.enable")
        tti = harness.open_page(v, base, path)
        counter.quiet(v.page)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        elements, charts = count_elements(v.page)
        sample = Sample(
            tti, sum(counter.sizes), max(counter.sizes, default=0), len(counter.sizes), sum(counter.wire),
            elements, charts,
            {k: metrics[k] for k in CDP_METRICS if k in metrics},
        )  # fmt: skip
        changes = []
        if filter_change:
            for _ in range(2):  # on, then off again: the boundaries are already in the browser
                start = len(counter.sizes)
                t0 = time.perf_counter()
                v.page.get_by_text(FILTER_TOGGLE, exact=True).click()
                with contextlib.suppress(Exception):
                    v.page.wait_for_selector('[data-test-script-state="running"]', timeout=3_000)
                v.page.wait_for_selector(harness.READY, timeout=90_000)
                v.page.wait_for_function(harness.MAPS_DRAWN_JS, timeout=30_000, polling=200)
                took = time.perf_counter() - t0
                counter.quiet(v.page)
                new = counter.sizes[start:]
                changes.append((sum(new), max(new, default=0), took, sum(counter.wire[start:])))
        if v.external:
            raise RuntimeError(f"Anfrage nach außen: {v.external[0][:80]}")
        return sample, changes
    finally:
        v.context.close()


def measure(data: harness.AppData, work: Path, visits: int) -> list[PageResult]:
    from playwright.sync_api import sync_playwright

    results = {k: PageResult(BASELINE_LABELS[k], None) for k in BASELINES}
    results.update({name: PageResult(name, bl) for name, (_, bl) in PROJECT_PAGES.items()})
    geo_env = {"DVN_GEO_DIR": str(data.geo_dir)}
    with contextlib.ExitStack() as stack:
        app = stack.enter_context(harness.streamlit_server(data, work / "bench-where-app.log"))
        bases = {
            k: stack.enter_context(baseline_server(BASELINE_DIR / f, geo_env, work / f"bench-baseline-{k}.log"))
            for k, f in BASELINES.items()
        }
        p = stack.enter_context(sync_playwright())
        browser = harness.launch_browser(p)
        # Warm-up, not counted: the first session of every server (imports, caches, pages/ handling).
        for base, path in [(app.base, ""), *[(b, "") for b in bases.values()]]:
            with contextlib.suppress(Exception):
                visit(browser, base, path)
        for path, _ in PROJECT_PAGES.values():
            with contextlib.suppress(Exception):
                visit(browser, app.base, path.format(vwg=data.vwg_ars or ""), deflate=True)
        # Rounds: every round visits each baseline and each project page, alternating baseline / project page.
        order = []
        for name, (_, bl) in PROJECT_PAGES.items():
            order += [(bl, bases[bl], ""), (name, app.base, PROJECT_PAGES[name][0].format(vwg=data.vwg_ars or ""))]
        for _ in range(visits):
            for key, base, path in order:
                res = results[key]
                try:
                    sample, changes = visit(
                        browser, base, path, filter_change=key == "karte", deflate=key in PROJECT_PAGES
                    )
                except Exception as exc:
                    res.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}")
                    continue
                res.samples.append(sample)
                res.filter_changes += changes
        browser.close()
    return list(results.values())


# --- report ---------------------------------------------------------------------------------------------------


def _s(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f} s".replace(".", ",")


def _kb(v: float | None) -> str:
    return "–" if v is None else f"{v / 1024:,.1f} KB".replace(",", "X").replace(".", ",").replace("X", ".")


def _ms(v: float | None) -> str:
    return "–" if v is None else f"{v * 1000:,.0f} ms".replace(",", ".")


def table(results: list[PageResult]) -> str:
    by_key = {r.name: r for r in results}
    head = [
        "Seite", "Besuche", "TTI Median", "TTI Minimum", "Verhältnis", "WS gesamt", "WS übertragen", "WS größte Nachricht",
        "WS Nachrichten", "Elemente", "Diagramme", "Main-Thread (Task)", "davon Skript", "Layout",
    ]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in results:
        ratio = ""
        if r.baseline and r.median is not None:
            bl = by_key[BASELINE_LABELS[r.baseline]]
            if bl.median:
                ratio = f"{r.median / bl.median:.1f}× {BASELINE_LABELS[r.baseline].split(': ')[1]}".replace(".", ",")
        cells = [
            r.name + (f" ({len(r.errors)} Fehler: {r.errors[0]})" if r.errors else ""),
            str(len(r.samples)), _s(r.median), _s(r.minimum), ratio, _kb(r.med("ws_bytes")), _kb(r.med("ws_wire")),
            _kb(r.med("ws_largest")), f"{r.med('ws_messages') or 0:.0f}", f"{r.med('elements') or 0:.0f}",
            f"{r.med('charts') or 0:.0f}", _ms(r.med_cdp("TaskDuration")), _ms(r.med_cdp("ScriptDuration")),
            _ms(r.med_cdp("LayoutDuration")),
        ]  # fmt: skip
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def filter_summary(results: list[PageResult]) -> str:
    karte = next((r for r in results if r.name == "karte"), None)
    if not karte or not karte.filter_changes:
        return "Filterwechsel Karte: keine Messung."
    sizes = [c[0] for c in karte.filter_changes]
    largest = [c[1] for c in karte.filter_changes]
    secs = [c[2] for c in karte.filter_changes]
    wire = [c[3] for c in karte.filter_changes]
    over = " – über dem Budget von 50 KB" if statistics.median(wire) > 50 * 1024 else ""
    return (
        f"Filterwechsel Karte („{FILTER_TOGGLE}“ an/aus, {len(sizes)} Wechsel): Websocket Median "
        f"{_kb(statistics.median(sizes))} entpackt, {_kb(statistics.median(wire))} übertragen (Minimum "
        f"{_kb(min(sizes))}, Maximum {_kb(max(sizes))} entpackt), größte Nachricht "
        f"Median {_kb(statistics.median(largest))}; Klick bis Karte gezeichnet Median {_s(statistics.median(secs))}"
        f"{over}."
    )


def print_results(results: list[PageResult]) -> None:
    print(table(results))
    print(filter_summary(results))
