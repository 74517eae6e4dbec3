"""Argument parsing for `python -m data_access`; each sub-command calls one library function."""

from __future__ import annotations

import argparse
import sys

from data_access.db import database_url, make_engine
from data_access.setup import ensure_ready


def _cmd_migrate(args) -> int:
    engine = make_engine()
    ensure_ready(engine)
    print(f"Datenbank bereit: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _cmd_reference(args) -> int:
    from data_access.reference import load_reference

    engine = make_engine()
    ensure_ready(engine)
    counts = load_reference(engine)
    print(f"Referenzdaten geladen: {counts['measures']} Maßnahmen, {counts['strategic_measures']} strategische Maßnahmen, {counts['links']} Verknüpfungen")
    return 0


def _cmd_seed(args) -> int:
    from data_access import demo

    engine = make_engine()
    ensure_ready(engine)
    if args.if_empty and demo.has_operational_data(engine):
        print("Betriebsdaten vorhanden – Beispieldaten werden nicht geladen.")
        return 0
    summary = demo.seed(engine, scale=args.scale)
    print(summary)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access", description="DVN-Programmdatenbank verwalten")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="Schema auf den neuesten Stand bringen (alembic upgrade head)").set_defaults(fn=_cmd_migrate)
    sub.add_parser("reference", help="Referenzdaten aus dem Handlungsplan laden").set_defaults(fn=_cmd_reference)
    seed = sub.add_parser("seed", help="Beispieldaten erzeugen (als Beispieldaten markiert)")
    seed.add_argument("--demo", action="store_true", help="Beispieldaten (Standard)")
    seed.add_argument("--scale", type=int, default=1, help="Vielfaches der Dienste und Angebote für Lasttests")
    seed.add_argument("--if-empty", action="store_true", help="nur, wenn noch keine Betriebsdaten vorhanden sind")
    seed.set_defaults(fn=_cmd_seed)
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear line instead of a traceback for users of the CLI
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1


__all__ = ["main", "database_url"]
