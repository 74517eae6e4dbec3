"""eAkte rollout: headline KPIs, users per Stichtag with a linear forecast, state and plan check per authority."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from sqlalchemy import Engine, Float, and_, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from data_access import periods
from data_access.models import Authority, EakteSnapshot, Ministry, PublishedFigure
from data_access.read import frame, reading

PRODUCTIVE = "produktiv"
NO_DATA = "keine Daten"
STATUS_ORDER = ("produktiv", "in Einführung", "geplant", NO_DATA)
TARGET_KEY, DEADLINE_KEY = "eakte_target_2025", "eakte_deadline_ndig"
DEFAULT_THRESHOLD = 0.5
BAND_SIGMAS = 2  # ± 2 residual standard deviations: roughly the range 95 % of past months fell into
REASON_LATE = "Start überfällig"
REASON_LOW = "Nutzung unter Schwelle"

AUTHORITY_COLUMNS = [
    "code",
    "name",
    "ministry_code",
    "seat_ars",
    "ministry",
    "status",
    "planned_go_live",
    "go_live_date",
    "planned_workplaces",
    "active_users",
    "adoption",
    "snapshot_date",
    "late",
    "low_adoption",
    "behind_plan",
    "reason",
    "is_demo",
    "source",
]
SERIES_COLUMNS = ["snapshot_date", "active_users", "authorities", "productive", "is_demo", "source"]
MINISTRY_COLUMNS = [
    "ministry_code",
    "ministry",
    "authorities",
    "productive",
    "in_rollout",
    "planned",
    "no_data",
    "not_productive",
    "productive_share",
    "late",
    "planned_workplaces",
    "active_users",
    "adoption",
]
MINISTRY_COUNTS = [
    "authorities",
    "productive",
    "in_rollout",
    "planned",
    "no_data",
    "late",
    "planned_workplaces",
    "active_users",
]


# --- plan rules (one SQL definition, used by the per-authority and the per-ministry question) ---------------


def _late(status, planned_go_live, as_of: dt.date):
    """Behind plan: the planned go-live lies before the data's Stand and the authority is not productive.

    Judged at the Stand of the data, not at today's date: a snapshot cannot know what happened after it.
    """
    return and_(planned_go_live.is_not(None), planned_go_live < as_of, func.coalesce(status, NO_DATA) != PRODUCTIVE)


def _adoption(active_users, planned_workplaces):
    """Active users ÷ planned workplaces; NULL when no workplaces are planned (no division by zero)."""
    return cast(active_users, Float) / func.nullif(planned_workplaces, 0)


def _low_adoption(status, adoption, threshold: float):
    """Only productive authorities count: before go-live low use is expected, not a warning."""
    return and_(status == PRODUCTIVE, adoption.is_not(None), adoption < threshold)


def _latest_per_authority(as_of: dt.date, ministry: str | None):
    """In-scope authorities joined to their latest snapshot on or before `as_of` (NULL columns when none)."""
    last = (
        select(EakteSnapshot.authority_id, func.max(EakteSnapshot.snapshot_date).label("d"))
        .where(EakteSnapshot.snapshot_date <= as_of)
        .group_by(EakteSnapshot.authority_id)
        .subquery()
    )
    s = EakteSnapshot
    frm = (
        select(Authority.id)
        .select_from(Authority)
        .outerjoin(last, last.c.authority_id == Authority.id)
        .outerjoin(s, and_(s.authority_id == Authority.id, s.snapshot_date == last.c.d))
    )
    where = [Authority.in_eakte_scope.is_(True)]
    if ministry:
        where.append(Authority.ministry_code == ministry)
    return frm, where


def stand(engine: Engine) -> dt.date | None:
    """The data's Stand: the newest snapshot date of an in-scope authority (None without data)."""
    with reading(engine) as c:
        return c.scalar(
            select(func.max(EakteSnapshot.snapshot_date))
            .join(Authority, Authority.id == EakteSnapshot.authority_id)
            .where(Authority.in_eakte_scope.is_(True))
        )


