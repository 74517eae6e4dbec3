"""The only place where Streamlit caches wrap data_access: one engine per database URL, cached queries.

Every cached result is keyed on the database's data version (data_access.version), which each write bumps in its
own transaction: an import in any instance, the CLI or cron shows in every instance at its next rerun, with no
time-to-live and no clearing by hand. The version is read at most once per script run (a full run or a fragment
run) and session, so one page's many queries cost one extra tiny read.

The boundaries are cached where they are read (geo.load, per file and modification time), not here.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access import logs, version
from data_access.db import database_url, make_engine, unreachable
from data_access.setup import ensure_ready

OUTAGE = "Datenbank nicht erreichbar – die Anzeige aktualisiert sich, sobald sie wieder erreichbar ist."
RETRY_TICK_SECONDS = 2  # how often the waiting page looks at the clock
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 2, 30  # the probes' back-off: 2, 4, 8, 16, 30, 30 … seconds
log = logging.getLogger(__name__)

# Old versions' entries are never hit again; the bound evicts them (least recently used first).
MAX_ENTRIES = 1000

# Per script run: {run token: {url: data version}}. The token is the run's ParallelFragmentCoordinator, which
# Streamlit creates afresh for every script run (ScriptRunContext.reset); held weakly, an entry ends with its run.
_seen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_seen_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    ensure_ready(engine)  # alembic upgrade head + reference data; cheap when already there
    return engine


def engine() -> Engine:
    """The app's engine for the configured DATABASE_URL (built once per process)."""
    try:
        return _engine(database_url())
    except Exception as exc:
        logs.event(
            "fehler",
            art="datenbank_nicht_erreichbar" if unreachable(exc) else "seitenfehler",
            typ=exc.__class__.__name__,
            seite=_page_name(),
        )
        stop_if_down(exc)
        raise


def _page_name() -> str | None:
    try:
        return st.context.url.rsplit("/", 1)[-1].split("?", 1)[0] or "uebersicht"
    except Exception:  # noqa: BLE001 - no context (tests, bare mode)
        return None


def data_version(url: str) -> int:
    """The database's data version as of this script run's first query (read once per run; outside a run: each call)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    token = getattr(ctx, "parallel_coordinator", None) if ctx is not None else None
    if token is None:
        return version.current(_engine(url))
    with _seen_lock:
        known = _seen.get(token, {})
        if url in known:
            return known[url]
    current = version.current(_engine(url))  # outside the lock: other sessions' runs need not wait for it
    with _seen_lock:
        return _seen.setdefault(token, {}).setdefault(url, current)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _call(url: str, data_version: int, name: str, kwargs: tuple, _fn: Callable):
    # The key is (url, data version, name, kwargs); the function object itself is passed along unhashed.
    return _fn(_engine(url), **dict(kwargs))


def load(fn: Callable, **kwargs):
    """Call a data_access query `fn(engine, **kwargs)` through the cache.

    The cache key is the database URL, its data version, the function's dotted name and its keyword arguments,
    so every query function is cached without wrapping each one by hand, and never outlives the data it read.
    """
    url = database_url()
    try:
        return _call(url, data_version(url), f"{fn.__module__}.{fn.__qualname__}", tuple(sorted(kwargs.items())), fn)
    except Exception as exc:
        logs.event(
            "fehler",
            art="datenbank_nicht_erreichbar" if unreachable(exc) else "seitenfehler",
            typ=exc.__class__.__name__,
            seite=_page_name(),
        )
        stop_if_down(exc)
        raise


def _page_name() -> str | None:
    try:
        return st.context.url.rsplit("/", 1)[-1].split("?", 1)[0] or "uebersicht"
    except Exception:  # noqa: BLE001 - no context (tests, bare mode)
        return None


@contextmanager
def outage_guard() -> Iterator[None]:
    """Run a page (dashboard.py): an unreachable database anywhere in it ends the run with OUTAGE (stop_if_down)."""
    try:
        yield
        st.session_state.pop("_dvn_outage", None)  # answered: the next outage starts the back-off afresh
    except Exception as exc:
        logs.event(
            "fehler",
            art="datenbank_nicht_erreichbar" if unreachable(exc) else "seitenfehler",
            typ=exc.__class__.__name__,
            seite=_page_name(),
        )
        stop_if_down(exc)
        raise


def _page_name() -> str | None:
    try:
        return st.context.url.rsplit("/", 1)[-1].split("?", 1)[0] or "uebersicht"
    except Exception:  # noqa: BLE001 - no context (tests, bare mode)
        return None


def stop_if_down(exc: Exception) -> None:
    """If `exc` means the database cannot be reached: show OUTAGE instead of an error, keep probing (back-off, see
    _wait_for_database) and end this run; the page reruns by itself once the database answers. Else return."""
    if not unreachable(exc):
        return
    log.warning("Datenbank nicht erreichbar (%s)", exc.__class__.__name__)
    st.error(OUTAGE, icon=":material/cloud_off:")
    state = st.session_state.setdefault("_dvn_outage", {"delay": RETRY_FIRST_SECONDS, "due": 0.0})
    state["due"] = time.monotonic() + state["delay"]
    _wait_for_database()
    st.stop()


@st.fragment(run_every=RETRY_TICK_SECONDS)
def _wait_for_database() -> None:
    """While the outage lasts: probe the database when due (back-off), rerun the whole page once it answers."""
    state = st.session_state.get("_dvn_outage")
    if state is None or time.monotonic() < state["due"]:
        return
    url = database_url()
    try:
        version.current(_engine(url))  # a new connection (pool_pre_ping), with the connect timeout
    except Exception as exc:
        if not unreachable(exc):
            raise
        state["delay"] = min(state["delay"] * 2, RETRY_MAX_SECONDS)
        state["due"] = time.monotonic() + state["delay"]
        return
    del st.session_state["_dvn_outage"]
    st.rerun()
