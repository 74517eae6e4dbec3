"""Sign-in audit and brute-force policy for the Daten page: record events, count recent failures, assess a lockout.

Every maintainer sign-in attempt is a row of `sign_in_event` (never a password). The lockout per client address is
derived from these rows, so it holds across browser sessions and across several app instances on one database.
The same policy (`assess`) is applied to the failures of one browser session, which the page keeps itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, insert, select

from data_access import logs
from data_access.models import SignInEvent

MAX_FAILURES = 5  # wrong passwords within WINDOW …
WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)  # … lock the sign-in for this long after the last of them
MAX_DELAY_SECONDS = 30  # before the lockout each failure doubles the wait: 1, 2, 4, 8 s

METHODS = ("passwort", "oidc", "abmeldung")
OUTCOMES = ("ok", "falsch", "gesperrt", "abgemeldet", "abgelaufen")


@dataclass(frozen=True)
class Verdict:
    """Whether a sign-in attempt may be checked now: failures counted, and until when it is refused."""

    failures: int
    locked_until: dt.datetime | None = None  # lockout (MAX_FAILURES reached)
    wait_until: dt.datetime | None = None  # growing delay between two attempts

    def refused_until(self, now: dt.datetime) -> dt.datetime | None:
        """The time until which an attempt at `now` is refused without looking at the password, else None."""
        until = max((t for t in (self.locked_until, self.wait_until) if t is not None), default=None)
        return until if until is not None and now < until else None


def delay_after(failures: int) -> dt.timedelta:
    """Wait before the next attempt after `failures` recent failures: 0, 1, 2, 4, 8 … s, at most MAX_DELAY_SECONDS."""
    if failures <= 0:
        return dt.timedelta(0)
    return dt.timedelta(seconds=min(2 ** (failures - 1), MAX_DELAY_SECONDS))


def assess(failures: Sequence[dt.datetime], now: dt.datetime) -> Verdict:
    """Apply the policy to the times of recent failures (any order, at least WINDOW + LOCK back from `now`).

    Locked until LOCK after the last failure when MAX_FAILURES fell within WINDOW up to that failure; otherwise
    the next attempt waits delay_after(failures within WINDOW before `now`) after the last failure.
    """
    recent = sorted(t for t in failures if now - WINDOW - LOCK < t <= now)
    if not recent:
        return Verdict(0)
    last = recent[-1]
    burst = [t for t in recent if t > last - WINDOW]
    if len(burst) >= MAX_FAILURES and now < last + LOCK:
        return Verdict(len(burst), locked_until=last + LOCK)
    current = [t for t in recent if t > now - WINDOW]
    if not current:
        return Verdict(0)
    return Verdict(len(current), wait_until=current[-1] + delay_after(len(current)))


def stricter(a: Verdict, b: Verdict) -> Verdict:
    """The verdict that refuses longer (session and client are both checked)."""
    ends = [(v.locked_until or v.wait_until or dt.datetime.min, v) for v in (a, b)]
    return max(ends, key=lambda e: e[0])[1]


def _fit(value: str, length: int) -> str:
    return (value or "")[:length]


def record(
    engine: Engine,
    *,
    at: dt.datetime,
    user_name: str,
    client: str,
    method: str,
    outcome: str,
    detail: str = "",
) -> None:
    """Write one audit row (bound parameters; overlong texts are cut to the column lengths)."""
    if method not in METHODS or outcome not in OUTCOMES:
        raise ValueError(f"unknown method/outcome {method!r}/{outcome!r}")
    # The operations log names who and how, not the client address (personal data) nor the detail text.
    logs.event("anmeldung", wer=_fit(user_name, 200) or None, verfahren=method, ergebnis=outcome)
    with engine.begin() as conn:
        conn.execute(
            insert(SignInEvent).values(
                at=at,
                user_name=_fit(user_name, 200),
                client=_fit(client, 100),
                method=method,
                outcome=outcome,
                detail=_fit(detail, 300),
            )
        )


def recent_failures(
    engine: Engine, *, client: str, now: dt.datetime, window: dt.timedelta = WINDOW + LOCK
) -> list[dt.datetime]:
    """Times of the wrong passwords from `client` within `window` before `now` (enough for `assess`).

    A successful sign-in does not reset the count: behind a shared address (a proxy not listed in
    DVN_TRUSTED_PROXIES) a colleague's sign-in would otherwise wipe an attacker's failures. The lock ends by time.
    """
    client = _fit(client, 100)
    stmt = (
        select(SignInEvent.at)
        .where(
            SignInEvent.client == client,
            SignInEvent.method == "passwort",
            SignInEvent.outcome == "falsch",
            SignInEvent.at > now - window,
            SignInEvent.at <= now,
        )
        .order_by(SignInEvent.at)
    )
    with engine.connect() as conn:
        return list(conn.execute(stmt).scalars())


def client_verdict(engine: Engine, *, client: str, now: dt.datetime) -> Verdict:
    """The policy applied to the recent failures of one client address."""
    return assess(recent_failures(engine, client=client, now=now), now)


def recent_events(engine: Engine, *, limit: int = 200) -> pd.DataFrame:
    """The newest audit rows: Zeitpunkt, Wer, Adresse, Verfahren, Ergebnis, Hinweis."""
    stmt = (
        select(
            SignInEvent.at,
            SignInEvent.user_name,
            SignInEvent.client,
            SignInEvent.method,
            SignInEvent.outcome,
            SignInEvent.detail,
        )
        .order_by(SignInEvent.at.desc(), SignInEvent.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame(rows, columns=["Zeitpunkt", "Wer", "Adresse", "Verfahren", "Ergebnis", "Hinweis"])