def ministries(engine: Engine) -> pd.DataFrame:
    """One row per ministry with at least one in-scope authority. Columns: code, name (sorted by code)."""
    stmt = (
        select(Ministry.code, Ministry.name)
        .join(Authority, Authority.ministry_code == Ministry.code)
        .where(Authority.in_eakte_scope.is_(True))
        .group_by(Ministry.code, Ministry.name)
        .order_by(Ministry.code)
    )
    return frame(engine, stmt)


def authorities(
    engine: Engine,
    *,
    ministry: str | None = None,
    status: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    behind_only: bool = False,
) -> pd.DataFrame:
    """One row per in-scope authority with its latest snapshot at the data's Stand, and the plan check.

    Columns: code, name, ministry_code, seat_ars (Sitz, ARS or None), ministry, status ('keine Daten' without any snapshot), planned_go_live,
    go_live_date, planned_workplaces (Int64, <NA> unknown), active_users (Int64), adoption (active ÷ planned,
    NaN without planned workplaces), snapshot_date, late (planned go-live before Stand, not productive),
    low_adoption (productive and adoption < threshold), behind_plan (either), reason (German text),
    is_demo, source. Sorted by ministry, name. `status` filters on the shown status; `behind_only` keeps
    the rows with behind_plan.
    """
    as_of = stand(engine)
    if as_of is None:
        return pd.DataFrame(columns=AUTHORITY_COLUMNS)
    s = EakteSnapshot
    frm, where = _latest_per_authority(as_of, ministry)
    adoption = _adoption(s.active_users, s.planned_workplaces)
    late = _late(s.status, s.planned_go_live, as_of)
    low = _low_adoption(s.status, adoption, threshold)
    shown_status = func.coalesce(s.status, NO_DATA)
    stmt = (
        frm.with_only_columns(
            Authority.code,
            Authority.name,
            Authority.ministry_code,
            Authority.seat_ars,
            Ministry.name.label("ministry"),
            shown_status.label("status"),
            s.planned_go_live,
            s.go_live_date,
            s.planned_workplaces,
            s.active_users,
            adoption.label("adoption"),
            s.snapshot_date,
            case((late, 1), else_=0).label("late"),
            case((low, 1), else_=0).label("low_adoption"),
            func.coalesce(s.is_demo, Authority.is_demo).label("is_demo"),
            func.coalesce(s.source, Authority.source).label("source"),
        )
        .join(Ministry, Ministry.code == Authority.ministry_code)
        .where(*where)
        .order_by(Authority.ministry_code, Authority.name)
    )
    if status:
        stmt = stmt.where(shown_status == status)
    df = frame(engine, stmt)
    for col in ("planned_workplaces", "active_users"):
        df[col] = df[col].astype("Int64")
    df["adoption"] = df["adoption"].astype(float)
    for col in ("late", "low_adoption", "is_demo"):
        df[col] = df[col].fillna(0).astype(bool)
    df["behind_plan"] = df["late"] | df["low_adoption"]
    df["reason"] = [
        ", ".join(t for t, on in ((REASON_LATE, a), (REASON_LOW, b)) if on)
        for a, b in zip(df["late"], df["low_adoption"], strict=True)
    ]
    if behind_only:
        df = df[df["behind_plan"]].reset_index(drop=True)
    return df[AUTHORITY_COLUMNS]


