"""Shareable state in the address (st.query_params): reading values, binding widgets, and one answer to a bad value.

The policy, the same for every parameter: a value the page cannot use (unknown, malformed, out of range) falls
back to the default, and the page says so in German with `unknown` (the value escaped and shortened, and what is
shown instead). A page never fails on its address.
Bound widgets write their value back and leave the default out of the address (`sync`), so a bad value is gone
from the address once the widget has synchronised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

import streamlit as st

from pages._widgets import md

URL_VALUE_LIMIT = 60  # characters of a bad value quoted in the hint


def unknown(value, *, what: str, shown, note: str = "") -> None:
    """The German hint for a value from the address that the page cannot use (shown escaped, shortened).

    `what` names the parameter's meaning ("die Ebene"), `shown` what the page shows instead (escaped too);
    `note` (a constant from the code, markdown) may add how a valid value looks.
    """
    st.warning(
        f"Der Wert „{md(value, limit=URL_VALUE_LIMIT)}“ in der Adresse ist für {what} unbekannt; "
        f"angezeigt wird {md(shown)}." + (f" {note}" if note else ""),
        icon=":material/link_off:",
    )


def get(name: str) -> str | None:
    """The raw value of ?name= (None when absent); for parameters that the page checks itself."""
    return st.query_params.get(name)


def clear() -> None:
    """Take every parameter out of the address (leaving a mode such as the Präsentation for good)."""
    st.query_params.clear()


def sync(name: str, value, default) -> None:
    """Write a shown value into the address; the default (and None) stays out of it, so links stay short."""
    if value is None or value == default:
        st.query_params.pop(name, None)
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def value(
    name: str, default: str | None, allowed: Collection[str] | Callable[[str], bool], *, what: str, shown=None
) -> str | None:
    """?name= when it is one of `allowed` (or `allowed(value)` is true), else the default with the German hint."""
    raw = st.query_params.get(name)
    if raw is None:
        return default
    if allowed(raw) if callable(allowed) else raw in allowed:
        return raw
    unknown(raw, what=what, shown=f"„{default}“" if shown is None else shown)
    return default


def integer(name: str, default: int, allowed: Collection[int], *, what: str, shown: Callable[[int], str] = str) -> int:
    """An integer from ?name= that is in `allowed` (a range, a tuple …), else the default with the German hint.

    `shown(default)` is how the hint names the number shown instead.
    """
    raw = st.query_params.get(name)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is not None and number in allowed:
        return number
    unknown(raw, what=what, shown=shown(default))
    return default


def flag(name: str, *, what: str) -> bool:
    """An on/off value (?name=1 on, 0 or absent off); anything else is off, with the German hint."""
    return value(name, "0", ("0", "1"), what=what, shown="„aus“") == "1"


def day(name: str, default: dt.date, *, first: dt.date, last: dt.date, what: str, shown: Callable) -> dt.date:
    """A date from ?name= (JJJJ-MM-TT) from `first` to `last`, else the default with the German hint.

    `shown(default)` is how the hint names the date shown instead.
    """
    raw = st.query_params.get(name)
    if raw is None:
        return default
    try:
        parsed = dt.date.fromisoformat(raw)
    except ValueError:
        parsed = None
    if parsed is not None and first <= parsed <= last:
        return parsed
    unknown(raw, what=what, shown=shown(default))
    return default


def choice(
    name: str,
    label: str,
    options: dict[str, str],
    default: str,
    *,
    what: str,
    widget=st.selectbox,
    horizontal: bool = False,
    **kwargs,
) -> str:
    """A select box (or `widget=st.radio`) over `options` (value → label) whose value lives in ?name=."""
    keys = list(options)
    current = value(name, default, keys, what=what, shown=f"„{options[default]}“")
    extra = dict(horizontal=True) if horizontal else {}
    picked = widget(label, keys, index=keys.index(current), format_func=options.get, key=f"w_{name}", **extra, **kwargs)
    sync(name, picked, default)
    return picked


def segmented(
    name: str,
    label: str,
    options: dict[str, str],
    default: str,
    *,
    what: str,
    key: str,
    cleared: str | None = None,
    **kwargs,
) -> str:
    """A segmented control over `options` (value → label) whose value lives in ?name=.

    Clicking the chosen segment again clears the control: then `cleared` is shown (without it, the current value).
    """
    keys = list(options)
    current = value(name, default, keys, what=what, shown=f"„{options[default]}“")
    picked = st.segmented_control(label, keys, default=current, key=key, format_func=options.get, **kwargs)
    picked = picked or cleared or current
    sync(name, picked, default)
    return picked


def toggle(name: str, label: str, *, what: str, key: str, **kwargs) -> bool:
    """A toggle whose state lives in ?name=1 (off stays out of the address)."""
    on = st.toggle(label, value=flag(name, what=what), key=key, **kwargs)
    sync(name, "1" if on else "0", "0")
    return on


def select(
    name: str,
    label: str,
    options: list[str],
    default: str,
    *,
    key: str,
    what: str,
    format_func=str,
    omit: str | None = None,
) -> str:
    """A select box that follows the address while the page stays open (?name=value); `omit` leaves it out.

    The address wins when it differs from what the widget wrote last (a shared link, the back button);
    otherwise the widget wins. Unlike `choice`, the value is written even when it is the default (except `omit`).
    """
    wanted = st.query_params.get(name)
    if wanted != st.session_state.get(f"{key}-url"):
        st.session_state[key] = value(name, default, options, what=what, shown=f"„{format_func(default)}“")
    elif st.session_state.get(key) not in options:
        st.session_state[key] = default
    picked = st.selectbox(label, options, format_func=format_func, key=key)
    if picked == omit:
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = picked
    st.session_state[f"{key}-url"] = None if picked == omit else picked
    return picked
