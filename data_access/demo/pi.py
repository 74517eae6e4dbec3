"""Demo Program Increments (PI 1 = 2021-Q1 … PI 24 = 2026-Q4), teams, PI objectives and portfolio epics."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from data_access.demo import catalogue
from data_access.periods import quarter_bounds, quarter_of

LAST_PI = 24  # 2026-Q4, running on 22.11.2026: its objectives are not scored yet
PI18 = dict(
    number=18,
    planning_start=dt.date(2025, 3, 18),
    planning_end=dt.date(2025, 3, 19),
    planning_place="Expowal Hannover",
    objectives=105,
    teams=16,
)
MISSING_BV = (5, 2)  # (PI, team) with one objective lacking its planned BV – a data-quality case
DUPLICATE_TEXT = (7, 4)  # (PI, team) with the same objective text twice
EPIC_STAGES = (
    ("Ideenspeicher",) * 7 + ("Review",) * 5 + ("Analyse",) * 6 + ("Auftragspeicher",) * 5 + ("in Umsetzung",) * 7
)


def pi_quarter(number: int) -> tuple[int, int]:
    """PI 18 is 2025-Q2; one PI per quarter."""
    idx = 2025 * 4 + 1 + (number - PI18["number"])
    return idx // 4, idx % 4 + 1


def pi_rows(source: str) -> list[dict]:
    rows = []
    for n in range(1, LAST_PI + 1):
        year, q = pi_quarter(n)
        start, end = quarter_bounds(year, q)
        if n == PI18["number"]:
            p_start, p_end, place = PI18["planning_start"], PI18["planning_end"], PI18["planning_place"]
        else:
            # Two-day planning on the Tuesday 2–3 weeks before the PI starts; online during the pandemic years.
            p_start = start - dt.timedelta(days=20)
            p_start += dt.timedelta(days=(1 - p_start.weekday()) % 7)
            p_end = p_start + dt.timedelta(days=1)
            place = "online" if year <= 2022 else "hybrid"
        rows.append(
            dict(
                number=n,
                quarter=quarter_of(start),
                start_date=start,
                end_date=end,
                planning_start=p_start,
                planning_end=p_end,
                planning_place=place,
                source=source,
                as_of=end if n < LAST_PI else p_end,
                is_demo=True,
            )
        )
    return rows


def teams_in(number: int) -> int:
    """8 teams at the start, one more every second PI, 16 from PI 17 on."""
    return min(len(catalogue.TEAMS), 8 + (number - 1) // 2)


def team_rows(source: str, as_of: dt.date) -> list[dict]:
    return [dict(name=name, source=source, as_of=as_of, is_demo=True) for name, _m in catalogue.TEAMS]


def _counts(rng: random.Random, number: int) -> list[int]:
    k = teams_in(number)
    lo, hi = (4, 7) if number < 10 else (5, 8)
    counts = [rng.randint(lo, hi) for _ in range(k)]
    if number == PI18["number"]:
        # Published: 105 objectives over 16 teams.
        while sum(counts) != PI18["objectives"]:
            i = rng.randrange(k)
            if sum(counts) < PI18["objectives"] and counts[i] < hi:
                counts[i] += 1
            elif sum(counts) > PI18["objectives"] and counts[i] > lo:
                counts[i] -= 1
    return counts


def objective_rows(
    rng: random.Random, pis: list[dict], team_ids: list[int], measure_ids: dict[str, int], source: str
) -> list[dict]:
    """Objectives per PI and team; scored PIs land between ≈70 % and ≈105 % programme predictability."""
    rows = []
    for pi in pis:
        n = pi["number"]
        scored = n < LAST_PI
        target = 1.04 if n == 9 else rng.uniform(0.70, 1.02)  # PI 9: uncommitted work pushed it over 100 %
        pi_rows_: list[dict] = []
        raw: list[float] = []
        for t, count in enumerate(_counts(rng, n), start=1):
            team_name, measures = catalogue.TEAMS[t - 1]
            texts = [
                tpl.format(x=x)
                for tpl in catalogue.OBJECTIVE_TEMPLATES
                for x in catalogue.OBJECTIVE_SUBJECTS[team_name]
            ]
            chosen = rng.sample(texts, count)
            if (n, t) == DUPLICATE_TEXT:
                chosen[1] = chosen[0]
            team_factor = target + rng.gauss(0, 0.12)
            for j, text in enumerate(chosen, start=1):
                # Stretch objectives are the exception: at most half of a team's objectives.
                committed = j <= (count + 1) // 2 or rng.random() < 0.65
                planned = rng.randint(3, 10) if committed else rng.randint(1, 6)
                if committed:
                    ratio = min(max(rng.gauss(team_factor, 0.2), 0.0), 1.1)
                else:
                    ratio = min(max(rng.gauss(0.45, 0.3), 0.0), 1.0)
                linked = [k for k in measures if k in measure_ids]
                measure = measure_ids[rng.choice(linked)] if linked and rng.random() < 0.88 else None
                pi_rows_.append(
                    dict(
                        objective_key=f"PI{n:02d}-T{t:02d}-{j:02d}",
                        pi_number=n,
                        _team=t,
                        text=text,
                        committed=committed,
                        planned_bv=planned,
                        actual_bv=None,
                        measure_id=measure,
                        source=source,
                        as_of=pi["as_of"],
                        is_demo=True,
                    )
                )
                raw.append(planned * ratio)
            if (n, t) == MISSING_BV:
                pi_rows_[-1]["planned_bv"] = None
        if scored:
            # Scale achievements so the programme predictability lands on this PI's target.
            # A few passes because the 0–10 cap and the half-point rounding pull the result down.
            committed_bv = sum(r["planned_bv"] or 0 for r in pi_rows_ if r["committed"])
            factor = target * committed_bv / sum(raw)
            for _ in range(4):
                actual = [min(10.0, round(value * factor * 2) / 2) for value in raw]
                factor *= target * committed_bv / max(sum(actual), 0.5)
            for r, value in zip(pi_rows_, actual, strict=True):
                r["actual_bv"] = Decimal(str(value))
        rows.extend(pi_rows_)
    for r in rows:
        r["team_id"] = team_ids[r.pop("_team") - 1]
    return rows


def epic_rows(rng: random.Random, measure_ids: dict[str, int], source: str, as_of: dt.date) -> list[dict]:
    stages = list(EPIC_STAGES)
    rng.shuffle(stages)
    rows = []
    for i, ((title, measure, owner), stage) in enumerate(zip(catalogue.EPICS, stages, strict=True), start=1):
        budget = None if stage == "Ideenspeicher" and rng.random() < 0.6 else Decimal(rng.randrange(15, 480) * 10_000)
        rows.append(
            dict(
                epic_key=f"EPIC-{i:03d}",
                title=title,
                stage=stage,
                owner=owner,
                budget_eur=budget,
                measure_id=measure_ids.get(measure),
                source=source,
                as_of=as_of,
                is_demo=True,
            )
        )
    return rows
