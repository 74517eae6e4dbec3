"""Published reference figures (table published_figure); their German marker text is reports.notes.marker_text."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from data_access.models import PublishedFigure
from data_access.read import frame

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
    df = frame(engine, stmt)
    df["value"] = df["value"].astype(float)
    if keys is not None:
        df = df.set_index("key").reindex([k for k in keys if k in set(df["key"])]).reset_index()
    return df
