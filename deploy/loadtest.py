"""Bounded load test against the cluster on 127.0.0.1: a fixed number of sessions for a fixed time, then it stops.

Each session is a browser context (cookies of its own, so nginx's affinity spreads sessions over the instances) in a
few Chromium processes; it repeats what users do: Übersicht, Karte with a filter change, a Steckbrief, the
Präsentation's map slide. Per page: time to interactive (Streamlit idle, every map drawn) p50/p95 and errors; per
instance: CPU seconds and resident memory from /proc during the run (Linux). Any request off 127.0.0.1 is aborted
and counted as an error.

    python -m deploy loadtest --sitzungen 12 --dauer 60 [--browser 2] [--basis http://127.0.0.1:8080]
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
LOCAL = "127.0.0.1"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
MAPS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => {
  const gd = c.querySelector('.js-plotly-plot'); const fl = gd && gd._fullLayout; if (!fl) return false;
  return Object.keys(fl).filter(k => /^map\\d*$/.test(k) && fl[k] && fl[k]._subplot)
    .every(k => { const m = fl[k]._subplot.map; return m && m.loaded() && !m.isMoving(); });
})"""
MAX_SESSIONS, MAX_SECONDS = 200, 1800  # hard bounds whatever is asked for


@dataclass
class Result:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    rounds: int = 0

    def add(self, page: str, seconds: float | None, error: str | None = None) -> None:
        if error:
            self.errors.setdefault(page, []).append(error)
        else:
            self.times.setdefault(page, []).append(seconds)


