"""Demo online services and their offers per unit, with status histories from 2019 to 31.12.2025.

Focus-service connections are placed so that the published shares and totals come out exactly
(15 % / 20 % of the municipal units on 31.03./30.06.2025, 574 live connections on 31.12.2025);
all other services spread by chance with regional contrast (some Kreise complete, others patchy).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from data_access import periods
from data_access.demo import catalogue
from data_access.units import Level

END = dt.date(2025, 12, 31)  # Stand of the offers: "574 Anbindungen" at the end of 2025
FOCUS_Q1 = dt.date(2025, 3, 31)  # 15 % of the municipal units connected
FOCUS_Q2 = dt.date(2025, 6, 30)  # target 20 % by the end of June 2025
# 45 KRS + 405 VWG administrations in VG5000 (01.01.2021; the 25 gemeindefreie Gebiete have no administration):
# the units the 574 connections and the 15 % / 20 % shares refer to.
REAL_UNITS = 450
FOCUS_CONNECTIONS = 574
FOCUS_POPULARITY = {
    "Kfz-Zulassung": 3.0,
    "Führerschein": 2.6,
    "Elterngeld": 2.4,
    "Wohngeld": 2.0,
    "Bürgergeld": 1.5,
    "Einbürgerung": 1.4,
    "Anlagengenehmigung": 1.0,
    "Ummeldung": 3.0,
    "Personalausweis": 2.5,
}
MODEL_SPREAD = {"EfA": 1.25, "WfU": 1.0, "Kommune": 0.7, "Land": 1.0}  # EfA services spread fastest


@dataclass(frozen=True)
class Unit:
    ars: str
    level: str  # KRS or VWG
    kreis: str
    propensity: float


def service_rows(rng: random.Random, source: str, scale: int) -> list[dict]:
    """Catalogue services (DEMO-0001 …) plus `scale - 1` load-test copies (DEMO-S2-0001 …), never focus."""
    base = catalogue.services()
    two_zero = set(rng.sample(range(len(base)), 8))  # a few already assessed on maturity model 2.0
    rows = []
    for copy in range(1, scale + 1):
        for i, (name, themenfeld, model, level, focus) in enumerate(base, start=1):
            if i - 1 in two_zero:
                maturity, maturity_model = rng.randint(2, 6), "2.0"
            else:
                choices = {
                    "EfA": (2, 3, 3, 4, 4),
                    "WfU": (1, 2, 3, 3, 4),
                    "Kommune": (0, 1, 1, 2, 2, 3),
                    "Land": (1, 2, 3, 3, 4),
                }[model]
                maturity, maturity_model = rng.choice(choices), "1.x"
            if focus:  # the Fokusleistungen are connected online services: at least Reifegrad 3 (Online-Leistung)
                maturity = max(maturity, 3)
            rows.append(
                dict(
                    service_key=f"DEMO-{i:04d}" if copy == 1 else f"DEMO-S{copy}-{i:04d}",
                    name=name if copy == 1 else f"{name} (Lastkopie {copy})",
                    model=model,
                    themenfeld=themenfeld,
                    is_focus=focus and copy == 1,
                    responsible_level=level,
                    maturity_level=maturity,
                    maturity_model=maturity_model,
                    source=source,
                    as_of=END,
                    is_demo=True,
                )
            )
    return rows


def units(rng: random.Random, regions: list[tuple[str, str, str | None]]) -> list[Unit]:
    """KRS and VWG units with an adoption propensity: Kreise cluster (complete / medium / patchy)."""
    kreis_base = {}
    for ars, level, _k in regions:
        if level == Level.KRS:
            kreis_base[ars] = rng.choices((0.95, 0.6, 0.28), weights=(0.2, 0.5, 0.3))[0]
    out = []
    for ars, level, kreis in regions:
        kreis = kreis or ars[:5]
        base = kreis_base.get(kreis, 0.5)
        if level == Level.KRS:
            p = base
        elif rng.random() < 0.04:
            p = 0.03  # a few administrations with almost nothing online
        else:
            spread = 0.12 if base > 0.9 else 0.4
            p = base * math.exp(rng.gauss(0, spread))
        out.append(Unit(ars, level, kreis, min(max(p, 0.02), 1.0)))
    return out


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


def _history(rng: random.Random, start: dt.date, *, relaunch: float) -> list[tuple[str, dt.date]]:
    """Status periods geplant → in Umsetzung → live, sometimes a relaunch; nothing after END."""
    steps: list[tuple[str, dt.date]] = []
    day = start
    if rng.random() < 0.8:
        steps.append(("geplant", day))
        day += _days(rng, 60, 300)
    steps.append(("in Umsetzung", day))
    day += _days(rng, 45, 360)
    steps.append(("live", day))
    while rng.random() < relaunch:
        day += _days(rng, 200, 700)
        steps.append(("in Umsetzung", day))  # migration to a new platform or version
        day += _days(rng, 30, 150)
        steps.append(("live", day))
    return [(s, d) for s, d in steps if d <= END]


def _rows(
    service_id: int, ars: str, steps: list[tuple[str, dt.date]], source: str, authority_id: int | None = None
) -> list[dict]:
    rows = []
    for i, (status, day) in enumerate(steps):
        until = steps[i + 1][1] if i + 1 < len(steps) else None
        rows.append(
            dict(
                service_id=service_id,
                region_ars=ars,
                authority_id=authority_id,
                status=status,
                valid_from=day,
                valid_to=until,
                source=source,
                as_of=END,
                is_demo=True,
            )
        )
    return rows


def _rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def general_offers(
    rng: random.Random,
    services: list[dict],
    unit_list: list[Unit],
    land_ars: str | None,
    authority_ids: dict[str, int],
    source: str,
) -> Iterator[list[dict]]:
    """Offer rows of all non-focus services, one list per service (so callers can insert in batches)."""
    by_level = {
        "Kreis": [u for u in unit_list if u.level == Level.KRS],
        "Gemeinde": [u for u in unit_list if u.level == Level.VWG],
    }
    launch_window = {
        "EfA": (dt.date(2020, 6, 1), dt.date(2024, 6, 30)),
        "WfU": (dt.date(2019, 3, 1), dt.date(2023, 12, 31)),
        "Kommune": (dt.date(2019, 1, 1), dt.date(2024, 12, 31)),
        "Land": (dt.date(2019, 1, 1), dt.date(2024, 6, 30)),
    }
    for svc in services:
        if svc["is_focus"]:
            continue
        launch = _rand_date(rng, *launch_window[svc["model"]])
        if svc["responsible_level"] == "Land":
            if land_ars is None or rng.random() > 0.9:
                continue
            code = catalogue.LAND_AUTHORITY_BY_SERVICE.get(svc["name"], catalogue.LAND_AUTHORITY[svc["themenfeld"]])
            authority = authority_ids.get(code)
            steps = _history(rng, launch, relaunch=0.3)
            yield _rows(svc["id"], land_ars, steps, source, authority)
            continue
        reach = {"EfA": rng.uniform(0.7, 1.6), "WfU": rng.uniform(0.5, 1.4), "Kommune": rng.uniform(0.25, 1.2)}[
            svc["model"]
        ]
        out = []
        for u in by_level[svc["responsible_level"]]:
            if rng.random() >= min(0.98, reach * (0.12 + u.propensity) * MODEL_SPREAD[svc["model"]]):
                continue
            delay = dt.timedelta(days=int(rng.expovariate(1 / (90 + 700 * (1 - u.propensity)))))
            steps = _history(rng, launch + delay, relaunch=0.55)
            if steps:
                out.extend(_rows(svc["id"], u.ars, steps, source))
        yield out


def focus_offers(rng: random.Random, services: list[dict], unit_list: list[Unit], source: str) -> list[dict]:
    """Offer rows of the 16 Fokusleistungen at KRS/VWG units, hitting the published shares exactly."""
    focus = [s for s in services if s["is_focus"]]
    eligible = {
        Level.KRS: [s for s in focus if s["responsible_level"] == "Kreis"],
        Level.VWG: [s for s in focus if s["responsible_level"] == "Gemeinde"],
    }
    pool = [u for u in unit_list if eligible[u.level]]
    if not pool:
        return []
    n = len(unit_list)
    n_q1, n_q2 = round(0.15 * n), round(0.20 * n)
    n_end = min(len(pool), max(n_q2, round(0.38 * n)))
    # Weighted order without replacement: Kreise (i-Kfz) and eager regions connect first.
    order = sorted(pool, key=lambda u: -(rng.random() ** (1 / (u.propensity * (1.8 if u.level == Level.KRS else 1.0)))))
    connected = order[:n_end]
    first = {}
    for rank, u in enumerate(connected):
        if rank < n_q1:
            first[u.ars] = _rand_date(rng, dt.date(2022, 10, 1), FOCUS_Q1)
        elif rank < n_q2:
            first[u.ars] = _rand_date(rng, FOCUS_Q1 + dt.timedelta(days=1), FOCUS_Q2)
        else:
            first[u.ars] = _rand_date(rng, FOCUS_Q2 + dt.timedelta(days=1), END)
    caps = {u.ars: len(eligible[u.level]) for u in connected}
    target = min(sum(caps.values()), max(len(connected), round(FOCUS_CONNECTIONS * n / REAL_UNITS)))
    count = {u.ars: 1 for u in connected}
    weight = {u.ars: u.propensity * (1 + (END - first[u.ars]).days / 180) for u in connected}
    for _ in range(target - len(connected)):
        open_units = [u for u in connected if count[u.ars] < caps[u.ars]]
        pick = rng.choices(open_units, weights=[weight[u.ars] for u in open_units])[0]
        count[pick.ars] += 1

    rows: list[dict] = []
    live_pairs = set()
    for u in connected:
        cands = eligible[u.level]
        chosen = []
        while len(chosen) < count[u.ars]:
            rest = [s for s in cands if s not in chosen]
            chosen.append(rng.choices(rest, weights=[FOCUS_POPULARITY.get(s["name"], 1.0) for s in rest])[0])
        for j, svc in enumerate(chosen):
            live = first[u.ars] if j == 0 else _rand_date(rng, first[u.ars], END)
            umsetzung = live - _days(rng, 30, 150)
            geplant = umsetzung - _days(rng, 60, 240)
            rows.extend(
                _rows(svc["id"], u.ars, [("geplant", geplant), ("in Umsetzung", umsetzung), ("live", live)], source)
            )
            live_pairs.add((svc["id"], u.ars))
    # Rollout pipeline at the end of 2025: planned or under way, not yet live.
    for _ in range(round(0.6 * n)):
        u = rng.choice(pool)
        svc = rng.choice(eligible[u.level])
        if (svc["id"], u.ars) in live_pairs:
            continue
        live_pairs.add((svc["id"], u.ars))
        geplant = _rand_date(rng, dt.date(2024, 6, 1), END)
        steps = [("geplant", geplant)]
        if rng.random() < 0.5 and geplant + dt.timedelta(days=60) <= END:
            steps.append(("in Umsetzung", _rand_date(rng, geplant + dt.timedelta(days=60), END)))
        rows.extend(_rows(svc["id"], u.ars, steps, source))
    return rows


# Usage figures (Nutzungszahlen): reported, as on the federal dashboard, by the platforms of the WfU services (NAVO),
# the Land's own services and the Fokusleistungen; from January 2024 to the Stand of the offers.
USAGE_FIRST = dt.date(2024, 1, 1)
USAGE_MODELS = ("WfU", "Land")
# Applications per 1.000 residents and month for a typical unit (the unit's own factor spreads around it).
USAGE_FOCUS_RATE = {
    "Kfz-Zulassung": 6.0,
    "Ummeldung": 5.0,
    "Personalausweis": 3.0,
    "Führerschein": 2.0,
    "Elterngeld": 1.2,
    "Wohngeld": 0.8,
    "Bürgergeld": 0.8,
    "Einbürgerung": 0.15,
    "Anlagengenehmigung": 0.05,
}
HARDLY_USED_SHARE = 0.06  # offers set up but hardly used (no link from the portal, no one knows them)


@dataclass(frozen=True)
class LivePeriod:
    service_id: int
    service_name: str
    is_focus: bool
    region_ars: str
    valid_from: dt.date
    valid_to: dt.date | None


def demo_population(regions: list[tuple[str, str, str | None, int | None, str]]) -> dict[str, float]:
    """Residents per offering unit (ars, level, kreis_ars, population, category): the known population, else (a
    VWG without the "einwohner" import) its share of the Kreis's; the Land the sum of its Kreise."""
    kreis_pop = {ars: pop for ars, level, _k, pop, _c in regions if level == Level.KRS and pop}
    vwgs: dict[str, int] = {}
    for ars, level, kreis, _p, category in regions:
        if level == Level.VWG and category != "gemeindefrei":
            vwgs[kreis or ars[:5]] = vwgs.get(kreis or ars[:5], 0) + 1
    out: dict[str, float] = {}
    for ars, level, kreis, pop, category in regions:
        if pop:
            out[ars] = float(pop)
        elif level == Level.VWG and category != "gemeindefrei" and (kreis or ars[:5]) in kreis_pop:
            k = kreis or ars[:5]
            out[ars] = kreis_pop[k] / vwgs[k]
        elif level == Level.LAN and kreis_pop:
            out[ars] = float(sum(kreis_pop.values()))
    return out


