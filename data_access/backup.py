"""Backup and restore of the whole database: SQLite through its online backup API, PostgreSQL through pg_dump -Fc
and pg_restore (piped into psql, so a restore is one transaction: all or nothing).

A backup carries its schema revision (the alembic_version table is in it). A restore refuses a backup from a newer
schema than this code knows, and a target that holds anything unless `replace` is given; after it the schema is
brought to head (an older backup is migrated) and the data version moves past every number the target had, so no
instance's cache can mistake the restored data for what it cached before.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, make_url, text

from data_access.db import alembic_config
from formatting import num

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
PG_BIN_DIRS = sorted(
    (p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()),
    key=lambda p: int(p.parent.name),
    reverse=True,
)
TOOL_SECONDS = 3600


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message is German and complete."""


@dataclass(frozen=True)
class Outcome:
    message: str
    revision: str


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(None)).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config(None)).walk_revisions()}


# --- backup --------------------------------------------------------------------------------------------------------


def backup(engine: Engine, file: str | Path, *, replace: bool = False) -> Outcome:
    """Write a consistent copy of the database to `file` (refuses to overwrite an existing file unless `replace`)."""
    file = Path(file)
    if file.exists() and not replace:
        raise BackupError(f"Die Datei {file} gibt es schon – eine andere wählen oder --ersetzen angeben.")
    revision = _current_revision(engine)
    if revision is None:
        raise BackupError("Die Datenbank hat noch kein Schema – es gibt nichts zu sichern.")
    file.parent.mkdir(parents=True, exist_ok=True)
    part = file.with_name(file.name + ".teil")  # written completely first, then renamed: never half a backup
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine))
        target = sqlite3.connect(part)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        kind = "SQLite"
    elif engine.dialect.name == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={part}"], engine)
        kind = "PostgreSQL, pg_dump -Fc"
    else:
        raise BackupError(f"Sicherung für {engine.dialect.name} wird nicht unterstützt (nur SQLite und PostgreSQL).")
    part.replace(file)
    size = num(file.stat().st_size / 1_000_000, 1)
    return Outcome(f"Sicherung geschrieben: {file} ({kind}, Schemastand {revision}, {size} MB)", revision)


# --- restore -------------------------------------------------------------------------------------------------------


def restore(engine: Engine, file: str | Path, *, replace: bool = False) -> Outcome:
    """Replace the database's content by the backup `file` (see the module docstring for what is refused)."""
    from data_access.setup import ensure_ready

    file = Path(file)
    if not file.is_file():
        raise BackupError(f"Die Sicherung {file} gibt es nicht.")
    with file.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    dialect = engine.dialect.name
    if head.startswith(SQLITE_MAGIC):
        kind = "sqlite"
    elif head.startswith(PG_MAGIC):
        kind = "postgresql"
    else:
        raise BackupError(f"{file} ist keine Sicherung dieser App (weder SQLite-Datei noch pg_dump -Fc).")
    if kind != dialect:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{file} ist eine {names[kind]}-Sicherung, die Zieldatenbank ist {names.get(dialect, dialect)}; "
            "eingespielt wird nur in dieselbe Art Datenbank."
        )
    revision = _sqlite_backup_revision(file) if kind == "sqlite" else _pg_backup_revision(file, engine)
    if revision is None:
        raise BackupError(f"{file} enthält keinen Schemastand (Tabelle alembic_version) – keine Sicherung dieser App.")
    if revision not in known_revisions():
        raise BackupError(
            f"Die Sicherung hat den Schemastand {revision}, diese App-Version kennt höchstens {head_revision()}: "
            "sie stammt von einer neueren Version. Bitte mit der neueren App-Version einspielen; es wurde nichts "
            "geändert."
        )
    tables = inspect(engine).get_table_names()
    if tables and not replace:
        raise BackupError(
            f"Die Zieldatenbank ist nicht leer ({num(len(tables))} Tabellen); es wurde nichts geändert. Zum "
            "Überschreiben ausdrücklich --ersetzen angeben."
        )
    before = _data_version(engine) if "data_version" in tables else 0
    engine.dispose()  # no pooled connection may hold the old content (or a lock) during the restore
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(engine))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        _restore_pg(file, engine)
    ensure_ready(engine)  # an older backup is migrated to head
    _move_data_version_past(engine, before)
    now = _current_revision(engine)
    moved = f"{revision} → {now}" if now != revision else revision
    return Outcome(f"Sicherung eingespielt: {file} (Schemastand {moved})", revision)