def _p(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


class ProcSampler:
    """CPU seconds and resident memory of the given process ids, sampled from /proc."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.tick = os.sysconf("SC_CLK_TCK")
        self.start_cpu = {p: self.cpu(p) for p in pids}
        self.peak_rss = {p: self.rss(p) for p in pids}
        self.start_rss = dict(self.peak_rss)

    def cpu(self, pid: int) -> float:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / self.tick
        except (OSError, IndexError, ValueError):
            return 0.0

    def rss(self, pid: int) -> int:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def sample(self) -> None:
        for p in self.pids:
            self.peak_rss[p] = max(self.peak_rss[p], self.rss(p))

    def report(self) -> dict[int, dict]:
        return {
            p: {"cpu_s": self.cpu(p) - self.start_cpu[p], "rss_start": self.start_rss[p], "rss_peak": self.peak_rss[p]}
            for p in self.pids
        }


async def _session(browser, base: str, steckbrief_ars: str, until: float, result: Result) -> None:
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="de-DE")

    async def guard(route):
        if (urlparse(route.request.url).hostname or LOCAL) != LOCAL and not route.request.url.startswith(
            ("data:", "blob:")
        ):
            result.add("außen", None, route.request.url[:80])
            await route.abort()
        else:
            await route.continue_()

    await context.route("**/*", guard)
    page = await context.new_page()
    visits = [
        ("Übersicht", ""),
        ("Karte", "karte"),
        ("Steckbrief", f"kommune?ars={steckbrief_ars}"),
        ("Präsentation (Karte)", "praesentation?praesentation=1&folie=2"),
    ]
    try:
        while time.monotonic() < until:
            for name, path in visits:
                if time.monotonic() >= until:
                    break
                t0 = time.perf_counter()
                try:
                    await page.goto(f"{base}/{path}", wait_until="domcontentloaded", timeout=60_000)
                    await page.wait_for_selector(READY, timeout=60_000)
                    await page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
                    await page.wait_for_selector(READY, timeout=60_000)
                    await page.wait_for_function(MAPS_DRAWN_JS, timeout=60_000, polling=200)
                    if await page.locator('[data-testid="stException"]').count():
                        raise RuntimeError("Fehlermeldung auf der Seite")
                    result.add(name, time.perf_counter() - t0)
                    if name == "Karte":
                        t1 = time.perf_counter()
                        await page.get_by_text("Nur Fokusleistungen", exact=True).click()
                        await asyncio.sleep(0.2)
                        await page.wait_for_selector(READY, timeout=60_000)
                        await page.wait_for_function(MAPS_DRAWN_JS, timeout=60_000, polling=200)
                        result.add("Karte: Filterwechsel", time.perf_counter() - t1)
                except Exception as exc:
                    result.add(name, None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}")
            result.rounds += 1
    finally:
        await context.close()


async def _run(base: str, sessions: int, seconds: float, browsers: int, ars: str, pids: list[int]):
    from playwright.async_api import async_playwright

    result = Result()
    sampler = ProcSampler(pids)
    async with async_playwright() as p:
        procs = [
            await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True)
            for _ in range(browsers)
        ]
        until = time.monotonic() + seconds
        started = time.monotonic()

        async def sample():
            while time.monotonic() < until + 60:
                sampler.sample()
                await asyncio.sleep(1)

        sampler_task = asyncio.create_task(sample())
        # Sessions start staggered over the first few seconds, as people arrive, not in one burst.
        tasks = []
        for i in range(sessions):
            tasks.append(asyncio.create_task(_session(procs[i % browsers], base, ars, until, result)))
            await asyncio.sleep(min(0.5, seconds / max(sessions, 1) / 4))
        await asyncio.gather(*tasks)
        sampler_task.cancel()
        for b in procs:
            await b.close()
    return result, sampler.report(), time.monotonic() - started


def run(base: str, *, sessions: int, seconds: float, browsers: int, ars: str, pids: list[int]) -> dict:
    """Run the bounded test and return its figures (also used by bench and the CI smoke test)."""
    if urlparse(base).hostname != LOCAL:
        raise ValueError("Der Lasttest läuft nur gegen 127.0.0.1.")
    sessions, seconds = min(sessions, MAX_SESSIONS), min(seconds, MAX_SECONDS)
    result, procs, took = asyncio.run(_run(base, sessions, seconds, max(1, browsers), ars, pids))
    pages = {}
    for name in sorted(set(result.times) | set(result.errors)):
        t = result.times.get(name, [])
        pages[name] = {
            "n": len(t),
            "p50": _p(t, 50),
            "p95": _p(t, 95),
            "errors": len(result.errors.get(name, [])),
            "first_error": (result.errors.get(name) or [None])[0],
        }
    return {"sessions": sessions, "seconds": seconds, "took": took, "rounds": result.rounds, "pages": pages,
            "processes": procs}  # fmt: skip


def format_report(figures: dict, *, instances: int) -> str:
    def s(v):
        return "–" if v is None else f"{v:.2f} s".replace(".", ",")

    lines = [
        f"{instances} Instanz(en), {figures['sessions']} Sitzungen, {figures['seconds']:.0f} s "
        f"(gelaufen {figures['took']:.0f} s, {figures['rounds']} Runden)",
        "",
        "| Seite | Aufrufe | p50 | p95 | Fehler |",
        "|---|---|---|---|---|",
    ]
    for name, f in figures["pages"].items():
        err = f"{f['errors']}" + (f" ({f['first_error']})" if f["first_error"] else "")
        lines.append(f"| {name} | {f['n']} | {s(f['p50'])} | {s(f['p95'])} | {err} |")
    cpu = sum(p["cpu_s"] for p in figures["processes"].values())
    rss_growth = sum(max(p["rss_peak"] - p["rss_start"], 0) for p in figures["processes"].values())
    rss_peak = sum(p["rss_peak"] for p in figures["processes"].values())
    n = max(figures["sessions"], 1)
    lines += [
        "",
        f"Server (alle Instanzen): CPU {cpu:.0f} s in {figures['took']:.0f} s "
        f"({cpu / max(figures['took'], 1) * 100:.0f} % eines Kerns), Speicher Spitze {rss_peak / 2**20:.0f} MB, "
        f"Zuwachs {rss_growth / 2**20:.0f} MB = {rss_growth / n / 2**20:.1f} MB je Sitzung".replace(".", ","),
    ]
    return "\n".join(lines)
