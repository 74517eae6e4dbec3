"""Maintainer sign-in on the Daten page: password (constant-time) or OIDC, growing delay and lockout, audit,
logout and session timeout.

The lockout per client address comes from the audit table (`data_access.signin`), so it holds across browser
sessions and app instances; the failures of one browser session are kept in its session state as well.
Settings (environment): DVN_SESSION_IDLE_MINUTES (default 30), DVN_SESSION_MAX_HOURS (default 8),
DVN_TRUSTED_PROXIES (comma-separated addresses whose X-Forwarded-For is believed; "lokal" = 127.0.0.1/::1).
"""

from __future__ import annotations

import datetime as dt
import hmac
import os

import streamlit as st

from data_access import signin
from pages import _cache

IDLE_MINUTES_DEFAULT = 30
MAX_HOURS_DEFAULT = 8
LOCAL = "lokal"  # Streamlit reports loopback (and an unknown peer) as no address
KEYS = ("daten_maintainer", "daten_method", "daten_since", "daten_seen")


def _now() -> dt.datetime:
    """Local wall-clock time, like the import log (tests replace this)."""
    return dt.datetime.now()


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=_setting("DVN_SESSION_IDLE_MINUTES", IDLE_MINUTES_DEFAULT))


def absolute_limit() -> dt.timedelta:
    return dt.timedelta(hours=_setting("DVN_SESSION_MAX_HOURS", MAX_HOURS_DEFAULT))


def _peer() -> str | None:
    """The TCP peer as Streamlit sees it (None for loopback)."""
    try:
        ip = st.context.ip_address
    except Exception:  # older Streamlit or no client context
        return None
    return ip if isinstance(ip, str) and ip else None  # AppTest hands out a mock


def _headers() -> dict:
    try:
        return {str(k): str(v) for k, v in st.context.headers.items()}
    except Exception:  # no request headers (AppTest, older Streamlit)
        return {}


def client_address() -> str:
    """The client's address: Streamlit's peer address; X-Forwarded-For only when the peer is a trusted proxy."""
    peer = _peer() or LOCAL
    trusted = {p.strip() for p in os.environ.get("DVN_TRUSTED_PROXIES", "").split(",") if p.strip()}
    if peer in trusted:
        forwarded = next((v for k, v in _headers().items() if k.lower() == "x-forwarded-for"), "")
        hops = [h.strip() for h in str(forwarded).split(",") if h.strip()]
        untrusted = [h for h in hops if h not in trusted]
        if untrusted:
            return untrusted[-1][:100]  # the last hop before our own proxies: what the client could not forge
    return peer[:100]


def _record(user: str, method: str, outcome: str, detail: str = "", *, now: dt.datetime) -> None:
    try:
        signin.record(
            _cache.engine(),
            at=now,
            user_name=user,
            client=client_address(),
            method=method,
            outcome=outcome,
            detail=detail,
        )
    except Exception:  # the audit must not take the page down; the attempt itself is still decided
        st.warning("Das Anmeldeprotokoll konnte nicht geschrieben werden.")


def _method_label(method: str) -> str:
    return "Single Sign-on" if method == "oidc" else "Passwort"


def _start(name: str, method: str, now: dt.datetime) -> None:
    st.session_state.update(daten_maintainer=name, daten_method=method, daten_since=now, daten_seen=now)
    st.session_state.pop("daten_failures", None)
    _record(name, method, "ok", now=now)


def _end(outcome: str, detail: str, now: dt.datetime) -> None:
    name = st.session_state.get("daten_maintainer", "")
    method = st.session_state.get("daten_method", "passwort")
    _record(name, "abmeldung", outcome, f"{detail} (Anmeldung per {_method_label(method)})", now=now)
    for key in (*KEYS, "daten_password", "daten_preview"):
        st.session_state.pop(key, None)
    st.session_state["daten_oidc_seen"] = False
    if method == "oidc":
        st.logout()


def current_maintainer() -> str | None:
    """The signed-in maintainer of this session, None when nobody is or the session timed out (then logged)."""
    name = st.session_state.get("daten_maintainer")
    if not name:
        return None
    now = _now()
    since, seen = st.session_state.get("daten_since", now), st.session_state.get("daten_seen", now)
    idle, absolute = idle_limit(), absolute_limit()
    reason = ""
    if now - seen > idle:
        reason = f"länger als {_minutes(idle)} ohne Aktivität"
    elif now - since > absolute:
        reason = f"länger als {_minutes(absolute)} angemeldet"
    if reason:
        _end("abgelaufen", reason[0].upper() + reason[1:], now)
        st.session_state["daten_notice"] = f"Ihre Anmeldung ist abgelaufen ({reason}). Bitte melden Sie sich neu an."
        return None
    st.session_state["daten_seen"] = now
    return name


def _minutes(span: dt.timedelta) -> str:
    minutes = round(span.total_seconds() / 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} Stunde" if hours == 1 else f"{hours} Stunden"
    return f"{minutes} Minute" if minutes == 1 else f"{minutes} Minuten"


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml: Streamlit raises instead of returning None
        return None


def logout_button() -> None:
    if st.button("Abmelden", icon=":material/logout:", key="daten_logout"):
        _end("abgemeldet", "Abgemeldet", _now())
        st.session_state["daten_notice"] = "Sie sind abgemeldet."
        st.rerun()