def _restore_pg(file: Path, engine: Engine) -> None:
    """pg_restore writes the dump as SQL; psql runs it after emptying the schema, all in one transaction."""
    dump = subprocess.Popen(
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(file)],
        env=_pg_env(engine),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        load = subprocess.run(
            [
                _tool("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                "--command=DROP SCHEMA IF EXISTS public CASCADE",
                "--command=CREATE SCHEMA public",
                "--file=-",
            ],
            env=_pg_env(engine),
            stdin=dump.stdout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=TOOL_SECONDS,
        )
    finally:
        dump.stdout.close()
        dump_err = dump.stderr.read().decode(errors="replace")
        dump.wait(timeout=TOOL_SECONDS)
    if dump.returncode != 0 or load.returncode != 0:
        detail = (dump_err or load.stderr.decode(errors="replace")).strip().splitlines()
        raise BackupError(
            "Das Einspielen ist fehlgeschlagen; die Datenbank ist unverändert (eine Transaktion). Ursache: "
            + (detail[-1] if detail else "unbekannt")
        )


# --- helpers -------------------------------------------------------------------------------------------------------


def _current_revision(engine: Engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as c:
        return c.scalar(text("SELECT version_num FROM alembic_version"))


def _data_version(engine: Engine) -> int:
    with engine.connect() as c:
        return c.scalar(text("SELECT max(version) FROM data_version")) or 0


def _move_data_version_past(engine: Engine, before: int) -> None:
    """The restored version may be lower than the target's old one: set it past both (caches key on it)."""
    after = max(before, _data_version(engine)) + 1
    with engine.begin() as c:
        c.execute(text("UPDATE data_version SET version = :v"), {"v": after})


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("Eine SQLite-Datenbank im Arbeitsspeicher lässt sich nicht sichern oder einspielen.")
    return path


def _sqlite_backup_revision(file: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as c:
            row = c.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _pg_backup_revision(file: Path, engine: Engine) -> str | None:
    """The alembic_version row of the dump (pg_restore prints the table's COPY block; nothing is written)."""
    out = _run(
        [_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(file)], engine
    ).stdout.decode(errors="replace")
    block = re.search(r"^COPY [^\n]*alembic_version[^\n]*FROM stdin;\n(.*?)^\\\.$", out, re.S | re.M)
    rows = block.group(1).split() if block else []
    return rows[0] if rows else None


def _tool(name: str) -> str:
    """A PostgreSQL client program: DVN_PG_BIN, else Debian's newest /usr/lib/postgresql/*/bin, else PATH."""
    dirs = [Path(d) for d in [os.environ.get("DVN_PG_BIN", "")] if d] + PG_BIN_DIRS
    for d in dirs:
        if (d / name).is_file():
            return str(d / name)
    if found := shutil.which(name):
        return found
    raise BackupError(
        f"Das PostgreSQL-Programm {name} wurde nicht gefunden. Bitte die PostgreSQL-Client-Programme installieren "
        "(Debian: postgresql-client, in der Version des Servers oder neuer) oder DVN_PG_BIN auf ihr Verzeichnis "
        "setzen."
    )


def _pg_env(engine: Engine) -> dict[str, str]:
    """Connection settings for the client programs as libpq variables (the password never on a command line)."""
    url = make_url(engine.url)
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
        ("PGSSLMODE", url.query.get("sslmode")),
    ):
        if value:
            env[var] = str(value)
    return env


def _run(cmd: list[str], engine: Engine) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, env=_pg_env(engine), capture_output=True, timeout=TOOL_SECONDS)
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(
            f"{Path(cmd[0]).name} ist fehlgeschlagen: " + (detail[-1] if detail else f"Rückgabewert {done.returncode}")
        )
    return done
