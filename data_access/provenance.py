"""Where a figure comes from: one `Stand` value (date, source, demo flag) that travels from the query to the page,
its caption and every file downloaded from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from formatting import stand as stand_line

DEMO_LABEL = "Beispieldaten"
MIXED_LABEL = "teilweise Beispieldaten"
# The badge on pages and in exported images, and the suffix of every downloaded file's name.
BADGE = {
    DEMO_LABEL: "Beispieldaten – keine amtlichen Zahlen",
    MIXED_LABEL: "Teilweise Beispieldaten – nicht alle Zahlen sind echt",
}
FILE_SUFFIX = {DEMO_LABEL: "_BEISPIELDATEN", MIXED_LABEL: "_TEILWEISE-BEISPIELDATEN"}


@dataclass(frozen=True)
class Stand:
    """Stand (date of the data, or a period as published), source, whether demo rows contribute and whether real
    rows contribute beside them (`mixed`, only where the query can tell cheaply)."""

    as_of: dt.date | str | None
    source: str
    demo: bool = False
    mixed: bool = False

    @classmethod
    def of(cls, facts: Mapping | None, *, date_key: str = "as_of", source: str | None = None) -> Stand:
        """From a query's dict (keys as_of or `date_key`, source, is_demo, optional is_mixed); "–" for what is
        missing."""
        facts = facts or {}
        demo = bool(facts.get("is_demo"))
        return cls(
            facts.get(date_key), source or facts.get("source") or "–", demo, demo and bool(facts.get("is_mixed"))
        )

    @property
    def label(self) -> str:
        """ "Beispieldaten", "teilweise Beispieldaten" or "" (real rows only)."""
        if not self.demo:
            return ""
        return MIXED_LABEL if self.mixed else DEMO_LABEL

    @property
    def badge(self) -> str:
        """The badge text for demo figures ("" for real rows only)."""
        return BADGE.get(self.label, "")

    def text(self) -> str:
        """'Stand: 18.03.2025 · Quelle: … · Beispieldaten' (or '· teilweise Beispieldaten'; plain text, escape it
        for Markdown)."""
        line = stand_line(self.as_of, self.source)
        return f"{line} · {self.label}" if self.demo else line
