"""Engine, sessions and migrations: DATABASE_URL selects PostgreSQL, the default is SQLite under data/."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "dvn.sqlite"
LOCK_WAIT_SECONDS = 120
# A server that does not answer (host down, network gone) fails a new connection after this long, never hangs a page.
CONNECT_TIMEOUT_SECONDS = int(os.environ.get("DVN_DB_CONNECT_TIMEOUT_S", "5"))
# SQLSTATEs of a lost or refused connection: class 08, and the server shutting down or restarting (57P01–57P03).
UNREACHABLE_STATES = ("08", "57P01", "57P02", "57P03")


def database_url() -> str:
    """The configured database: env DATABASE_URL, else Streamlit secrets, else the SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Accept the common postgres:// spellings and use psycopg 3 for them.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    return f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Writers wait up to LOCK_WAIT_SECONDS for SQLite's write lock (one import queues behind the other).
        engine = create_engine(url, connect_args={"timeout": LOCK_WAIT_SECONDS})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    logging.getLogger("psycopg").addFilter(_drop_pipeline_echo)
    # pool_pre_ping: a pooled connection that died with a server restart is replaced before use (recovery without
    # restarting the app).
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})


def _is_psycopg_connection_error(error: BaseException) -> bool:
    try:
        import psycopg
    except ImportError:  # SQLite only
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


def unreachable(exc: BaseException) -> bool:
    """True when `exc` (or what caused it) means the database cannot be reached: refused or lost connection, server
    shutting down. Timeouts, lock waits and refused statements are not outages and stay False."""
    from sqlalchemy.exc import DBAPIError

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DBAPIError):
            if exc.connection_invalidated:
                return True
            state = getattr(exc.orig, "sqlstate", None)
            if state:  # the server said why: only a lost connection or a shutdown is an outage
                return state.startswith(UNREACHABLE_STATES)
            # No SQLSTATE: the client could not connect or lost the connection (refused, timed out, closed).
            return _is_psycopg_connection_error(exc.orig)
        exc = exc.__cause__ or exc.__context__
    return False


def _drop_pipeline_echo(record: logging.LogRecord) -> bool:
    """psycopg warns "error ignored terminating Pipeline" when an executemany fails; the error itself is raised,
    handled and reported in German, so the English echo before that message (on the CLI's stderr) is dropped."""
    return not str(record.msg).startswith("error ignored terminating")


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One session, one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def refresh_statistics(engine: Engine) -> None:
    """Update the query planner's statistics after a bulk write: plain ANALYZE, the same on SQLite and PostgreSQL.

    Right after a bulk load PostgreSQL has no statistics yet (autovacuum comes later) and plans the availability
    query's joins on its CTEs as nested loops: minutes instead of 0.1 s on a freshly seeded database.
    """
    with engine.begin() as c:
        c.exec_driver_sql("ANALYZE")


def take_import_lock(session: Session, kind: str) -> None:
    """Serialise writers of one import kind for the rest of this transaction (call before reading the plan's data).

    One UPDATE of the kind's row of `import_lock` to itself (the database stays unchanged): PostgreSQL holds the
    row lock until commit, SQLite takes its database write lock. Whoever comes second waits (at most LOCK_WAIT_SECONDS) and then plans from the first
    import's result, so two imports can never both build on the same old snapshot.
    """
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
    params = {"kind": kind}
    if session.execute(text("UPDATE import_lock SET kind = kind WHERE kind = :kind"), params).rowcount == 0:
        session.execute(text("INSERT INTO import_lock (kind) VALUES (:kind)"), params)
