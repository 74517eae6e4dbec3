"""Argument parsing for `python -m data_access`; each sub-command calls one library function."""

from __future__ import annotations

import argparse
import logging
import sys

from data_access.db import database_url, make_engine
from data_access.setup import ensure_ready
from formatting import num


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
    print(
        f"Referenzdaten geladen: {counts['measures']} Maßnahmen, {counts['strategic_measures']} strategische Maßnahmen, {counts['links']} Verknüpfungen"
    )
    return 0


def _cmd_seed(args) -> int:
    from data_access import demo
    from data_access.demo import remove

    engine = make_engine()
    ensure_ready(engine)
    if args.if_empty:
        # Automatic seeding (make setup) never puts demo rows next to real ones, nor back after a removal.
        if real := demo.real_tables(engine):
            print(f"Echte Daten vorhanden ({', '.join(real)}) – Beispieldaten werden nicht geladen.")
            return 0
        if when := remove.removed_before(engine):
            print(remove.removed_note(when))
            return 0
        if demo.has_operational_data(engine):
            print("Betriebsdaten vorhanden – Beispieldaten werden nicht geladen.")
            return 0
    summary = demo.seed(engine, scale=args.scale)
    print(summary)
    return 0


def _cmd_import(args) -> int:
    import getpass

    from data_access.importers import import_file

    engine = make_engine()
    ensure_ready(engine)
    user = args.user or getpass.getuser()
    result = import_file(
        engine, args.kind, args.file, user=f"{user} (CLI)", dry_run=args.dry_run, profile=args.profile or None
    )
    print(result.report())
    for note in result.notes:
        print(note)
    if result.ok:
        print(f"{num(result.rows)} Zeilen in {num(result.seconds, 2)} s ({result.file_format})")
    return 0 if result.ok else 2


def _cmd_profile_list(args) -> int:
    from data_access.importers import KINDS
    from data_access.importers.profiles import list_profiles
    from formatting import date as de_date

    engine = make_engine()
    ensure_ready(engine)
    found = list_profiles(engine, kind=args.kind)
    if not found:
        print("Keine Profile gespeichert" + (f" für {KINDS[args.kind].label}." if args.kind else "."))
        return 0
    for p in found:
        when = f"{de_date(p.saved_at.date())} {p.saved_at:%H:%M}" if p.saved_at else "–"
        print(f"{p.name}\t{p.kind}\t{p.describe()}\t(gespeichert von {p.saved_by}, {when})")
    return 0


def _cmd_profile_export(args) -> int:
    from data_access.importers import profiles

    engine = make_engine()
    ensure_ready(engine)
    profile = profiles.get_profile(engine, args.name)
    out = args.output or profiles.file_name(profile)
    with open(out, "wb") as f:
        f.write(profiles.to_file(profile))
    print(f"Profil „{profile.name}“ ({profile.kind}) geschrieben: {out}")
    return 0


def _cmd_profile_import(args) -> int:
    import getpass
    from pathlib import Path

    from data_access.importers import profiles

    engine = make_engine()
    ensure_ready(engine)
    path = Path(args.file)
    with path.open("rb") as f:
        data = f.read(profiles.MAX_FILE_BYTES + 1)
    profile = profiles.from_file(data, file_name=path.name)
    user = f"{args.user or getpass.getuser()} (CLI)"
    saved = profiles.save_profile(engine, profile, user=user, replace_existing=args.replace)
    print(f"Profil „{saved.name}“ ({saved.kind}) gespeichert: {saved.describe()}")
    return 0


def _cmd_demo_remove(args) -> int:
    import getpass

    from data_access.demo import remove

    engine = make_engine()
    ensure_ready(engine)
    user = args.user or getpass.getuser()
    result = remove.remove(engine, args.area, dry_run=args.dry_run, user=f"{user} (CLI)")
    print(result.report())
    return 0 if result.ok else 2


def _cmd_backup(args) -> int:
    from data_access.backup import backup

    print(backup(make_engine(), args.file, replace=args.replace).message)
    return 0


def _cmd_restore(args) -> int:
    from data_access.backup import restore

    print(
        restore(make_engine(), args.file, replace=args.replace).message
    )  # no ensure_ready first: target stays as found
    return 0


def _cmd_template(args) -> int:
    from data_access.importers import templates

    if args.write:
        for path in templates.write_templates():
            print(f"geschrieben: {path}")
        return 0
    if not args.kind:
        print("Fehler: Importart angeben (oder --write)", file=sys.stderr)
        return 1
    data = templates.template_xlsx(args.kind) if args.format == "xlsx" else templates.template_csv(args.kind)
    out = args.output or f"vorlage_{args.kind}.{args.format}"
    with open(out, "wb") as f:
        f.write(data)
    print(f"Vorlage geschrieben: {out}")
    return 0


