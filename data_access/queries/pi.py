"""PI objectives: predictability per PI and team, drill-down lists and data-quality warnings."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, String, case, cast, func, literal, select, union_all

from data_access.models import Measure, PiObjective, ProgramIncrement, Team
from data_access.read import reading

PLANNED, RUNNING, DONE = "geplant", "läuft", "abgeschlossen"
MAX_BV = 10
PI_COLUMNS = [
    "pi_number",
    "quarter",
    "start_date",
    "end_date",
    "status",
    "objectives",
    "committed",
    "uncommitted",
    "planned_bv_committed",
    "actual_bv",
    "scored",
    "predictability",
    "is_demo",
    "is_mixed",
    "source",
    "as_of",
]
TEAM_COLUMNS = [
    "pi_number",
    "quarter",
    "status",
    "team_id",
    "team",
    "objectives",
    "committed",
    "uncommitted",
    "planned_bv_committed",
    "actual_bv",
    "scored",
    "predictability",
]


def pi_status(start: dt.date, end: dt.date, *, objectives: int, scored: int, today: dt.date) -> str:
    """'geplant' before the start; 'läuft' while it runs and after its end until the first objective is scored.

    An ended PI without any objectives is 'abgeschlossen' (its predictability is n/a, never 'läuft' for ever).
    """
    if today < start:
        return PLANNED
    if today <= end or (objectives and not scored):
        return RUNNING
    return DONE


def predictability(actual_bv, planned_bv_committed, *, status: str = DONE) -> float | None:
    """Σ actual BV of all objectives ÷ Σ planned BV of committed objectives; None when not defined.

    None for a PI that is not finished (a running PI is 'läuft', never 0 %) and when nothing committed
    carries planned BV (no division by zero). Uncommitted objectives add to the actual sum only, so the
    result can exceed 1.
    """
    if status != DONE or planned_bv_committed is None or float(planned_bv_committed) <= 0:
        return None
    return float(actual_bv or 0) / float(planned_bv_committed)


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _sums():
    """The aggregate columns shared by the programme and the team query (one SQL definition)."""
    committed = PiObjective.committed.is_(True)
    return [
        func.count(PiObjective.id).label("objectives"),
        func.coalesce(func.sum(case((committed, 1), else_=0)), 0).label("committed"),
        func.coalesce(func.sum(case((PiObjective.committed.is_(False), 1), else_=0)), 0).label("uncommitted"),
        func.coalesce(func.sum(case((committed, PiObjective.planned_bv), else_=0)), 0).label("planned_bv_committed"),
        func.coalesce(func.sum(PiObjective.actual_bv), 0).label("actual_bv"),
        func.count(PiObjective.actual_bv).label("scored"),
    ]


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("objectives", "committed", "uncommitted", "scored"):
        df[col] = df[col].astype(int)
    for col in ("planned_bv_committed", "actual_bv"):
        df[col] = df[col].astype(float)
    df["predictability"] = [
        predictability(a, p, status=s)
        for a, p, s in zip(df["actual_bv"], df["planned_bv_committed"], df["status"], strict=True)
    ]
    df["predictability"] = df["predictability"].astype(float)  # NaN = n/a
    return df


def programme_predictability(engine: Engine, *, today: dt.date | None = None) -> pd.DataFrame:
    """One row per PI (oldest first), with objectives or not: the programme's predictability.

    Columns: pi_number, quarter, start_date, end_date, status ('geplant'/'läuft'/'abgeschlossen'), objectives,
    committed, uncommitted, planned_bv_committed, actual_bv, scored (objectives with actual BV),
    predictability (float, may exceed 1; NaN = n/a or not finished), is_demo, is_mixed (real objectives
    beside demo rows), source, as_of. Objectives without team count here although the team views leave them out.
    """
    today = _today(today)
    pi = ProgramIncrement
    stmt = (
        select(
            pi.number.label("pi_number"),
            pi.quarter,
            pi.start_date,
            pi.end_date,
            *_sums(),
            func.max(case((PiObjective.is_demo.is_(True), 1), else_=0)).label("obj_demo"),
            func.max(case((pi.is_demo.is_(True), 1), else_=0)).label("pi_demo"),
            func.max(case((PiObjective.is_demo.is_(False), 1), else_=0)).label("obj_real"),
            func.coalesce(func.min(PiObjective.source), func.min(pi.source)).label("source"),
            func.coalesce(func.max(PiObjective.as_of), func.max(pi.as_of)).label("as_of"),
        )
        .select_from(pi)
        .outerjoin(PiObjective, PiObjective.pi_number == pi.number)
        .group_by(pi.number, pi.quarter, pi.start_date, pi.end_date)
        .order_by(pi.number)
    )
    with reading(engine) as c:
        rows = c.execute(stmt).mappings().all()
    df = pd.DataFrame([dict(r) for r in rows], columns=[*PI_COLUMNS, "obj_demo", "pi_demo", "obj_real"])
    df["status"] = [
        pi_status(r.start_date, r.end_date, objectives=r.objectives, scored=r.scored, today=today)
        for r in df.itertuples()
    ]
    df["is_demo"] = (df["obj_demo"].fillna(0).astype(int) + df["pi_demo"].fillna(0).astype(int)) > 0
    # Mixed: real objectives beside demo rows (demo objectives, or a demo PI the real objectives belong to).
    df["is_mixed"] = df["is_demo"] & (df["obj_real"].fillna(0).astype(int) > 0)
    return _finish(df)[PI_COLUMNS]


def team_predictability(engine: Engine, *, today: dt.date | None = None, pi_number: int | None = None) -> pd.DataFrame:
    """One row per PI and team that has objectives in it: the team's predictability in that PI.

    Columns: pi_number, quarter, status (of the PI as a whole), team_id, team, objectives, committed, uncommitted,
    planned_bv_committed, actual_bv, scored, predictability (NaN = n/a, e.g. no committed planned BV,
    or PI not finished). Objectives without team are left out (see data_quality). Sorted by PI, team.
    """
    stmt = (
        select(PiObjective.pi_number, Team.id.label("team_id"), Team.name.label("team"), *_sums())
        .join(Team, Team.id == PiObjective.team_id)
        .group_by(PiObjective.pi_number, Team.id, Team.name)
        .order_by(PiObjective.pi_number, Team.name)
    )
    if pi_number is not None:
        stmt = stmt.where(PiObjective.pi_number == pi_number)
    with reading(engine) as c:
        rows = c.execute(stmt).mappings().all()
    df = pd.DataFrame([dict(r) for r in rows], columns=[c for c in TEAM_COLUMNS if c not in ("quarter", "status")])
    pis = programme_predictability(engine, today=today).set_index("pi_number")
    df["quarter"] = df["pi_number"].map(pis["quarter"])
    df["status"] = df["pi_number"].map(pis["status"])
    return _finish(df)[TEAM_COLUMNS]


def objectives(engine: Engine, *, pi_number: int, team_id: int | None = None) -> pd.DataFrame:
    """One row per objective of a PI (optionally of one team): the drill-down list.

    Columns: objective_key, team, text, committed (bool), planned_bv, actual_bv, measure (row_key),
    measure_title, is_demo. Committed first, then by planned BV descending.
    """
    stmt = (
        select(
            PiObjective.objective_key,
            Team.name.label("team"),
            PiObjective.text,
            PiObjective.committed,
            PiObjective.planned_bv,
            PiObjective.actual_bv,
            Measure.row_key.label("measure"),
            Measure.title.label("measure_title"),
            PiObjective.is_demo,
        )
        .outerjoin(Team, Team.id == PiObjective.team_id)
        .outerjoin(Measure, Measure.id == PiObjective.measure_id)
        .where(PiObjective.pi_number == pi_number)
        .order_by(PiObjective.committed.desc(), PiObjective.planned_bv.desc(), PiObjective.objective_key)
    )
    if team_id is not None:
        stmt = stmt.where(PiObjective.team_id == team_id)
    with reading(engine) as c:
        df = pd.DataFrame(
            c.execute(stmt).mappings().all(),
            columns=[
                "objective_key",
                "team",
                "text",
                "committed",
                "planned_bv",
                "actual_bv",
                "measure",
                "measure_title",
                "is_demo",
            ],
        )
    df["committed"] = df["committed"].astype(bool)
    df["actual_bv"] = df["actual_bv"].astype(float)
    df["planned_bv"] = df["planned_bv"].astype("Int64")
    return df


# Data-quality checks as the SAFe tools report them (German labels are shown as they are).
CHECK_NO_PLANNED = "Kein geplanter Geschäftswert"
CHECK_ACTUAL_HIGH = "Erreichter Geschäftswert über 10"
CHECK_ACTUAL_MISSING = "Erreichter Geschäftswert fehlt nach PI-Ende"
CHECK_PI_UNSCORED = "PI beendet, aber noch nicht bewertet"
CHECK_NO_TEAM = "Ziel ohne Team"
CHECK_DUPLICATE = "Doppeltes Ziel"
DQ_COLUMNS = ["check", "pi_number", "team", "objective_key", "text"]


def data_quality(engine: Engine, *, today: dt.date | None = None) -> pd.DataFrame:
    """One row per data-quality finding, newest PI first.

    Columns: check (one of the CHECK_* labels), pi_number, team (None without team), objective_key (None for
    a PI-level finding), text. Missing actual BV is reported per objective for finished PIs and once per PI
    for an ended PI with no scores at all (it still shows as 'läuft').
    """
    today = _today(today)
    pis = programme_predictability(engine, today=today)
    done = [int(n) for n in pis.loc[pis["status"] == DONE, "pi_number"]]
    unscored = pis[(pis["status"] == RUNNING) & (pis["end_date"] < today)]

    norm = func.lower(func.trim(PiObjective.text))
    dup_groups = (
        select(PiObjective.pi_number, PiObjective.team_id, norm.label("norm"))
        .group_by(PiObjective.pi_number, PiObjective.team_id, norm)
        .having(func.count() > 1)
        .subquery()
    )
    # NULL team_id must match NULL team_id: compare through a sentinel both databases accept.
    same_team = func.coalesce(PiObjective.team_id, -1) == func.coalesce(dup_groups.c.team_id, -1)

    def pick(label: str, *where):
        return (
            select(
                cast(literal(label), String(60)).label("check"),
                PiObjective.pi_number,
                Team.name.label("team"),
                PiObjective.objective_key,
                PiObjective.text,
            )
            .outerjoin(Team, Team.id == PiObjective.team_id)
            .where(*where)
        )

    parts = [
        pick(CHECK_NO_PLANNED, PiObjective.planned_bv.is_(None)),
        pick(CHECK_ACTUAL_HIGH, PiObjective.actual_bv > MAX_BV),
        pick(CHECK_NO_TEAM, PiObjective.team_id.is_(None)),
        pick(CHECK_DUPLICATE).join(
            dup_groups, (dup_groups.c.pi_number == PiObjective.pi_number) & same_team & (dup_groups.c.norm == norm)
        ),
    ]
    if done:
        parts.append(pick(CHECK_ACTUAL_MISSING, PiObjective.actual_bv.is_(None), PiObjective.pi_number.in_(done)))
    with reading(engine) as c:
        rows = c.execute(union_all(*parts)).mappings().all()
    found = pd.DataFrame([dict(r) for r in rows], columns=DQ_COLUMNS)
    pi_level = pd.DataFrame(
        {
            "check": CHECK_PI_UNSCORED,
            "pi_number": unscored["pi_number"],
            "team": None,
            "objective_key": None,
            "text": [f"{n} Ziele ohne erreichten Geschäftswert" for n in unscored["objectives"]],
        },
        columns=DQ_COLUMNS,
    )
    out = pd.concat([df for df in (pi_level, found) if not df.empty] or [found], ignore_index=True)
    return out.sort_values(
        ["pi_number", "check", "team", "objective_key"],
        ascending=[False, True, True, True],
        na_position="first",
        ignore_index=True,
    )
