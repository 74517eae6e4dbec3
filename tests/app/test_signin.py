"""AppTest of the maintainer sign-in on the Daten page: growing delay, lockout per session and client, audit,
logout and session timeout (the clock and the client address are injected, nothing sleeps)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import SignInEvent
from pages import _signin

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "geheim-für-tests"
WRONG = "falsch-geraten-"
T0 = dt.datetime(2025, 3, 18, 14, 5)


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self.client = "203.0.113.10"

    def advance(self, **kw) -> None:
        self.now += dt.timedelta(**kw)


@pytest.fixture
def clock(monkeypatch, app_env, db_url):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    for name in ("DVN_SESSION_IDLE_MINUTES", "DVN_SESSION_MAX_HOURS", "DVN_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    app_env(db_url)
    c = Clock()
    monkeypatch.setattr(_signin, "_now", lambda: c.now)
    monkeypatch.setattr(_signin, "_peer", lambda: c.client)
    return c


def session() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/daten.py")
    at.query_params["bereich"] = "import"
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.warning)]
    return "\n".join(str(p) for p in parts)


def sign_in(at: AppTest, password: str, user: str = "Frau Test") -> AppTest:
    at.text_input(key="daten_user").input(user)
    at.text_input(key="daten_password").input(password)
    at.button[0].click().run()
    assert not at.exception
    return at


def signed_in(at: AppTest) -> bool:
    return any(u.key == "daten_file" for u in at.file_uploader)


def events(url: str) -> list[tuple]:
    e = make_engine(url)
    try:
        with e.connect() as c:
            return [
                tuple(r)
                for r in c.execute(
                    select(
                        SignInEvent.user_name,
                        SignInEvent.client,
                        SignInEvent.method,
                        SignInEvent.outcome,
                        SignInEvent.detail,
                    ).order_by(SignInEvent.id)
                )
            ]
    finally:
        e.dispose()


def test_delay_grows_and_the_right_password_waits_its_turn(clock, db_url):
    at = session()
    sign_in(at, WRONG + "1")
    assert "Passwort falsch. Nächster Versuch in 1 Sekunde möglich." in texts(at)
    clock.advance(seconds=2)
    sign_in(at, WRONG + "2")
    assert "Nächster Versuch in 2 Sekunden möglich." in texts(at)
    clock.advance(seconds=1)  # too early: refused without looking at the password, even the right one
    sign_in(at, PASSWORD)
    assert "Bitte warten Sie noch 1 Sekunde bis zum nächsten Versuch." in texts(at)
    assert not signed_in(at)
    clock.advance(seconds=1)
    sign_in(at, PASSWORD)
    assert signed_in(at)
    assert [e[3] for e in events(db_url)] == ["falsch", "falsch", "gesperrt", "ok"]


def test_five_wrong_passwords_lock_even_the_right_one_until_the_lock_ends(clock, db_url):
    at = session()
    for i in range(5):
        sign_in(at, WRONG + str(i))
        clock.advance(minutes=1)
    # last failure at 14:09 → locked until 14:24
    assert "Zu viele Fehlversuche: Die Anmeldung ist bis 14:24 Uhr gesperrt" in texts(at)
    sign_in(at, PASSWORD)
    assert "bis 14:24 Uhr gesperrt" in texts(at)
    assert not signed_in(at)
    clock.advance(minutes=13)  # 14:23
    sign_in(at, PASSWORD)
    assert not signed_in(at)
    clock.advance(minutes=1, seconds=1)  # 14:24:01
    sign_in(at, PASSWORD)
    assert signed_in(at)
    outcomes = [e[3] for e in events(db_url)]
    assert outcomes == ["falsch"] * 5 + ["gesperrt", "gesperrt", "ok"]


def test_lockout_holds_for_the_client_across_sessions_but_not_for_other_clients(clock):
    first = session()
    for i in range(5):
        sign_in(first, WRONG + str(i))
        clock.advance(seconds=20)  # past each growing delay
    assert "Die Anmeldung ist bis 14:21 Uhr gesperrt" in texts(first)  # last failure 14:06:20
    second = session()  # a fresh browser session from the same address
    sign_in(second, PASSWORD)
    assert "Die Anmeldung ist bis 14:21 Uhr gesperrt" in texts(second)
    assert not signed_in(second)

    clock.client = "203.0.113.99"
    third = session()
    sign_in(third, PASSWORD)
    assert signed_in(third)


def test_session_failures_count_even_when_the_client_address_changes(clock):
    at = session()
    for i in range(5):
        clock.client = f"198.51.100.{i}"
        sign_in(at, WRONG + str(i))
        clock.advance(seconds=20)
    clock.client = "198.51.100.200"
    sign_in(at, PASSWORD)
    assert "gesperrt" in texts(at)
    assert not signed_in(at)


def test_audit_rows_never_hold_a_password_and_are_shown_to_maintainers(clock, db_url):
    at = session()
    sign_in(at, WRONG + "x")
    clock.advance(seconds=5)
    sign_in(at, WRONG, user=PASSWORD)  # the password typed into the name field is not logged either
    clock.advance(seconds=5)
    sign_in(at, PASSWORD)
    assert signed_in(at)
    rows = events(db_url)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("Frau Test", "203.0.113.10", "passwort", "falsch"),
        ("(verborgen)", "203.0.113.10", "passwort", "falsch"),
        ("Frau Test", "203.0.113.10", "passwort", "ok"),
    ]
    for row in rows:
        for value in row:
            assert PASSWORD not in value and WRONG not in value

    at.segmented_control(key="daten_bereich").set_value("protokoll").run()
    assert not at.exception
    audit = at.dataframe[-1].value
    assert list(audit.columns) == ["Zeitpunkt", "Wer", "Adresse", "Verfahren", "Ergebnis", "Hinweis"]
    assert list(audit["Ergebnis"]) == ["ok", "falsch", "falsch"]
    assert audit["Zeitpunkt"].iloc[0] == "18.03.2025 14:05"
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", v) for v in audit["Zeitpunkt"])


def test_the_audit_is_hidden_from_visitors(clock):
    at = session()
    sign_in(at, WRONG)
    at.segmented_control(key="daten_bereich").set_value("protokoll").run()
    assert not at.exception
    assert "und das Anmeldeprotokoll sieht nur die angemeldete Datenpflege" in texts(at)
    assert all("Adresse" not in df.value.columns for df in at.dataframe)


def test_logout_closes_the_upload_and_is_logged(clock, db_url):
    at = session()
    sign_in(at, PASSWORD)
    assert signed_in(at)
    clock.advance(minutes=3)
    at.button(key="daten_logout").click().run()
    assert not at.exception
    assert not signed_in(at)
    assert "Sie sind abgemeldet." in texts(at)
    assert "daten_maintainer" not in at.session_state
    assert len(at.text_input(key="daten_password").value) == 0
    assert events(db_url)[-1][2:] == ("abmeldung", "abgemeldet", "Abgemeldet (Anmeldung per Passwort)")
    at.run()  # the next run asks again
    assert not signed_in(at)


def test_idle_session_expires_and_is_logged(clock, db_url):
    at = session()
    sign_in(at, PASSWORD)
    clock.advance(minutes=29)
    at.run()
    assert signed_in(at)  # activity within 30 minutes keeps the session
    clock.advance(minutes=31)
    at.run()
    assert not at.exception
    assert not signed_in(at)
    assert "Ihre Anmeldung ist abgelaufen (länger als 30 Minuten ohne Aktivität)" in texts(at)
    assert events(db_url)[-1][2:4] == ("abmeldung", "abgelaufen")


def test_absolute_session_limit_ends_even_an_active_session(clock, db_url, monkeypatch):
    monkeypatch.setenv("DVN_SESSION_MAX_HOURS", "1")
    at = session()
    sign_in(at, PASSWORD)
    for _ in range(3):
        clock.advance(minutes=20)
        at.run()
        assert signed_in(at)
    clock.advance(minutes=20)
    at.run()
    assert not signed_in(at)
    assert "länger als 1 Stunde angemeldet" in texts(at)
    assert events(db_url)[-1][2:4] == ("abmeldung", "abgelaufen")
