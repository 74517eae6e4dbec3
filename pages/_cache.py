"""The only place where Streamlit caches wrap data_access: one engine per database URL, cached queries."""

from __future__ import annotations

import importlib
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
def _call(url: str, fn_path: str, kwargs: tuple):
    module, name = fn_path.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    return fn(_engine(url), **dict(kwargs))


def load(fn: Callable, **kwargs):
    """Call a data_access query `fn(engine, **kwargs)` through the cache.

    The cache key is the database URL, the function's dotted name and its keyword arguments,
    so every query function is cached without wrapping each one by hand.
    """
    return _call(database_url(), f"{fn.__module__}.{fn.__qualname__}", tuple(sorted(kwargs.items())))


def clear() -> None:
    """Forget cached query results (after an import changed the database)."""
    _call.clear()


@st.cache_resource(show_spinner=False)
def _geojson(level: str, folder: str, stamp: int) -> dict:
    from geo.load import boundaries

    return boundaries(level, folder)


def geojson(level: str) -> dict | None:
    """Boundaries of one level (KRS, VWG, GEM) as GeoJSON, loaded once per process; None before the first build.

    The folder and the file's modification time are part of the key, so a rebuild is picked up.
    """
    from geo.load import FILES, available, resolve_dir

    folder = resolve_dir()
    if level not in FILES or not available(folder):
        return None
    return _geojson(level, str(folder), (folder / FILES[level]).stat().st_mtime_ns)