def by_ministry(engine: Engine, *, ministry: str | None = None, status: str | None = None) -> pd.DataFrame:
    """One row per ministry (Ressort): its in-scope authorities by status at the data's Stand.

    Columns: ministry_code, ministry, authorities, productive, in_rollout, planned, no_data, not_productive
    (authorities − productive), productive_share (productive ÷ authorities), late (behind plan by go-live date),
    planned_workplaces, active_users, adoption (Σ active ÷ Σ planned workplaces of authorities that plan
    workplaces; NaN when none). `status` counts only authorities in that status.

    Sorted by need, where the most is left to do first: lowest share of productive authorities, then most
    authorities not yet productive, then lowest adoption, then ministry code.
    """
    as_of = stand(engine)
    if as_of is None:
        return pd.DataFrame(columns=MINISTRY_COLUMNS)
    s = EakteSnapshot
    frm, where = _latest_per_authority(as_of, ministry)
    shown = func.coalesce(s.status, NO_DATA)

    def count(cond):
        return func.sum(case((cond, 1), else_=0))

    with_plan = and_(s.planned_workplaces.is_not(None), s.planned_workplaces > 0)
    stmt = (
        frm.with_only_columns(
            Authority.ministry_code,
            Ministry.name.label("ministry"),
            func.count(Authority.id).label("authorities"),
            count(shown == "produktiv").label("productive"),
            count(shown == "in Einführung").label("in_rollout"),
            count(shown == "geplant").label("planned"),
            count(shown == NO_DATA).label("no_data"),
            count(_late(s.status, s.planned_go_live, as_of)).label("late"),
            func.coalesce(func.sum(s.planned_workplaces), 0).label("planned_workplaces"),
            func.coalesce(func.sum(s.active_users), 0).label("active_users"),
            func.sum(case((with_plan, s.active_users), else_=0)).label("users_with_plan"),
            func.sum(case((with_plan, s.planned_workplaces), else_=0)).label("plan_sum"),
        )
        .join(Ministry, Ministry.code == Authority.ministry_code)
        .where(*where)
        .group_by(Authority.ministry_code, Ministry.name)
        .order_by(Authority.ministry_code)
    )
    if status:
        stmt = stmt.where(shown == status)
    df = frame(engine, stmt)
    for col in MINISTRY_COUNTS:
        df[col] = df[col].astype(int)
    plan = df["plan_sum"].astype(float)
    df["adoption"] = (df["users_with_plan"].astype(float) / plan.where(plan > 0)).astype(float)
    df["not_productive"] = df["authorities"] - df["productive"]
    df["productive_share"] = (df["productive"] / df["authorities"].where(df["authorities"] > 0)).astype(float)
    df = df.sort_values(
        ["productive_share", "not_productive", "adoption", "ministry_code"],
        ascending=[True, False, True, True],
        na_position="first",
        kind="mergesort",
    )
    return df[MINISTRY_COLUMNS].reset_index(drop=True)


def users_series(engine: Engine, *, ministry: str | None = None) -> pd.DataFrame:
    """One row per Stichtag (oldest first): the active eAkte users of all in-scope authorities on that day.

    An authority without a snapshot on a Stichtag counts with its latest earlier snapshot, so a missing
    report does not look like a drop. Columns: snapshot_date, active_users, authorities (with data),
    productive, is_demo, source.
    """
    s = EakteSnapshot
    days = select(s.snapshot_date.label("d")).distinct().subquery()
    prior = aliased(EakteSnapshot)
    latest = (
        select(func.max(prior.snapshot_date))
        .where(prior.authority_id == Authority.id, prior.snapshot_date <= days.c.d)
        .correlate(Authority, days)
        .scalar_subquery()
    )
    stmt = (
        select(
            days.c.d.label("snapshot_date"),
            func.sum(s.active_users).label("active_users"),
            func.count(s.id).label("authorities"),
            func.sum(case((s.status == PRODUCTIVE, 1), else_=0)).label("productive"),
            func.max(case((s.is_demo.is_(True), 1), else_=0)).label("is_demo"),
            func.min(s.source).label("source"),
        )
        .select_from(days)
        .join(Authority, literal(True))
        .join(s, and_(s.authority_id == Authority.id, s.snapshot_date == latest))
        .where(Authority.in_eakte_scope.is_(True))
        .group_by(days.c.d)
        .order_by(days.c.d)
    )
    if ministry:
        stmt = stmt.where(Authority.ministry_code == ministry)
    df = frame(engine, stmt)
    for col in ("active_users", "authorities", "productive"):
        df[col] = df[col].astype(int)
    df["is_demo"] = df["is_demo"].astype(bool)
    return df


