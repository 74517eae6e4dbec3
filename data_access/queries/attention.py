"""Handlungsbedarf for the Übersicht: what needs attention now, each finding with the page that explains it.

Every rule reuses the query its page shows, so the list never says something the page contradicts:
- eAkte: authorities behind plan (queries.eakte.authorities, the plan check of the eAkte page);
- Onlinedienste: services residents can use in at least one Kommune now but not a quarter ago (newly live), and
  the reverse (withdrawn) – the sets behind the Land's "mindestens eine Kommune" figure (services.land_services);
- PI-Ziele: the latest finished PI's predictability outside the target band 80–100 % and the data-quality findings
  of the PI page (queries.pi.data_quality);
- Kommunen: Verwaltungseinheiten whose residents can use less than half of the median of their comparison group
  (the groups of the Steckbrief, queries.regions; gemeindefreie Gebiete have no group).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access import counting
from data_access.models import OnlineService
from data_access.queries import eakte, pi, services
from data_access.queries.steckbrief import quarter_before
from data_access.read import reading
from data_access.units import Level
from formatting import date, num, pct

NAMES_SHOWN = 5  # names in a finding's text; the page behind the link lists all
FAR_BELOW = 0.5  # "far below the peer group": fewer than half of the group's median services
BAND = (0.8, 1.0)  # predictability target band (DOMAIN.md)


@dataclass(frozen=True)
class Link:
    """A link to the page that explains a finding: page file, label and the address's query parameters."""

    page: str
    label: str
    query: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    """One Handlungsbedarf entry. `title` is built from constants and counts; `detail` may hold names from the
    data (render it escaped). `stand` is the date the finding is judged at."""

    topic: str
    title: str
    detail: str
    stand: dt.date
    links: tuple[Link, ...]


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    rest = len(names) - NAMES_SHOWN
    return shown + (f" und {rest} weitere" if rest > 0 else "")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def behind_plan(engine: Engine) -> Finding | None:
    """Authorities behind plan at the eAkte data's Stand (start overdue or low adoption), or None."""
    as_of = eakte.stand(engine)
    if as_of is None:
        return None
    late = eakte.authorities(engine, behind_only=True)
    if late.empty:
        return None
    n = len(late)
    threshold = f"{eakte.DEFAULT_THRESHOLD * 100:.0f} %"
    detail = (
        f"Start überfällig: {int(late['late'].sum())}, Nutzung unter {threshold}: {int(late['low_adoption'].sum())}"
        f" – {_names(list(late['name']))}"
    )
    return Finding(
        topic="eAkte",
        title=f"{_plural(n, 'Behörde', 'Behörden')} im Verzug",
        detail=detail,
        stand=as_of,
        links=(Link("pages/eakte.py", "Behörden im Verzug ansehen", (("verzug", "1"),)),),
    )


def service_changes(engine: Engine) -> list[Finding]:
    """Services newly usable in at least one Kommune since the previous quarter, and those no longer usable."""
    meta = services.offers_meta(engine)
    if meta is None:
        return []
    as_of = meta["as_of"]
    since = quarter_before(as_of)
    reach = services.land_services(engine, dates=(since, as_of))
    now = set(reach.loc[reach["d"] == as_of, "service_id"])
    before = set(reach.loc[reach["d"] == since, "service_id"])
    out = []
    for ids, title in (
        (now - before, "neu in mindestens einer Kommune nutzbar"),
        (before - now, "nirgends mehr nutzbar (zurückgezogen)"),
    ):
        if not ids:
            continue
        with reading(engine) as c:
            names = list(c.scalars(select(OnlineService.name).where(OnlineService.id.in_(ids)).order_by("name")))
        out.append(
            Finding(
                topic="Onlinedienste",
                title=f"{_plural(len(ids), 'Onlinedienst', 'Onlinedienste')} seit {date(since)} {title}",
                detail=_names(names),
                stand=as_of,
                links=(Link("pages/karte.py", "Karte der Onlinedienste"),),
            )
        )
    return out


def pi_warnings(engine: Engine, *, today: dt.date | None = None) -> list[Finding]:
    """The latest finished PI's predictability outside the target band, and the PI page's data-quality findings."""
    out = []
    pis = pi.programme_predictability(engine, today=today)
    done = pis[(pis["status"] == pi.DONE) & pis["predictability"].notna()]
    link = (Link("pages/pi-ziele.py", "PI-Ziele ansehen"),)
    if not done.empty:
        row = done.iloc[-1]
        value = float(row["predictability"])
        if not BAND[0] <= value <= BAND[1]:
            side = "unter" if value < BAND[0] else "über"
            out.append(
                Finding(
                    topic="PI-Ziele",
                    title=f"Vorhersagbarkeit PI {int(row['pi_number'])}: {pct(value)}, {side} dem Zielband 80–100 %",
                    detail="Σ erreichter ÷ Σ geplanter Geschäftswert der verbindlichen Ziele",
                    stand=row["end_date"],
                    links=link,
                )
            )
    dq = pi.data_quality(engine, today=today)
    if not dq.empty:
        counts = dq.groupby("check", sort=True).size()
        detail = "; ".join(f"{check}: {n}" for check, n in counts.items())
        stand = pis["as_of"].dropna().max() if not pis.empty else None
        out.append(
            Finding(
                topic="PI-Ziele",
                title=f"{_plural(len(dq), 'Hinweis', 'Hinweise')} zur Datenqualität der PI-Ziele",
                detail=detail,
                stand=stand,
                links=(Link("pages/pi-ziele.py", "Datenqualität der PI-Ziele"),),
            )
        )
    return out


def far_below_peers(engine: Engine) -> Finding | None:
    """Verwaltungseinheiten with fewer than FAR_BELOW × the median services of their comparison group, or None."""
    meta = services.offers_meta(engine)
    if meta is None:
        return None
    as_of = meta["as_of"]
    df = services.availability(engine, level=Level.VWG, as_of=as_of)
    df = df[~df["group"].isin(counting.UNINCORPORATED) & df["group"].notna()].copy()
    if df.empty:
        return None
    df["median"] = df.groupby("group")["n_services"].transform("median")
    low = df[(df["median"] > 0) & (df["n_services"] < FAR_BELOW * df["median"])].copy()
    if low.empty:
        return None
    low["ratio"] = low["n_services"] / low["median"]
    low = low.sort_values(["ratio", "name"], ignore_index=True)
    names = [
        f"{r.name} ({num(r.n_services)} statt Median {num(r.median, 0 if float(r.median).is_integer() else 1)})"
        for r in low.itertuples()
    ]
    links = tuple(
        Link("pages/kommune.py", f"Steckbrief {r.name}", (("ars", r.ars),)) for r in low.head(NAMES_SHOWN).itertuples()
    )
    return Finding(
        topic="Kommunen",
        title=(
            f"{_plural(len(low), 'Kommune bietet', 'Kommunen bieten')} weniger als die Hälfte der Onlinedienste "
            "ihrer Vergleichsgruppe"
        ),
        detail=_names(names),
        stand=as_of,
        links=(*links, Link("pages/karte.py", "Alle auf der Karte")),
    )


def findings(engine: Engine, *, today: dt.date | None = None) -> list[Finding]:
    """All Handlungsbedarf findings, in the order of the page: eAkte, Onlinedienste, Kommunen, PI-Ziele."""
    out: list[Finding] = []
    if (f := behind_plan(engine)) is not None:
        out.append(f)
    out.extend(service_changes(engine))
    if (f := far_below_peers(engine)) is not None:
        out.append(f)
    out.extend(pi_warnings(engine, today=today))
    return out
