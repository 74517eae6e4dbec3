"""Real reference data from the action plan annex and DOMAIN.md, loaded idempotently from curated CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select

from data_access.db import transaction
from data_access.models import (
    Measure,
    MeasureChapter,
    MeasureStrategicLink,
    Ministry,
    PublishedFigure,
    StrategicMeasure,
)
from data_access.version import bump

HERE = Path(__file__).parent
ACTION_PLAN_SOURCE = "Handlungsplan Digitale Verwaltung Niedersachsen, 19.03.2024, Anlagen"
ACTION_PLAN_DATE = dt.date(2024, 3, 19)


def read_csv(name: str) -> list[dict]:
    """Rows of a curated reference CSV (';'-separated, '#' comment lines on top)."""
    with (HERE / name).open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def strategic_numbers(refs: str) -> list[int]:
    """'#14, #19' -> [14, 19]; '-' -> []."""
    return [int(n) for n in re.findall(r"#(\d+)", refs)]


def runtime_years(runtime: str) -> tuple[int | None, int | None]:
    """'2019-2024' -> (2019, 2024); 'ab 2024' -> (2024, None); 'offen' / '' -> (None, None)."""
    if m := re.fullmatch(r"(\d{4})-(\d{4})", runtime):
        return int(m[1]), int(m[2])
    if m := re.fullmatch(r"ab (\d{4})", runtime):
        return int(m[1]), None
    return None, None


def split_responsible(text: str) -> tuple[str, str | None]:
    """'Ressort: MI Behörde: IT.N' -> ('MI', 'IT.N'); keeps the printed wording otherwise.

    Only a "Behörde:" part names the responsible authority. "Betroffen u.a.: LGLN" (B.3.3) names authorities
    affected by the measure, not the one carrying it out: it is left out here (see `affected`).
    """
    m = re.match(r"Ressort:\s*(.*?)(?:,?\s*(Behörde:|Betroffen u\.a\.:)\s*(.*))?$", text)
    if not m:
        return text, None
    authority = m[3] if m[2] == "Behörde:" else None
    return m[1].strip().rstrip(","), (authority or None)


def affected(text: str) -> str | None:
    """The "Betroffen u.a.:" part of the annex's "zuständig" column ('LGLN' for B.3.3), None when absent."""
    m = re.search(r"Betroffen u\.a\.:\s*(.*)$", text)
    return m[1].strip() if m else None


def _upsert(session, model, key: dict, values: dict) -> None:
    obj = session.get(model, tuple(key.values()) if len(key) > 1 else next(iter(key.values())))
    if obj is None:
        session.add(model(**key, **values))
    else:
        for k, v in values.items():
            setattr(obj, k, v)


def load_reference(engine: Engine) -> dict[str, int]:
    """Load ministries, chapters, measures, strategic measures, links and published figures.

    Idempotent: existing rows are updated in place (ids stay stable for foreign keys).
    """
    with transaction(engine) as s:
        for r in read_csv("ministries.csv"):
            _upsert(s, Ministry, {"code": r["code"]}, {"name": r["name"]})
        for r in read_csv("measure_chapters.csv"):
            _upsert(s, MeasureChapter, {"code": r["code"]}, {"title": r["title"]})
        for r in read_csv("strategic_measures.csv"):
            _upsert(
                s,
                StrategicMeasure,
                {"number": int(r["number"])},
                dict(
                    domain=r["domain"],
                    short_name=r["short_name"],
                    full_text=r["full_text"],
                    source=ACTION_PLAN_SOURCE + " „Liste Strategische Maßnahmen“",
                    as_of=ACTION_PLAN_DATE,
                ),
            )
        s.flush()
        existing = {m.row_key: m for m in s.scalars(select(Measure))}
        for i, r in enumerate(read_csv("measures.csv"), start=1):
            start, end = runtime_years(r["runtime"])
            ministry, authority = split_responsible(r["responsible"])
            values = dict(
                row_no=i,
                chapter=r["chapter"],
                section=".".join(r["chapter"].split(".")[:2]),
                title=r["title"],
                implementation=r["implementation"],
                runtime=r["runtime"] or None,
                runtime_start=start,
                runtime_end=end,
                strategic_refs=r["strategic_refs"],
                legal_obligation=r["legal_obligation"],
                responsible=r["responsible"],
                responsible_ministry=ministry,
                responsible_authority=authority,
                source=ACTION_PLAN_SOURCE + " „Liste Maßnahmen Handlungsplan“",
                as_of=ACTION_PLAN_DATE,
            )
            m = existing.get(r["row_key"])
            if m is None:
                m = Measure(row_key=r["row_key"], **values)
                s.add(m)
            else:
                for k, v in values.items():
                    setattr(m, k, v)
            s.flush()
            wanted = set(strategic_numbers(r["strategic_refs"]))
            have = {
                link.strategic_number: link
                for link in s.scalars(select(MeasureStrategicLink).where(MeasureStrategicLink.measure_id == m.id))
            }
            for n in wanted - have.keys():
                s.add(MeasureStrategicLink(measure_id=m.id, strategic_number=n))
            for n in have.keys() - wanted:
                s.delete(have[n])
        figures = read_csv("published_figures.csv")
        # Published figures are pure reference data (no foreign keys point at them): a row taken out of the CSV
        # (say, a figure whose publication could not be found) leaves the database too.
        wanted_keys = {r["key"] for r in figures}
        for stale in s.scalars(select(PublishedFigure).where(PublishedFigure.key.not_in(wanted_keys))):
            s.delete(stale)
        for r in figures:
            _upsert(
                s,
                PublishedFigure,
                {"key": r["key"]},
                dict(
                    topic=r["topic"],
                    date=dt.date.fromisoformat(r["date"]),
                    period=r["period"] or None,
                    value=Decimal(r["value"]),
                    unit=r["unit"],
                    label=r["label"],
                    source=r["source"],
                ),
            )
        bump(s)
    with transaction(engine) as s:
        return {
            "measures": len(s.scalars(select(Measure.id)).all()),
            "strategic_measures": len(s.scalars(select(StrategicMeasure.number)).all()),
            "links": len(s.execute(select(MeasureStrategicLink.measure_id)).all()),
        }
