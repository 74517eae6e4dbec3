"""Structured operations log: one JSON line per import, sign-in and error, in a rotated file.

    {"zeit": "2026-12-03T18:20:01+00:00", "ereignis": "import", "art": "angebote", "ergebnis": "angenommen", ...}

What is written is fixed by the call sites (importers, sign-in audit, the page guard); no personal data beyond the
maintainer's name (no client address, no file contents, no cell values), never a secret: keys that look like one
are dropped here as a second line of defence. File: DVN_LOG_FILE, default data/logs/dvn.jsonl; rotated at
DVN_LOG_MAX_MB (default 10) with DVN_LOG_BACKUPS (default 5) old files. DVN_LOG_FILE=- writes to stderr instead
(containers: the platform collects it). A failing log never breaks the action it records.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "data" / "logs" / "dvn.jsonl"
SECRET_WORDS = ("password", "passwort", "secret", "token", "cookie", "key")
EVENTS = ("import", "anmeldung", "fehler")

_lock = threading.Lock()
_logger: logging.Logger | None = None
_target: str | None = None


def _configured() -> logging.Logger:
    global _logger, _target
    target = os.environ.get("DVN_LOG_FILE", "").strip() or str(DEFAULT_FILE)
    with _lock:
        if _logger is not None and target == _target:
            return _logger
        logger = logging.getLogger("dvn.events")
        logger.setLevel(logging.INFO)
        logger.propagate = False
        for h in list(logger.handlers):
            logger.removeHandler(h)
            h.close()
        if target == "-":
            handler: logging.Handler = logging.StreamHandler()
        else:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(
                target,
                maxBytes=int(float(os.environ.get("DVN_LOG_MAX_MB", "10")) * 2**20),
                backupCount=int(os.environ.get("DVN_LOG_BACKUPS", "5")),
                encoding="utf-8",
            )
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        _logger, _target = logger, target
        return logger


def _clean(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def event(kind: str, **fields) -> None:
    """Write one line for `kind` (import, anmeldung, fehler) with `fields`; secret-looking keys are dropped."""
    if kind not in EVENTS:
        raise ValueError(f"unknown event {kind!r}")
    record = {"zeit": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "ereignis": kind}
    for key, value in fields.items():
        if any(word in key.lower() for word in SECRET_WORDS):
            continue
        record[key] = _clean(value)
    try:
        _configured().info(json.dumps(record, ensure_ascii=False, sort_keys=False))
    except Exception:  # noqa: BLE001 - the log must never break an import or a sign-in
        logging.getLogger(__name__).warning("Betriebsprotokoll nicht geschrieben", exc_info=True)