def usage_rows(
    rng: random.Random, periods_live: list[LivePeriod], population: dict[str, float], source: str
) -> Iterator[dict]:
    """Monthly applications of each live period from USAGE_FIRST to END, scaled by the unit's residents.

    A month counts when the offer is live on its last day (the go-live month pro rata); the first months ramp up.
    """
    rate: dict[int, float] = {}
    unit_factor: dict[tuple[int, str], float] = {}
    for p in sorted(periods_live, key=lambda p: (p.service_id, p.region_ars, p.valid_from)):
        if p.region_ars not in population:
            continue
        if p.service_id not in rate:
            base = USAGE_FOCUS_RATE.get(p.service_name) if p.is_focus else None
            rate[p.service_id] = base if base is not None else rng.lognormvariate(math.log(0.6), 0.6)
        key = (p.service_id, p.region_ars)
        if key not in unit_factor:
            low = rng.random() < HARDLY_USED_SHARE
            unit_factor[key] = 0.03 if low else rng.lognormvariate(0, 0.35)
        for year, month in periods.months((USAGE_FIRST.year, USAGE_FIRST.month), (END.year, END.month)):
            last = periods.month_end(year, month)
            if p.valid_from > last or (p.valid_to is not None and p.valid_to <= last):
                continue
            first = dt.date(year, month, 1)
            share = 1.0 if p.valid_from <= first else ((last - p.valid_from).days + 1) / last.day
            age = periods.month_index(first) - periods.month_index(p.valid_from)
            ramp = (0.3, 0.6, 0.85)[age] if age < 3 else 1.0
            season = 1 + 0.1 * math.cos((month - 3) / 6 * math.pi)  # a little more in spring, less in late summer
            expected = rate[p.service_id] * unit_factor[key] * population[p.region_ars] / 1000 * share * ramp * season
            yield dict(
                service_id=p.service_id,
                region_ars=p.region_ars,
                month=first,
                transactions=max(0, round(expected * rng.gauss(1, 0.08))),
                source=source,
                as_of=END,
                is_demo=True,
            )
