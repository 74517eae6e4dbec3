"""Argument parsing for `python -m geo`; exit code 2 for a bad boundary source, 1 for other failures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data_access.db import make_engine
from geo.load import resolve_dir

EXIT_BAD_SOURCE = 2


def _cmd_build(args) -> int:
    from geo.build import GeoBuildError, build_boundaries, is_built

    engine = make_engine()
    out_dir = Path(args.out) if args.out else resolve_dir()
    try:
        if args.if_missing and is_built(engine, out_dir):
            print(f"Grenzen bereits vorhanden ({out_dir}) – nichts zu tun.")
            return 0
        report = build_boundaries(args.source, engine=engine, out_dir=out_dir)
    except GeoBuildError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_BAD_SOURCE
    finally:
        engine.dispose()
    print(report.summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m geo", description="Verwaltungsgrenzen (BKG) für Niedersachsen aufbereiten"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="BKG-Zip (VG5000/VG250 „ebenen“) einlesen: Regionstabelle + GeoJSON")
    build.add_argument("--source", required=True, help="Pfad oder URL der BKG-Datei …shape.ebenen.zip")
    build.add_argument("--out", default=None, help="Ausgabeordner (Standard: build/geo bzw. DVN_GEO_DIR)")
    build.add_argument(
        "--if-missing", action="store_true", help="nichts tun, wenn Dateien und Gemeinden schon vorhanden sind"
    )
    build.set_defaults(fn=_cmd_build)
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear line instead of a traceback for users of the CLI
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
