"""Sign-in audit and brute-force policy (data_access.signin) and the client address of the Daten page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data_access import signin
from data_access.models import SignInEvent

T0 = dt.datetime(2025, 3, 18, 14, 5)


def sec(s: float) -> dt.timedelta:
    return dt.timedelta(seconds=s)


def fail(engine, client: str, at: dt.datetime, user: str = "Test") -> None:
    signin.record(engine, at=at, user_name=user, client=client, method="passwort", outcome="falsch")


def test_delay_doubles_per_failure_and_five_failures_lock_for_fifteen_minutes():
    assert [signin.delay_after(n).total_seconds() for n in range(6)] == [0, 1, 2, 4, 8, 16]
    times = [T0 + sec(10 * i) for i in range(4)]
    v = signin.assess(times, T0 + sec(30))
    assert (v.failures, v.locked_until, v.wait_until) == (4, None, T0 + sec(30 + 8))
    assert v.refused_until(T0 + sec(35)) == T0 + sec(38)
    assert v.refused_until(T0 + sec(38)) is None
    locked = signin.assess([*times, T0 + sec(40)], T0 + sec(40))
    assert locked.failures == 5 and locked.locked_until == T0 + sec(40) + dt.timedelta(minutes=15)
    assert locked.refused_until(T0 + dt.timedelta(minutes=15)) == locked.locked_until
    # failures older than the 15-minute window no longer count
    later = T0 + sec(40) + dt.timedelta(minutes=15, seconds=1)
    assert signin.assess([*times, T0 + sec(40)], later).failures == 0
    assert signin.assess([], T0) == signin.Verdict(0)


def test_the_lock_lasts_fifteen_minutes_after_the_last_failure_even_as_the_first_ones_age():
    times = [T0 + dt.timedelta(minutes=i) for i in range(5)]  # 14:05 … 14:09
    until = T0 + dt.timedelta(minutes=19)
    assert signin.assess(times, T0 + dt.timedelta(minutes=18)).locked_until == until  # only 2 within 15 min of now
    assert signin.assess(times, until).refused_until(until) is None
    after = signin.assess([*times, until], until)  # one failure after the lock starts afresh
    assert after.locked_until is None and after.failures == 1


def test_stricter_takes_the_longer_refusal():
    short = signin.Verdict(1, wait_until=T0 + sec(1))
    lock = signin.Verdict(5, locked_until=T0 + dt.timedelta(minutes=15))
    assert signin.stricter(short, lock) is lock
    assert signin.stricter(lock, short) is lock
    assert signin.stricter(signin.Verdict(0), short) is short


def test_recent_failures_per_client_within_window_not_reset_by_a_success(engine):
    fail(engine, "10.0.0.1", T0 - dt.timedelta(minutes=31))  # older than window and lock
    for i in range(3):
        fail(engine, "10.0.0.1", T0 + sec(i))
    fail(engine, "10.0.0.2", T0)
    now = T0 + sec(10)
    assert signin.recent_failures(engine, client="10.0.0.1", now=now) == [T0, T0 + sec(1), T0 + sec(2)]
    assert signin.recent_failures(engine, client="10.0.0.2", now=now) == [T0]
    assert signin.recent_failures(engine, client="10.0.0.3", now=now) == []
    assert signin.client_verdict(engine, client="10.0.0.1", now=now).failures == 3

    # A successful sign-in from the same (possibly shared) address does not clear the count: a colleague behind
    # the same proxy must not reset an attacker's failures. Other outcomes do not count.
    signin.record(engine, at=T0 + sec(3), user_name="Test", client="10.0.0.1", method="passwort", outcome="ok")
    signin.record(engine, at=T0 + sec(4), user_name="Test", client="10.0.0.1", method="passwort", outcome="gesperrt")
    fail(engine, "10.0.0.1", T0 + sec(5))
    expected = [T0, T0 + sec(1), T0 + sec(2), T0 + sec(5)]
    assert signin.recent_failures(engine, client="10.0.0.1", now=now) == expected


def test_five_failures_from_one_client_lock_it_and_nobody_else(engine):
    for i in range(5):
        fail(engine, "10.0.0.9", T0 + dt.timedelta(minutes=i))
    now = T0 + dt.timedelta(minutes=5)
    v = signin.client_verdict(engine, client="10.0.0.9", now=now)
    assert v.locked_until == T0 + dt.timedelta(minutes=19)
    assert v.refused_until(now) == T0 + dt.timedelta(minutes=19)
    assert signin.client_verdict(engine, client="10.0.0.8", now=now).refused_until(now) is None


def test_record_writes_bound_values_cut_to_length_and_rejects_unknown_outcomes(engine):
    hostile = "Robert'); DROP TABLE sign_in_event;--" + "x" * 300
    signin.record(engine, at=T0, user_name=hostile, client="1" * 150, method="passwort", outcome="falsch", detail="d")
    with engine.connect() as c:
        row = c.execute(select(SignInEvent)).one()
    assert row.user_name == hostile[:200] and row.client == "1" * 100 and row.at == T0
    with pytest.raises(ValueError):
        signin.record(engine, at=T0, user_name="x", client="y", method="passwort", outcome="vielleicht")


def test_recent_events_newest_first_with_german_columns(engine):
    signin.record(engine, at=T0, user_name="A", client="lokal", method="passwort", outcome="falsch")
    signin.record(engine, at=T0 + sec(60), user_name="A", client="lokal", method="passwort", outcome="ok")
    signin.record(engine, at=T0 + sec(120), user_name="A", client="lokal", method="abmeldung", outcome="abgemeldet")
    df = signin.recent_events(engine)
    assert list(df.columns) == ["Zeitpunkt", "Wer", "Adresse", "Verfahren", "Ergebnis", "Hinweis"]
    assert list(df["Ergebnis"]) == ["abgemeldet", "ok", "falsch"]
    assert len(signin.recent_events(engine, limit=2)) == 2


def test_client_address_trusts_forwarded_for_only_from_configured_proxies(monkeypatch):
    from pages import _signin

    monkeypatch.setattr(_signin, "_headers", lambda: {"X-Forwarded-For": "6.6.6.6, 203.0.113.5"})
    monkeypatch.delenv("DVN_TRUSTED_PROXIES", raising=False)
    monkeypatch.setattr(_signin, "_peer", lambda: None)
    assert _signin.client_address() == "lokal"
    monkeypatch.setattr(_signin, "_peer", lambda: "198.51.100.7")
    assert _signin.client_address() == "198.51.100.7"  # a forged header from a direct client is ignored

    monkeypatch.setenv("DVN_TRUSTED_PROXIES", "198.51.100.7")
    assert _signin.client_address() == "203.0.113.5"  # the hop the trusted proxy saw, not the forgeable first one
    monkeypatch.setenv("DVN_TRUSTED_PROXIES", "lokal, 10.0.0.2")
    monkeypatch.setattr(_signin, "_peer", lambda: None)
    monkeypatch.setattr(_signin, "_headers", lambda: {"x-forwarded-for": "203.0.113.9, 10.0.0.2"})
    assert _signin.client_address() == "203.0.113.9"
    monkeypatch.setattr(_signin, "_headers", lambda: {})
    assert _signin.client_address() == "lokal"


@pytest.mark.parametrize(
    ("setting", "email", "allowed"),
    [
        ("a@x.de", "a@x.de", True),
        ("a@x.de", "", False),  # no substring test against a single string
        ("a@x.de", "a@x", False),
        (["A@X.de", "b@y.de"], "a@x.de", True),
        (["a@x.de"], "c@z.de", False),
    ],
)
def test_maintainer_email_allow_list(setting, email, allowed):
    from pages._signin import allowed_emails

    emails = allowed_emails(setting)
    assert (bool(email) and email.casefold() in emails) == allowed
    assert allowed_emails(None) is None and allowed_emails([]) is None