def milestones(engine: Engine) -> pd.DataFrame:
    """Published eAkte figures (table published_figure, topic 'eakte'), oldest first.

    Columns: key, date, value (float), unit, label, source.
    """
    stmt = (
        select(
            PublishedFigure.key,
            PublishedFigure.date,
            PublishedFigure.value,
            PublishedFigure.unit,
            PublishedFigure.label,
            PublishedFigure.source,
        )
        .where(PublishedFigure.topic == "eakte")
        .order_by(PublishedFigure.date, PublishedFigure.key)
    )
    df = frame(engine, stmt)
    df["value"] = df["value"].astype(float)
    return df


def linear_forecast(
    series: pd.DataFrame, *, months: int, target: float | None, horizon: int = 12, max_horizon: int = 60
) -> dict:
    """Least-squares trend of the last `months` calendar months of a monthly series, extrapolated.

    `series` has columns date, value; several values in one month count once (the latest). The window is the
    months after (last month − `months`), so gaps shorten it. Returns a dict: status ('ok', 'zu wenige Daten'
    with fewer than 2 months in the window, 'kein Anstieg' when the slope is ≤ 0, 'erreicht' when the last
    value already reaches the target), slope (per month), level (trend value in the last month), residual_sd
    (√(Σ r² ÷ (n − 2)); 0 with 2 points), n (months used), window_start, window_end, reached / reached_early /
    reached_late (month-end dates when trend / upper band / lower band first reach the target, else None) and
    line (DataFrame date, trend, lower, upper from the window start to the horizon; empty without a fit).
    """
    empty = pd.DataFrame(columns=["date", "trend", "lower", "upper"])
    out = dict(
        status="zu wenige Daten",
        slope=None,
        level=None,
        residual_sd=None,
        n=0,
        window_start=None,
        window_end=None,
        reached=None,
        reached_early=None,
        reached_late=None,
        line=empty,
    )
    if series is None or series.empty:
        return out
    pts = (
        pd.DataFrame(
            {
                "m": [periods.month_index(d) for d in series["date"]],
                "d": list(series["date"]),
                "y": series["value"].astype(float),
            }
        )
        .sort_values("d")
        .groupby("m")
        .last()
    )
    last = int(pts.index.max())
    last_value = float(pts["y"].iloc[-1])
    if target is not None and last_value >= target:
        first = pts[pts["y"] >= target]
        out.update(status="erreicht", reached=first["d"].iloc[0])
        return out
    win = pts[pts.index > last - months]
    n = len(win)
    out.update(n=n, window_end=win["d"].iloc[-1])
    if n < 2:
        return out
    x = (win.index.to_numpy() - last).astype(float)
    y = win["y"].to_numpy()
    x_mean, y_mean = x.mean(), y.mean()
    slope = float(((x - x_mean) * (y - y_mean)).sum() / ((x - x_mean) ** 2).sum())
    level = float(y_mean - slope * x_mean)  # intercept at x = 0, the last month
    resid = y - (level + slope * x)
    sd = float(math.sqrt((resid**2).sum() / (n - 2))) if n > 2 else 0.0
    band = BAND_SIGMAS * sd
    out.update(
        slope=slope,
        level=level,
        residual_sd=sd,
        window_start=win["d"].iloc[0],
        status="ok" if slope > 0 else "kein Anstieg",
    )

    def reach(start: float) -> int | None:
        if target is None or slope <= 0:
            return None
        return max(1, math.ceil((target - start) / slope - 1e-9))

    steps = {
        k: reach(v) for k, v in (("reached", level), ("reached_early", level + band), ("reached_late", level - band))
    }
    for k, step in steps.items():
        out[k] = periods.month_end_of(last + step) if step is not None and step <= max_horizon else None
    end = min(max_horizon, max([horizon, *[v for v in steps.values() if v is not None]]))
    xs = range(int(x.min()), end + 1)
    trend = [level + slope * i for i in xs]
    out["line"] = pd.DataFrame(
        {
            "date": [periods.month_end_of(last + i) for i in xs],
            "trend": trend,
            "lower": [t - band for t in trend],
            "upper": [t + band for t in trend],
        }
    )
    return out