def _cmd_export(args) -> int:
    from data_access.importers.templates import export_table
    from reports.files import to_csv_bytes, to_excel_bytes

    engine = make_engine()
    ensure_ready(engine)
    df = export_table(engine, args.table)
    data = to_excel_bytes(df, sheet=args.table) if args.format == "xlsx" else to_csv_bytes(df)
    out = args.output or f"{args.table}.{args.format}"
    with open(out, "wb") as f:
        f.write(data)
    print(f"{len(df)} Zeilen exportiert: {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access", description="DVN-Programmdatenbank verwalten")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="Schema auf den neuesten Stand bringen (alembic upgrade head)").set_defaults(
        fn=_cmd_migrate
    )
    sub.add_parser("reference", help="Referenzdaten aus dem Handlungsplan laden").set_defaults(fn=_cmd_reference)
    seed = sub.add_parser("seed", help="Beispieldaten erzeugen (als Beispieldaten markiert)")
    seed.add_argument("--demo", action="store_true", help="Beispieldaten (Standard)")
    seed.add_argument("--scale", type=int, default=1, help="Vielfaches der Dienste und Angebote für Lasttests")
    seed.add_argument(
        "--if-empty",
        action="store_true",
        help="nur, wenn es weder Betriebsdaten noch echte Daten gibt und nie Beispieldaten entfernt wurden",
    )
    seed.set_defaults(fn=_cmd_seed)
    _add_demo_commands(sub)
    _add_backup_commands(sub)
    _add_import_commands(sub)
    _add_profile_commands(sub)
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear line instead of a traceback for users of the CLI
        logging.getLogger("data_access").debug("CLI-Fehler", exc_info=exc)
        print(f"Fehler: {str(exc).strip() or exc.__class__.__name__}", file=sys.stderr)
        return 1


def _add_demo_commands(sub) -> None:
    from data_access.demo.remove import AREAS

    demo = sub.add_parser("demo", help="Beispieldaten verwalten").add_subparsers(dest="demo_command", required=True)
    rm = demo.add_parser(
        "remove", help="Beispieldaten eines Bereichs entfernen (eine Transaktion; echte Daten bleiben unberührt)"
    )
    rm.add_argument("--area", choices=list(AREAS), default="alle", help="Bereich (Standard: alle)")
    rm.add_argument("--dry-run", action="store_true", help="nur zeigen, was entfernt würde, nichts löschen")
    rm.add_argument("--user", help="wer entfernt (für das Importprotokoll); Standard: Anmeldename")
    rm.set_defaults(fn=_cmd_demo_remove)


def _add_backup_commands(sub) -> None:
    bak = sub.add_parser("backup", help="ganze Datenbank sichern (SQLite: Backup-API, PostgreSQL: pg_dump -Fc)")
    bak.add_argument("file", help="Zieldatei")
    bak.add_argument("--ersetzen", dest="replace", action="store_true", help="eine vorhandene Datei überschreiben")
    bak.set_defaults(fn=_cmd_backup)
    res = sub.add_parser("restore", help="Sicherung einspielen (eine Transaktion; nie aus einem neueren Schemastand)")
    res.add_argument("file", help="Sicherung (von „backup“ geschrieben)")
    res.add_argument(
        "--ersetzen", dest="replace", action="store_true", help="eine nicht leere Zieldatenbank überschreiben"
    )
    res.set_defaults(fn=_cmd_restore)


def _add_import_commands(sub) -> None:
    from data_access.importers import KINDS
    from data_access.importers.templates import EXPORT_TABLES

    imp = sub.add_parser("import", help="Datei importieren (eine Transaktion; bei Fehlern wird nichts geschrieben)")
    imp.add_argument("kind", choices=list(KINDS), help="Importart")
    imp.add_argument("file", help="CSV (; oder ,) oder Excel (.xlsx)")
    imp.add_argument("--dry-run", action="store_true", help="nur prüfen und Änderungen zeigen, nichts schreiben")
    imp.add_argument("--user", help="wer importiert (für das Importprotokoll); Standard: Anmeldename")
    imp.add_argument("--profil", dest="profile", metavar="NAME", help="gespeicherte Spaltenzuordnung (Profil) anwenden")
    imp.set_defaults(fn=_cmd_import)
    tpl = sub.add_parser("template", help="Importvorlage schreiben (CSV oder Excel)")
    tpl.add_argument("kind", nargs="?", choices=list(KINDS))
    tpl.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    tpl.add_argument("-o", "--output", help="Zieldatei")
    tpl.add_argument("--write", action="store_true", help="alle CSV-Vorlagen unter data_access/templates neu erzeugen")
    tpl.set_defaults(fn=_cmd_template)
    exp = sub.add_parser("export", help="Tabelle exportieren (CSV oder Excel, Formelzellen entschärft)")
    exp.add_argument("table", choices=list(EXPORT_TABLES))
    exp.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    exp.add_argument("-o", "--output", help="Zieldatei")
    exp.set_defaults(fn=_cmd_export)


def _add_profile_commands(sub) -> None:
    from data_access.importers import KINDS

    prof = sub.add_parser(
        "profil", aliases=["profile"], help="Spaltenzuordnungen (Profile) für fremde Dateilayouts verwalten"
    ).add_subparsers(dest="profile_command", required=True)
    ls = prof.add_parser("list", aliases=["liste"], help="gespeicherte Profile zeigen")
    ls.add_argument("--art", dest="kind", choices=list(KINDS), help="nur Profile dieser Importart")
    ls.set_defaults(fn=_cmd_profile_list)
    exp = prof.add_parser("export", help="Profil als JSON-Datei schreiben")
    exp.add_argument("name", help="Name des Profils")
    exp.add_argument("-o", "--output", help="Zieldatei (Standard: profil_<Name>.json)")
    exp.set_defaults(fn=_cmd_profile_export)
    imp = prof.add_parser("import", help="Profil aus einer JSON-Datei einlesen (geprüft)")
    imp.add_argument("file", help="Profildatei (JSON, wie „profil export“ sie schreibt)")
    imp.add_argument("--ersetzen", dest="replace", action="store_true", help="ein Profil gleichen Namens ersetzen")
    imp.add_argument("--user", help="wer einliest (gespeichert am Profil); Standard: Anmeldename")
    imp.set_defaults(fn=_cmd_profile_import)


__all__ = ["main", "database_url"]
