"""Published reference figures (table published_figure) and the one German text of a reference marker."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from charts.formatting import date
from data_access.models import PublishedFigure

COLUMNS = ["key", "topic", "date", "period", "value", "unit", "label", "source"]


def figures(engine: Engine, *, keys: tuple[str, ...] | None = None, topic: str | None = None) -> pd.DataFrame:
    """One row per published figure, oldest first; `keys` keeps their order instead.

    Columns: key, topic, date (axis position), period (Stand as published, may be None), value (float), unit
    (as published: Arbeitsplätze, Nutzende, Behörden …), label (German, with the number as published), source.
    """
    stmt = select(*(getattr(PublishedFigure, c) for c in COLUMNS)).order_by(PublishedFigure.date, PublishedFigure.key)
    if keys is not None:
        stmt = stmt.where(PublishedFigure.key.in_(keys))
    if topic is not None:
        stmt = stmt.where(PublishedFigure.topic == topic)
    with engine.connect() as c:
        df = pd.DataFrame(c.execute(stmt).mappings().all(), columns=COLUMNS)
    df["value"] = df["value"].astype(float)
    if keys is not None:
        df = df.set_index("key").reindex([k for k in keys if k in set(df["key"])]).reset_index()
    return df


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