def users_forecast(engine: Engine, *, months: int = 6, ministry: str | None = None) -> dict:
    """The linear forecast (see linear_forecast) of the users series towards the published target."""
    series = users_series(engine, ministry=ministry)
    target = None if ministry else _figure(engine, TARGET_KEY)
    return linear_forecast(
        series.rename(columns={"snapshot_date": "date", "active_users": "value"}), months=months, target=target
    )


def _figure(engine: Engine, key: str):
    with reading(engine) as c:
        row = c.execute(select(PublishedFigure.date, PublishedFigure.value).where(PublishedFigure.key == key)).first()
    if row is None:
        return None
    return row.date if key == DEADLINE_KEY else float(row.value)


def users_added(series: pd.DataFrame, *, months: int = 3) -> tuple[int | None, dt.date | None]:
    """Growth of the series over the last `months` months: (latest − value on the latest Stichtag at least
    `months` months earlier, that Stichtag); (None, None) when the series is not that long."""
    if series.empty:
        return None, None
    last = series.iloc[-1]
    base = series[series["snapshot_date"] <= periods.add_months(last["snapshot_date"], -months)]
    if base.empty:
        return None, None
    return int(last["active_users"]) - int(base["active_users"].iloc[-1]), base["snapshot_date"].iloc[-1]


def kpis(engine: Engine, *, today: dt.date | None = None) -> dict | None:
    """The page's headline figures at the data's Stand; None when there is no snapshot.

    Keys: as_of, scope (in-scope authorities), productive, without (scope − productive, including authorities
    without data), users, target, target_date, users_added, added_since, deadline, days_to_deadline
    (deadline − Stand; negative = the Stand lies that many days after the deadline), data_age_days (today −
    Stand), deadline_passed_since_stand (the deadline fell between the Stand and today: the data cannot say whether
    it was met), is_demo (a demo snapshot contributes), is_mixed (real ones too), source. The deadline is judged at the data's Stand, like "im Verzug": a snapshot from
    March 2025 cannot show who is overdue in November 2026.
    """
    as_of = stand(engine)
    if as_of is None:
        return None
    today = today or dt.date.today()
    auth = authorities(engine)
    series = users_series(engine)
    added, since = users_added(series)
    deadline = _figure(engine, DEADLINE_KEY)
    with reading(engine) as c:
        target = c.execute(
            select(PublishedFigure.date, PublishedFigure.value).where(PublishedFigure.key == TARGET_KEY)
        ).first()
    productive = int((auth["status"] == PRODUCTIVE).sum())
    return dict(
        as_of=as_of,
        scope=len(auth),
        productive=productive,
        without=len(auth) - productive,
        users=int(auth["active_users"].fillna(0).sum()),
        target=int(target.value) if target else None,
        target_date=target.date if target else None,
        users_added=added,
        added_since=since,
        deadline=deadline,
        days_to_deadline=(deadline - as_of).days if deadline else None,
        data_age_days=(today - as_of).days,
        deadline_passed_since_stand=bool(deadline and as_of < deadline <= today),
        is_demo=bool(auth["is_demo"].any()),
        is_mixed=bool(auth["is_demo"].any() and (~auth["is_demo"]).any()),
        source=auth["source"].dropna().min(),
    )
