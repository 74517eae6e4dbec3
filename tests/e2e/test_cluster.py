"""`make cluster` in small: nginx in front of two instances, health check, affinity, gzip, caching, a short load test.

CI runs this on SQLite and on PostgreSQL (the prepared e2e database), so the local production setup cannot rot.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request

import pytest

from deploy import cluster
from tests.e2e import harness

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx nicht installiert (apt-get install nginx)"),
]


@pytest.fixture(scope="module")
def running(app_data, tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("cluster")
    env = {"DATABASE_URL": app_data.url, "DVN_GEO_DIR": str(app_data.geo_dir), "DVN_CLUSTER_DIR": str(state_dir)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    cluster.STATE_DIR, cluster.STATE_FILE = state_dir, state_dir / "state.json"
    try:
        state = cluster.start(2, harness.free_port(), demo=False)
        yield state, env
    finally:
        cluster.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def get(url: str, headers: dict | None = None):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, dict(r.headers), r.read()


def test_health_includes_database_and_every_instance(running):
    state, _ = running
    status, headers, body = get(f"http://127.0.0.1:{state['port']}/healthz")
    report = json.loads(body)
    assert status == 200 and report["status"] == "ok" and report["datenbank_status"] == "ok"
    assert sorted(report["instanzen"]) == sorted(str(i["port"]) for i in state["instances"])
    assert (
        headers["X-Content-Type-Options"] == "nosniff"
        and "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    )


def test_affinity_gzip_and_cached_boundaries(running):
    state, _ = running
    base = f"http://127.0.0.1:{state['port']}"
    _, headers, page = get(f"{base}/")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    assert cookie.startswith("dvn_instanz=")
    # Every request with the cookie reaches the same instance (the access log names the upstream).
    for _ in range(6):
        get(f"{base}/_stcore/health", {"Cookie": cookie})
    log = (cluster.STATE_DIR / "run" / "nginx-access.log").read_text().splitlines()
    health_lines = [line for line in log if " /_stcore/health " in line]
    assert len({line.split()[4] for line in health_lines[-6:]}) == 1
    script = next(
        part.split('"', 1)[0] for part in page.decode().split('src="')[1:] if part.split('"', 1)[0].endswith(".js")
    )
    _, js_headers, _ = get(f"{base}/{script.lstrip('./')}", {"Accept-Encoding": "gzip"})
    assert js_headers.get("Content-Encoding") == "gzip"
    geo = sorted((harness.ROOT / "static" / "geo").glob("*.geojson"))
    if geo:
        _, geo_headers, _ = get(f"{base}/app/static/geo/{geo[0].name}")
        assert "immutable" in geo_headers["Cache-Control"]


def test_short_load_test_without_errors(running):
    state, env = running
    done = subprocess.run(
        [sys.executable, "-m", "deploy", "loadtest", "--sitzungen", "2", "--dauer", "8", "--browser", "1", "--json"],
        cwd=harness.ROOT, env=dict(os.environ, **env), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["pages"]["Übersicht"]["n"] >= 1
    assert all(p["errors"] == 0 for p in figures["pages"].values()), figures["pages"]
    assert all(p["cpu_s"] >= 0 for p in figures["processes"].values())


def test_stop_ends_every_process(running, tmp_path):
    state, _ = running
    pids = [i["pid"] for i in state["instances"]] + [state["health"]["pid"]]
    assert cluster.stop()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert cluster.status() is None
