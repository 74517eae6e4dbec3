"""AppTest helper: open every chart's "Tabelle zum Diagramm" (its content is built only while open)."""

from __future__ import annotations


def open_tables(at):
    keys = [e.key for e in at.expander if e.key and e.key.endswith("-table")]
    for key in keys:
        at.session_state[key] = True
    return at.run() if keys else at
