"""The only place where Streamlit caches wrap data_access: one engine per database URL, cached queries.

The boundaries are cached where they are read (geo.load, per file and modification time), not here.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from data_access.db import database_url, make_engine
from data_access.setup import ensure_ready

QUERY_TTL_SECONDS = 600


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    ensure_ready(engine)  # alembic upgrade head + reference data; cheap when already there
    return engine


def engine() -> Engine:
    """The app's engine for the configured DATABASE_URL (built once per process)."""
    return _engine(database_url())


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False, max_entries=1000)
def _call(url: str, name: str, kwargs: tuple, _fn: Callable):
    # The key is (url, name, kwargs); the function object itself is passed along unhashed (leading underscore).
    return _fn(_engine(url), **dict(kwargs))


def load(fn: Callable, **kwargs):
    """Call a data_access query `fn(engine, **kwargs)` through the cache.

    The cache key is the database URL, the function's dotted name and its keyword arguments,
    so every query function is cached without wrapping each one by hand.
    """
    return _call(database_url(), f"{fn.__module__}.{fn.__qualname__}", tuple(sorted(kwargs.items())), fn)


def clear() -> None:
    """Forget cached query results (after an import changed the database)."""
    _call.clear()
