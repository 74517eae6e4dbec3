"""German sentences that travel with figures: published reference markers and the eAkte target note."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from data_access.queries.published import figures
from formatting import date, num


def markers(engine: Engine, *, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The marker texts of the given figures, in the given order (unknown keys are left out)."""
    return tuple(marker_text(r) for r in figures(engine, keys=keys).to_dict("records"))


def marker_text(figure: dict) -> str:
    """'veröffentlicht: <label> · Quelle: <source> · Stand: <period or date>' (plain text, not escaped).

    The Stand is the one the publication states (`period`); only without it the date is shown.
    """
    period = figure.get("period")
    when = date(figure.get("date")) if period is None or pd.isna(period) or not period else period
    return f"veröffentlicht: {figure['label']} · Quelle: {figure['source']} · Stand: {when}"


def eakte_target_note(target: int) -> str:
    """The eAkte target as the action plan states it, and why it compares only approximately with users."""
    return (
        f"Ziel Ende 2025: ca. {num(target)} Arbeitsplätze einschließlich des Justizbereichs (Handlungsplan DVN); "
        "gezählt werden hier aktive Nutzende der Landesbehörden: Vergleich nur näherungsweise."
    )
