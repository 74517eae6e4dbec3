"""Bounds for text that comes from files or users and ends up in messages, the import log or the page."""

from __future__ import annotations

from collections.abc import Iterable

QUOTE_CHARS = 80  # a cell value or header quoted in a message
LISTED = 20  # items named in one message before "und N weitere"


def clip(value: str, limit: int = QUOTE_CHARS) -> str:
    """`value` cut to at most `limit` characters, ending with "…" when something was cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def listing(items: Iterable[str], *, limit: int = LISTED, quote: bool = True) -> str:
    """„a“, „b“ … und 7 weitere – each item clipped, at most `limit` named."""
    items = list(items)
    shown = [f"„{clip(i)}“" if quote else clip(i) for i in items[:limit]]
    rest = len(items) - limit
    return ", ".join(shown) + (f" und {rest:,} weitere".replace(",", ".") if rest > 0 else "")
