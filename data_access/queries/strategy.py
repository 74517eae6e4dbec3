"""Strategie page: action-plan measures × strategic measures, PI progress per domain, epic portfolio."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select, true

from data_access.models import (
    EPIC_STAGES,
    Epic,
    Measure,
    MeasureChapter,
    MeasureStrategicLink,
    PiObjective,
    ProgramIncrement,
    StrategicMeasure,
    Team,
)
from data_access.read import frame, reading
from data_access.reference import affected

IMPLEMENTATION_CLASSES = ("Projekt", "Neues Projekt", "Betrieb", "Linie", "Sonstige")
RUNTIME_STATUSES = ("Laufzeit beendet", "läuft", "offenes Ende", "ohne bewilligte Laufzeit")
PROGRESS_LEVELS = ("domain", "strategic")


def classify_implementation(text: str | None) -> str:
    """Map the annex's free-text implementation type to Projekt / Neues Projekt / Betrieb / Linie / Sonstige.

    'Projekt P8' -> Projekt; 'Neues Projekt' -> Neues Projekt; 'Fortentwicklung im Betrieb' and
    'Weiterführung durch IT.N' (IT.N carries it on as a service) -> Betrieb; 'Linie' -> Linie;
    anything else ('Verschiedene Unterstützungsmaßnahmen', 'Umsetzung landeseinheitliche Standards …') -> Sonstige.
    """
    t = (text or "").strip()
    if re.match(r"neues projekt\b", t, re.IGNORECASE):
        return "Neues Projekt"
    if re.match(r"projekt\b", t, re.IGNORECASE):
        return "Projekt"
    if re.search(r"\bbetrieb\b|^weiterführung durch", t, re.IGNORECASE):
        return "Betrieb"
    if re.fullmatch(r"linie", t, re.IGNORECASE):
        return "Linie"
    return "Sonstige"


def runtime_status(start: int | None, end: int | None, *, today: dt.date) -> str:
    """State of an approved runtime on `today`: a runtime '2019-2024' ends on 31.12.2024.

    Returns one of RUNTIME_STATUSES; 'ab 2024' (start, no end) is 'offenes Ende', 'offen' or none is
    'ohne bewilligte Laufzeit'.
    """
    if start is None or pd.isna(start):
        return "ohne bewilligte Laufzeit"
    if end is None or pd.isna(end):
        return "offenes Ende"
    return "Laufzeit beendet" if int(end) < today.year else "läuft"


def _measure_columns():
    return (
        Measure.id,
        Measure.row_no,
        Measure.row_key,
        Measure.chapter,
        Measure.section,
        MeasureChapter.title.label("section_title"),
        Measure.title,
        Measure.implementation,
        Measure.runtime,
        Measure.runtime_start,
        Measure.runtime_end,
        Measure.strategic_refs,
        Measure.legal_obligation,
        Measure.responsible,
        Measure.responsible_ministry,
        Measure.responsible_authority,
        Measure.source,
        Measure.as_of,
    )


def measure_list(engine: Engine) -> pd.DataFrame:
    """All action-plan measure rows in annex order, one row per row_key.

    Columns: id, row_no, row_key, chapter, section, section_title, title, implementation,
    implementation_class, runtime, runtime_start, runtime_end, strategic_refs, legal_obligation,
    responsible, responsible_ministry, responsible_authority (only a printed "Behörde:"), affected (the printed
    "Betroffen u.a.:" part, e.g. LGLN for B.3.3; None otherwise), source, as_of, links (number of linked
    strategic measures).
    """
    links = (
        select(MeasureStrategicLink.measure_id, func.count().label("links"))
        .group_by(MeasureStrategicLink.measure_id)
        .subquery()
    )
    stmt = (
        select(*_measure_columns(), func.coalesce(links.c.links, 0).label("links"))
        .outerjoin(MeasureChapter, MeasureChapter.code == Measure.section)
        .outerjoin(links, links.c.measure_id == Measure.id)
        .order_by(Measure.row_no)
    )
    df = frame(engine, stmt)
    if df.empty:
        return df
    df.insert(
        df.columns.get_loc("implementation") + 1,
        "implementation_class",
        df["implementation"].map(classify_implementation),
    )
    df.insert(df.columns.get_loc("responsible_authority") + 1, "affected", df["responsible"].map(affected))
    return df


def strategic_list(engine: Engine) -> pd.DataFrame:
    """The 43 strategic measures with the number of action-plan rows implementing each.

    Columns: number, domain, short_name, full_text, measures (0 = nothing implements it), source, as_of.
    """
    stmt = (
        select(
            StrategicMeasure.number,
            StrategicMeasure.domain,
            StrategicMeasure.short_name,
            StrategicMeasure.full_text,
            func.count(MeasureStrategicLink.measure_id).label("measures"),
            StrategicMeasure.source,
            StrategicMeasure.as_of,
        )
        .outerjoin(MeasureStrategicLink, MeasureStrategicLink.strategic_number == StrategicMeasure.number)
        .group_by(
            StrategicMeasure.number,
            StrategicMeasure.domain,
            StrategicMeasure.short_name,
            StrategicMeasure.full_text,
            StrategicMeasure.source,
            StrategicMeasure.as_of,
        )
        .order_by(StrategicMeasure.number)
    )
    return frame(engine, stmt)


def uncovered_strategic(engine: Engine) -> pd.DataFrame:
    """Strategic measures that no action-plan measure implements (one row each).

    Columns: number, domain, short_name, full_text.
    """
    stmt = (
        select(
            StrategicMeasure.number, StrategicMeasure.domain, StrategicMeasure.short_name, StrategicMeasure.full_text
        )
        .outerjoin(MeasureStrategicLink, MeasureStrategicLink.strategic_number == StrategicMeasure.number)
        .group_by(
            StrategicMeasure.number, StrategicMeasure.domain, StrategicMeasure.short_name, StrategicMeasure.full_text
        )
        .having(func.count(MeasureStrategicLink.measure_id) == 0)
        .order_by(StrategicMeasure.number)
    )
    return frame(engine, stmt)


LATER_OR_ELSEWHERE = (
    "Laut Handlungsplan (Kap. A.2) sollen die übrigen Maßnahmen der Strategie zu einem späteren Zeitpunkt durch "
    "Erweiterung des Handlungsplans oder in gesonderten Initiativen umgesetzt werden."
)


def coverage_summary(engine: Engine) -> dict:
    """How the annex links the 43 strategic measures, counted by what stands behind the link.

    Keys: strategic (all), referenced (linked to at least one annex row of any kind), with_project (linked to at
    least one row implemented as a project "Projekt Pn"/"Projekt Q1"; a "Neues Projekt … offen", Betrieb or
    Linie row is no project yet), not_referenced (no annex row: the plan leaves them to a later extension or other
    initiatives, see LATER_OR_ELSEWHERE), links (annex links in all).
    """
    ml = measure_list(engine)
    project_ids = tuple(int(i) for i in ml.loc[ml["implementation_class"] == "Projekt", "id"]) if not ml.empty else ()
    link = MeasureStrategicLink
    with reading(engine) as c:
        strategic = c.scalar(select(func.count()).select_from(StrategicMeasure)) or 0
        referenced = c.scalar(select(func.count(func.distinct(link.strategic_number)))) or 0
        with_project = (
            c.scalar(select(func.count(func.distinct(link.strategic_number))).where(link.measure_id.in_(project_ids)))
            if project_ids
            else 0
        )
        links = c.scalar(select(func.count()).select_from(link)) or 0
    return dict(
        strategic=int(strategic),
        referenced=int(referenced),
        with_project=int(with_project or 0),
        not_referenced=int(strategic) - int(referenced),
        links=int(links),
    )


def coverage(engine: Engine) -> pd.DataFrame:
    """The full coverage grid: one row per action-plan measure row × strategic measure (43 × 43).

    Columns: row_no, row_key, chapter, section, section_title, title, number, domain, short_name,
    full_text, linked (1 when the annex links the two, else 0), source, as_of (of the annex).
    """
    link = MeasureStrategicLink
    stmt = (
        select(
            Measure.row_no,
            Measure.row_key,
            Measure.chapter,
            Measure.section,
            MeasureChapter.title.label("section_title"),
            Measure.title,
            StrategicMeasure.number,
            StrategicMeasure.domain,
            StrategicMeasure.short_name,
            StrategicMeasure.full_text,
            case((link.measure_id.is_not(None), 1), else_=0).label("linked"),
            Measure.source,
            Measure.as_of,
        )
        .select_from(Measure)
        .join(StrategicMeasure, true())
        .outerjoin(MeasureChapter, MeasureChapter.code == Measure.section)
        .outerjoin(link, and_(link.measure_id == Measure.id, link.strategic_number == StrategicMeasure.number))
        .order_by(Measure.row_no, StrategicMeasure.number)
    )
    return frame(engine, stmt)


def progress(engine: Engine, *, level: str = "domain") -> pd.DataFrame:
    """PI objectives linked to action-plan measures, aggregated per domain (or strategic measure) and PI.

    An objective counts once per domain even when its measure links several strategic measures of that
    domain. One row per (key, PI) that has objectives. Columns: key (domain name or strategic number),
    pi_number, quarter, objectives, committed, planned_bv (Σ planned BV of committed objectives),
    actual_bv (Σ actual BV of all objectives), scored (objectives with an actual BV), bv_share
    (actual_bv ÷ planned_bv once every objective of the cell is scored, else None), is_demo, has_real (a real
    objective contributes), source, as_of.
    """
    if level not in PROGRESS_LEVELS:
        raise ValueError(f"Unbekannte Ebene: {level!r}")
    key_col = StrategicMeasure.domain if level == "domain" else StrategicMeasure.number
    pairs = (
        select(PiObjective.id.label("objective_id"), key_col.label("key"))
        .join(MeasureStrategicLink, MeasureStrategicLink.measure_id == PiObjective.measure_id)
        .join(StrategicMeasure, StrategicMeasure.number == MeasureStrategicLink.strategic_number)
        .distinct()
        .subquery()
    )
    o = PiObjective
    stmt = (
        select(
            pairs.c.key,
            o.pi_number,
            ProgramIncrement.quarter,
            func.count().label("objectives"),
            func.sum(case((o.committed, 1), else_=0)).label("committed"),
            func.sum(case((o.committed, o.planned_bv), else_=0)).label("planned_bv"),
            func.sum(o.actual_bv).label("actual_bv"),
            func.count(o.actual_bv).label("scored"),
            func.max(case((o.is_demo, 1), else_=0)).label("is_demo"),
            func.max(case((o.is_demo, 0), else_=1)).label("has_real"),
            func.min(o.source).label("source"),
            func.max(o.as_of).label("as_of"),
        )
        .select_from(pairs)
        .join(o, o.id == pairs.c.objective_id)
        .join(ProgramIncrement, ProgramIncrement.number == o.pi_number)
        .group_by(pairs.c.key, o.pi_number, ProgramIncrement.quarter)
        .order_by(pairs.c.key, o.pi_number)
    )
    df = frame(engine, stmt)
    for col in ("objectives", "committed", "planned_bv", "scored"):
        df[col] = df[col].fillna(0).astype(int)
    df["actual_bv"] = df["actual_bv"].astype(float)
    done = (df["scored"] == df["objectives"]) & (df["planned_bv"] > 0)
    df["bv_share"] = (df["actual_bv"] / df["planned_bv"].where(done)).astype(float)
    df["is_demo"] = df["is_demo"].astype(bool)
    df["has_real"] = df["has_real"].astype(bool)
    return df


def progress_rows(engine: Engine, *, level: str = "domain") -> pd.DataFrame:
    """The row axis of the progress heatmap: every domain (or strategic measure) in strategy order.

    Columns: key, label, domain, text (hover description).
    """
    sm = strategic_list(engine)
    if level == "domain":
        first = sm.groupby("domain", sort=False)["number"].min().sort_values()
        return pd.DataFrame(
            {
                "key": first.index,
                "label": first.index,
                "domain": first.index,
                "text": [f"Strategische Maßnahmen #{n} ff." for n in first.values],
            }
        )
    return pd.DataFrame(
        {
            "key": sm["number"],
            "label": "#" + sm["number"].astype(str) + " " + sm["short_name"],
            "domain": sm["domain"],
            "text": sm["full_text"],
        }
    )


def progress_matrix(cells: pd.DataFrame, rows: pd.DataFrame, *, value: str = "objectives") -> pd.DataFrame:
    """Progress cells as a rows × PI matrix for downloads; value 'objectives' or 'bv_share'."""
    if cells.empty:
        return pd.DataFrame({"Zeile": rows["label"]})
    wide = cells.assign(pi=lambda d: "PI " + d["pi_number"].astype(str) + " (" + d["quarter"] + ")")
    wide = wide.pivot_table(index="key", columns="pi", values=value, aggfunc="first", dropna=False)
    order = cells.drop_duplicates("pi_number").sort_values("pi_number")
    wide = wide.reindex(
        index=rows["key"], columns=[f"PI {n} ({q})" for n, q in zip(order["pi_number"], order["quarter"], strict=True)]
    )
    wide.insert(0, "Zeile", rows["label"].to_numpy())
    wide.columns.name = None
    return wide.reset_index(drop=True)


def epics_by_stage(engine: Engine) -> pd.DataFrame:
    """Portfolio Kanban: one row per stage (all five, in process order), also empty ones.

    Columns: stage, epics, budget_eur (Σ, 0 when none), is_demo, has_real, source, as_of.
    """
    stmt = select(
        Epic.stage,
        func.count().label("epics"),
        func.sum(Epic.budget_eur).label("budget_eur"),
        func.max(case((Epic.is_demo, 1), else_=0)).label("is_demo"),
        func.max(case((Epic.is_demo, 0), else_=1)).label("has_real"),
        func.min(Epic.source).label("source"),
        func.max(Epic.as_of).label("as_of"),
    ).group_by(Epic.stage)
    with reading(engine) as c:
        got = {r.stage: r for r in c.execute(stmt)}
    rows = []
    for stage in EPIC_STAGES:
        r = got.get(stage)
        rows.append(
            dict(
                stage=stage,
                epics=int(r.epics) if r else 0,
                budget_eur=float(r.budget_eur or 0) if r else 0.0,
                is_demo=bool(r.is_demo) if r else False,
                has_real=bool(r.has_real) if r else False,
                source=r.source if r else None,
                as_of=r.as_of if r else None,
            )
        )
    return pd.DataFrame(rows)


def epic_board(engine: Engine) -> pd.DataFrame:
    """All epics for the board, in stage order and by budget (largest first) within a stage.

    Columns: stage, epic_key, title, owner, budget_eur, row_key (linked measure or None), is_demo.
    """
    order = case({s: i for i, s in enumerate(EPIC_STAGES)}, value=Epic.stage)
    stmt = (
        select(Epic.stage, Epic.epic_key, Epic.title, Epic.owner, Epic.budget_eur, Measure.row_key, Epic.is_demo)
        .outerjoin(Measure, Measure.id == Epic.measure_id)
        .order_by(order, Epic.budget_eur.desc(), Epic.epic_key)
    )
    df = frame(engine, stmt)
    df["budget_eur"] = df["budget_eur"].astype(float)
    return df


def implementation_types(engine: Engine) -> pd.DataFrame:
    """Action-plan measure rows per implementation class (Projekt, Neues Projekt, Betrieb, Linie, Sonstige).

    The class comes from the printed free text (classify_implementation), which SQL cannot do portably;
    the annex has only 43 rows. Columns: implementation_class, measures, items (list of
    'B.2.1 Elektronische Aktenführung (Projekt P8)').
    """
    df = measure_list(engine)
    rows = []
    for cls in IMPLEMENTATION_CLASSES:
        part = df[df["implementation_class"] == cls] if not df.empty else df
        items = [f"{r.row_key} {r.title} ({r.implementation})" for r in part.itertuples()]
        rows.append(dict(implementation_class=cls, measures=len(part), items=items))
    return pd.DataFrame(rows)


def measure_runtimes(engine: Engine, *, today: dt.date) -> pd.DataFrame:
    """Approved runtime of every action-plan measure row and its state on `today`.

    Columns: row_no, row_key, title, implementation, implementation_class, runtime (as printed),
    runtime_start, runtime_end, status (one of RUNTIME_STATUSES), source, as_of.
    """
    df = measure_list(engine)
    if df.empty:
        return df
    df = df[
        [
            "row_no",
            "row_key",
            "title",
            "implementation",
            "implementation_class",
            "runtime",
            "runtime_start",
            "runtime_end",
            "source",
            "as_of",
        ]
    ].copy()
    df["status"] = [
        runtime_status(s, e, today=today) for s, e in zip(df["runtime_start"], df["runtime_end"], strict=True)
    ]
    return df


def measure_detail(engine: Engine, *, row_key: str) -> dict | None:
    """Everything about one action-plan measure row; None when the row_key does not exist.

    Keys: measure (dict of measure_list columns), headings (list of 'B.1 Online-Services', …),
    strategic (DataFrame number, domain, short_name, full_text), objectives (DataFrame pi_number,
    quarter, team, text, committed, planned_bv, actual_bv, is_demo), epics (DataFrame epic_key, title,
    stage, owner, budget_eur, is_demo).
    """
    ml = measure_list(engine)
    hit = ml[ml["row_key"] == row_key] if not ml.empty else ml
    if hit.empty:
        return None
    m = hit.iloc[0].to_dict()
    parts = m["chapter"].split(".")
    prefixes = [".".join(parts[:i]) for i in range(2, len(parts) + 1)]
    with reading(engine) as c:
        heads = dict(
            c.execute(select(MeasureChapter.code, MeasureChapter.title).where(MeasureChapter.code.in_(prefixes))).all()
        )
        strategic = pd.DataFrame(
            c.execute(
                select(
                    StrategicMeasure.number,
                    StrategicMeasure.domain,
                    StrategicMeasure.short_name,
                    StrategicMeasure.full_text,
                )
                .join(MeasureStrategicLink, MeasureStrategicLink.strategic_number == StrategicMeasure.number)
                .where(MeasureStrategicLink.measure_id == int(m["id"]))
                .order_by(StrategicMeasure.number)
            ).all(),
            columns=["number", "domain", "short_name", "full_text"],
        )
        objectives = pd.DataFrame(
            c.execute(
                select(
                    PiObjective.pi_number,
                    ProgramIncrement.quarter,
                    Team.name,
                    PiObjective.text,
                    PiObjective.committed,
                    PiObjective.planned_bv,
                    PiObjective.actual_bv,
                    PiObjective.is_demo,
                )
                .join(ProgramIncrement, ProgramIncrement.number == PiObjective.pi_number)
                .outerjoin(Team, Team.id == PiObjective.team_id)
                .where(PiObjective.measure_id == int(m["id"]))
                .order_by(PiObjective.pi_number, PiObjective.objective_key)
            ).all(),
            columns=["pi_number", "quarter", "team", "text", "committed", "planned_bv", "actual_bv", "is_demo"],
        )
        epics = pd.DataFrame(
            c.execute(
                select(Epic.epic_key, Epic.title, Epic.stage, Epic.owner, Epic.budget_eur, Epic.is_demo)
                .where(Epic.measure_id == int(m["id"]))
                .order_by(Epic.epic_key)
            ).all(),
            columns=["epic_key", "title", "stage", "owner", "budget_eur", "is_demo"],
        )
    objectives["actual_bv"] = objectives["actual_bv"].astype(float)
    epics["budget_eur"] = epics["budget_eur"].astype(float)
    headings = [f"{p} {heads[p]}" for p in prefixes if p in heads and p != m["chapter"]]
    return dict(measure=m, headings=headings, strategic=strategic, objectives=objectives, epics=epics)
