"""Start and stop the local production setup: PostgreSQL, N Streamlit instances, nginx, health server.

    python -m deploy start --instanzen 3 [--port 8080]     (make cluster N=3)
    python -m deploy status
    python -m deploy stop                                   (make cluster-stop)

Everything listens on 127.0.0.1 only. Without DATABASE_URL a PostgreSQL 15 server of its own is created under
data/cluster/pg (Debian's binaries; run as user postgres when started as root). The schema, reference data,
boundaries and (if the database is empty) the Beispieldaten are set up once before the instances start
(`python -m data_access migrate`, like `make setup`); every process started is recorded in data/cluster/state.json
with its process id and stopped by that id.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from deploy import nginx

ROOT = Path(__file__).resolve().parent.parent
# DVN_CLUSTER_DIR: another place for the state (tests run a cluster of their own beside a developer's).
STATE_DIR = Path(os.environ.get("DVN_CLUSTER_DIR") or ROOT / "data" / "cluster")
STATE_FILE = STATE_DIR / "state.json"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
LOCAL = "127.0.0.1"


class ClusterError(RuntimeError):
    """A German message for the operator; the CLI prints it without a traceback."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCAL, 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _start_postgres(state: dict) -> str:
    if not (PG_BIN / "initdb").is_file():
        raise ClusterError(f"PostgreSQL 15 fehlt ({PG_BIN}): apt-get install postgresql-15, oder DATABASE_URL setzen.")
    pg = STATE_DIR / "pg"
    port = free_port()
    if not (pg / "data" / "PG_VERSION").is_file():
        pg.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(pg, "postgres")
        subprocess.run(
            _as_postgres([str(PG_BIN / "initdb"), "-D", str(pg / "data"), "-U", "postgres", "-A", "trust", "-E",
                          "UTF8", "--locale=C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    subprocess.run(
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(pg / "data"), "-l", str(pg / "server.log"), "-w", "-t", "60",
                      "start", "-o", f"-c listen_addresses={LOCAL} -p {port} -k {pg} -c max_connections=200"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    state["postgres"] = {"data": str(pg / "data"), "port": port}
    state["own_url"] = f"postgresql+psycopg://postgres@{LOCAL}:{port}/dvn"  # local trust auth: no secret in it
    url = f"postgresql+psycopg://postgres@{LOCAL}:{port}/postgres"
    with contextlib.suppress(subprocess.CalledProcessError):  # exists after a restart
        subprocess.run(
            _as_postgres([str(PG_BIN / "createdb"), "-h", LOCAL, "-p", str(port), "-U", "postgres", "dvn"]),
            check=True, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    return url.rsplit("/", 1)[0] + "/dvn"


def _wait_http(url: str, proc: subprocess.Popen | None, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise ClusterError(f"Prozess beendet (exit {proc.returncode}), siehe {log}:\n{log.read_text()[-1500:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status in (200, 503):
                    return
        if time.monotonic() > deadline:
            raise ClusterError(f"{url} nicht bereit nach {timeout:.0f} s, siehe {log}")
        time.sleep(0.3)


def _spawn(cmd: list[str], log: Path, env: dict) -> subprocess.Popen:
    out = open(log, "w")  # noqa: SIM115 - the child keeps it open
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def start(instances: int = 3, port: int = 8080, *, boundaries: str | None = None, demo: bool = True) -> dict:
    """Start the whole setup; returns the state (ports, process ids). Refuses when one is already running."""
    if instances < 1:
        raise ClusterError("Mindestens eine Instanz.")
    if STATE_FILE.is_file():
        raise ClusterError(f"Es läuft schon ein Cluster ({STATE_FILE}); zuerst `make cluster-stop`.")
    if not shutil.which("nginx"):
        raise ClusterError("nginx fehlt: apt-get install nginx.")
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    run_dir = STATE_DIR / "run"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    state: dict = {"port": port, "instances": [], "started": time.time()}
    try:
        url = os.environ.get("DATABASE_URL", "").strip() or _start_postgres(state)
        state["database"] = "eigener PostgreSQL" if "postgres" in state else "DATABASE_URL"
        env = dict(os.environ, DATABASE_URL=url, PYTHONUNBUFFERED="1")
        # One cookie secret for all instances (XSRF tokens, st.login), kept for the lifetime of the cluster.
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(
            32
        )
        py = sys.executable
        steps = [[py, "-m", "data_access", "migrate"], [py, "-m", "data_access", "reference"]]
        if boundaries:
            steps.append([py, "-m", "geo", "build", "--source", boundaries, "--if-missing"])
        if demo:
            steps.append([py, "-m", "data_access", "seed", "--demo", "--if-empty"])
        for step in steps:  # once, before any instance starts
            done = subprocess.run(step, cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise ClusterError(
                    f"Einrichtung fehlgeschlagen: {' '.join(step[1:])}\n{done.stdout[-800:]}{done.stderr[-800:]}"
                )
        for i in range(instances):
            p = free_port()
            log = run_dir / f"streamlit-{i + 1}.log"
            proc = _spawn(
                [py, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.address", LOCAL,
                 "--server.port", str(p), "--server.headless", "true", "--server.fileWatcherType", "none"],
                log, env,
            )  # fmt: skip
            state["instances"].append({"port": p, "pid": proc.pid, "log": str(log)})
            _save(state)
        for inst in state["instances"]:
            _wait_http(f"http://{LOCAL}:{inst['port']}/_stcore/health", None, Path(inst["log"]))
        health_port = free_port()
        ports = [i["port"] for i in state["instances"]]
        health = _spawn(
            [py, "-m", "deploy.health", "--port", str(health_port), "--instances", ",".join(map(str, ports))],
            run_dir / "health.log", env,
        )  # fmt: skip
        state["health"] = {"port": health_port, "pid": health.pid}
        _save(state)
        conf = run_dir / "nginx.conf"
        conf.write_text(nginx.render(listen_port=port, instance_ports=ports, health_port=health_port, run_dir=run_dir))
        test = subprocess.run(
            ["nginx", "-t", "-q", "-p", str(run_dir), "-c", str(conf)], capture_output=True, text=True
        )
        if test.returncode != 0:
            raise ClusterError(f"nginx-Konfiguration ungültig:\n{test.stderr[-1500:]}")
        subprocess.run(["nginx", "-p", str(run_dir), "-c", str(conf)], check=True)
        state["nginx"] = {"conf": str(conf), "pid_file": str(run_dir / "nginx.pid")}
        _save(state)
        _wait_http(f"http://{LOCAL}:{port}/healthz", health, run_dir / "health.log")
    except BaseException:
        stop()
        raise
    return state


def sample_ars() -> str:
    """A Verwaltungseinheit's ARS from the cluster's database, for the load test's Steckbrief."""
    from data_access.db import database_url, make_engine
    from data_access.queries.regions import units

    state = status() or {}
    engine = make_engine(state.get("own_url") or database_url())
    try:
        vwg = units(engine, level="VWG")
        ars = str(vwg["ars"].sort_values().iloc[0]) if not vwg.empty else None
    finally:
        engine.dispose()
    if not ars:
        raise ClusterError("Keine Verwaltungseinheit in der Datenbank (Grenzen oder Beispieldaten fehlen).")
    return ars


def _save(state: dict) -> None:
    STATE_FILE.write_text(json.dumps(state, indent=2))


def status() -> dict | None:
    return json.loads(STATE_FILE.read_text()) if STATE_FILE.is_file() else None


def _terminate(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)  # each was started in its own session: the group is the process
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.2)
        os.killpg(pid, signal.SIGKILL)


def stop() -> bool:
    """Stop everything recorded in the state file, by process id; False when nothing was running."""
    state = status()
    if state is None:
        return False
    if "nginx" in state:
        with contextlib.suppress(FileNotFoundError, ValueError):
            _terminate_nginx(Path(state["nginx"]["pid_file"]))
    if "health" in state:
        _terminate(state["health"]["pid"])
    for inst in state.get("instances", []):
        _terminate(inst["pid"])
    if "postgres" in state:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", state["postgres"]["data"], "-m", "fast", "-w", "stop"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    STATE_FILE.unlink(missing_ok=True)
    return True


def _terminate_nginx(pid_file: Path) -> None:
    pid = int(pid_file.read_text().strip())
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGQUIT)  # graceful: workers finish, then the master exits
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            os.kill(pid, 0)
            time.sleep(0.2)
        os.kill(pid, signal.SIGTERM)
