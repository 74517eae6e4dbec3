"""The only place where Streamlit caches wrap data_access: one engine per database URL, cached queries.

Every cached result is keyed on the database's data version (data_access.version), which each write bumps in its
own transaction: an import in any instance, the CLI or cron shows in every instance at its next rerun, with no
time-to-live and no clearing by hand. The version is read at most once per script run (a full run or a fragment
run) and session, so one page's many queries cost one extra tiny read.

The boundaries are cached where they are read (geo.load, per file and modification time), not here.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access import version
from data_access.db import database_url, make_engine
from data_access.setup import ensure_ready

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
    return _engine(database_url())


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
    return _call(url, data_version(url), f"{fn.__module__}.{fn.__qualname__}", tuple(sorted(kwargs.items())), fn)