def maintainer_gate() -> str | None:
    """The maintainer's name once signed in (OIDC via st.login or the configured password), else None."""
    name = current_maintainer()  # first: a timeout leaves its notice
    if notice := st.session_state.pop("daten_notice", None):
        st.info(notice, icon=":material/logout:")
    if name:
        logout_button()
        return name
    auth = _secret("auth")
    if auth:
        return _oidc_gate()
    password = os.environ.get("DVN_MAINTAINER_PASSWORD") or _secret("maintainer_password")
    if not password:
        st.info(
            "Der Import ist nicht freigeschaltet: der Betrieb setzt dafür DVN_MAINTAINER_PASSWORD "
            "oder meldet die Datenpflege per Single Sign-on an. Vorlagen, Exporte und Datenstand stehen allen offen.",
            icon=":material/lock:",
        )
        return None
    with st.form("daten_login"):
        st.markdown("**Anmeldung für die Datenpflege**")
        user = st.text_input("Ihr Name (für das Importprotokoll)", key="daten_user")
        given = st.text_input("Passwort", type="password", key="daten_password")
        if st.form_submit_button("Anmelden", icon=":material/login:"):
            if _password_attempt(user.strip(), given, str(password)):
                st.rerun()
    return None


def allowed_emails(setting) -> frozenset[str] | None:
    """`maintainer_emails` as a set of lower-case addresses; None when not configured (every SSO user may maintain).

    A single string is one address, never a substring test ("" or "a@x" must not match "a@x.de")."""
    if not setting:
        return None
    items = [setting] if isinstance(setting, str) else list(setting)
    return frozenset(str(e).strip().casefold() for e in items if str(e).strip())


def _oidc_gate() -> str | None:
    if not st.user.is_logged_in:
        st.session_state["daten_oidc_seen"] = False
        st.button("Anmelden (Single Sign-on)", on_click=st.login, icon=":material/login:")
        return None
    allowed = allowed_emails(_secret("maintainer_emails"))
    email = str(st.user.get("email", "") or "").strip().casefold()
    name = str(st.user.get("name") or email)
    if allowed is None or (email and email in allowed):
        _start(name, "oidc", _now())
        logout_button()
        return name
    if not st.session_state.get("daten_oidc_seen"):  # log the refusal once per session, not on every rerun
        st.session_state["daten_oidc_seen"] = True
        _record(name, "oidc", "falsch", "nicht als Datenpflege freigeschaltet", now=_now())
    st.warning("Ihre Anmeldung ist nicht als Datenpflege freigeschaltet.")
    return None


def _password_attempt(name: str, given: str, password: str) -> bool:
    """Check one submitted form; True when signed in. Refused without comparing while delayed or locked."""
    if not name:
        st.error("Anmeldung fehlgeschlagen: Bitte geben Sie Ihren Namen an.")
        return False
    now = _now()
    failures: list[dt.datetime] = st.session_state.setdefault("daten_failures", [])
    try:
        by_client = signin.client_verdict(_cache.engine(), client=client_address(), now=now)
    except Exception:  # without the audit no lockout can be checked: refuse rather than allow unlimited tries
        st.error("Die Anmeldung ist gerade nicht möglich. Bitte versuchen Sie es später erneut.")
        return False
    verdict = signin.stricter(signin.assess(failures, now), by_client)
    # A name that is the password (typed into the wrong field) is not written to the audit.
    shown = "(verborgen)" if hmac.compare_digest(name.encode(), password.encode()) else name
    if until := verdict.refused_until(now):
        locked = verdict.locked_until is not None
        _record(shown, "passwort", "gesperrt", f"{'Sperre' if locked else 'Wartezeit'} bis {until:%H:%M:%S}", now=now)
        _refusal(verdict, until, now)
        return False
    if hmac.compare_digest(given.encode(), password.encode()):
        _start(name, "passwort", now)
        return True
    failures.append(now)
    n = signin.assess(failures, now).failures
    _record(shown, "passwort", "falsch", f"Fehlversuch {max(n, by_client.failures + 1)}", now=now)
    after = signin.stricter(
        signin.assess(failures, now), signin.client_verdict(_cache.engine(), client=client_address(), now=now)
    )
    if after.locked_until:
        _refusal(after, after.locked_until, now)
    else:
        wait = after.refused_until(now)
        seconds = round((wait - now).total_seconds()) if wait else 0
        st.error(
            "Anmeldung fehlgeschlagen: Passwort falsch."
            + (f" Nächster Versuch in {seconds} Sekunde{'n' if seconds != 1 else ''} möglich." if seconds else "")
        )
    return False


def _refusal(verdict: signin.Verdict, until: dt.datetime, now: dt.datetime) -> None:
    if verdict.locked_until is not None:
        st.error(
            f"Zu viele Fehlversuche: Die Anmeldung ist bis {until:%H:%M} Uhr gesperrt "
            f"({verdict.failures} falsche Passwörter in {_minutes(signin.WINDOW)})."
        )
        return
    seconds = max(1, round((until - now).total_seconds()))
    st.error(f"Bitte warten Sie noch {seconds} Sekunde{'n' if seconds != 1 else ''} bis zum nächsten Versuch.")
