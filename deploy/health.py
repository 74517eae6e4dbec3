"""Health check for the proxy (`GET /healthz` through nginx): the database answers and every instance is healthy.

A tiny HTTP server on 127.0.0.1 (Streamlit has no route of its own for this): 200 with a JSON body when the database
answers (a read of its data version, with the connect timeout of data_access.db) and every Streamlit instance answers /_stcore/health, else 503 with what
failed. No data, no secrets in the answer (the database is named by its backend only).

    python -m deploy.health --port 8790 --instances 8701,8702
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from data_access import version
from data_access.db import database_url, make_engine

TIMEOUT_SECONDS = 3


def check(engine, instance_ports: list[int]) -> tuple[bool, dict]:
    """(healthy, report) for the database and each instance."""
    report: dict = {"datenbank": engine.dialect.name}
    try:
        version.current(engine)  # a real read of the schema's one-row table, through the pool (pre-ping, timeout)
        ok_db = True
        report["datenbank_status"] = "ok"
    except Exception as exc:  # any failure is the answer, never a traceback
        ok_db = False
        report["datenbank_status"] = f"nicht erreichbar ({type(exc).__name__})"

    def instance(port: int) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=TIMEOUT_SECONDS) as r:
                return port, "ok" if r.status == 200 else f"HTTP {r.status}"
        except Exception as exc:
            return port, f"nicht erreichbar ({type(exc).__name__})"

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(len(instance_ports), 1)) as pool:
        report["instanzen"] = dict((str(p), s) for p, s in pool.map(instance, instance_ports))
    healthy = ok_db and all(s == "ok" for s in report["instanzen"].values())
    report["status"] = "ok" if healthy else "gestört"
    return healthy, report


def serve(port: int, instance_ports: list[int]) -> None:
    engine = make_engine(database_url())  # PostgreSQL: pool_pre_ping and DVN_DB_CONNECT_TIMEOUT_S (data_access.db)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            healthy, report = check(engine, instance_ports)
            body = json.dumps(report, ensure_ascii=False).encode("utf-8")
            self.send_response(200 if healthy else 503)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # the proxy logs requests; keep stderr for errors
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.health")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--instances", required=True, help="Ports der Streamlit-Instanzen, Komma-getrennt")
    args = parser.parse_args(argv)
    serve(args.port, [int(p) for p in args.instances.split(",") if p])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
