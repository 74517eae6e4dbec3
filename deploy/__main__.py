"""python -m deploy start|stop|status|loadtest – see deploy/cluster.py and deploy/loadtest.py."""

from __future__ import annotations

import argparse
import json
import sys

from deploy import cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy", description="Lokaler Produktionsaufbau (nginx + N Instanzen)"
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start", help="PostgreSQL, N Streamlit-Instanzen, nginx und Health-Check starten")
    s.add_argument("--instanzen", type=int, default=3)
    s.add_argument("--port", type=int, default=8080, help="Port von nginx auf 127.0.0.1")
    s.add_argument("--grenzen", help="BKG-Zip für den Kartenaufbau (wie make setup)")
    s.add_argument("--ohne-beispieldaten", action="store_true")
    sub.add_parser("stop", help="alles beenden, was start gestartet hat")
    sub.add_parser("status", help="Ports und Prozesse")
    lt = sub.add_parser("loadtest", help="begrenzter Lasttest gegen den laufenden Cluster")
    lt.add_argument("--sitzungen", type=int, default=12)
    lt.add_argument("--dauer", type=float, default=60, help="Sekunden")
    lt.add_argument("--browser", type=int, default=2, help="Chromium-Prozesse, auf die sich die Sitzungen verteilen")
    lt.add_argument("--json", action="store_true", help="Messwerte als JSON ausgeben")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "start":
            state = cluster.start(args.instanzen, args.port, boundaries=args.grenzen, demo=not args.ohne_beispieldaten)
            ports = ", ".join(str(i["port"]) for i in state["instances"])
            print(f"Cluster läuft: http://127.0.0.1:{state['port']}/ ({len(state['instances'])} Instanzen: {ports}; "
                  f"Datenbank: {state['database']}). Health: http://127.0.0.1:{state['port']}/healthz")  # fmt: skip
        elif args.cmd == "stop":
            print("Cluster beendet." if cluster.stop() else "Es lief kein Cluster.")
        elif args.cmd == "status":
            state = cluster.status()
            print(json.dumps(state, indent=2) if state else "Es läuft kein Cluster.")
        else:
            from deploy import loadtest

            state = cluster.status()
            if state is None:
                raise cluster.ClusterError("Es läuft kein Cluster: zuerst `make cluster`.")
            figures = loadtest.run(
                f"http://127.0.0.1:{state['port']}",
                sessions=args.sitzungen,
                seconds=args.dauer,
                browsers=args.browser,
                ars=cluster.sample_ars(),
                pids=[i["pid"] for i in state["instances"]],
            )
            if args.json:
                print(json.dumps(figures))
            else:
                print(loadtest.format_report(figures, instances=len(state["instances"])))
    except cluster.ClusterError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
