"""The operator's legal texts (config/rechtliches.toml or DVN_RECHTLICHES): read, checked for placeholders, shown.

The texts are data: each paragraph goes through pages/_widgets.md (no markup, no links), whatever the file says.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import streamlit as st

from pages import _widgets

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = ROOT / "config" / "rechtliches.toml"
PLACEHOLDER = re.compile(r"\[Bitte eintragen:[^\]]*\]")
SECTIONS = ("betreiber", "datenschutz", "barrierefreiheit")


def path() -> Path:
    return Path(os.environ.get("DVN_RECHTLICHES") or DEFAULT_PATH)


def load() -> dict[str, dict[str, str]]:
    """The settings by section; a missing or unreadable file gives empty sections (and the page says so)."""
    try:
        data = tomllib.loads(path().read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        data = {}
    return {s: {k: str(v) for k, v in (data.get(s) or {}).items()} for s in SECTIONS}


def value(texts: dict[str, dict[str, str]], section: str, key: str) -> str:
    """A setting, or a placeholder that says it must be filled when the file lacks it."""
    return texts[section].get(key) or f"[Bitte eintragen: {section}.{key}]"


def site_address(texts: dict[str, dict[str, str]] | None = None) -> str | None:
    """The dashboard's public address (betreiber.internetadresse) when filled with an http(s) URL, else None."""
    address = value(texts or load(), "betreiber", "internetadresse").strip().rstrip("/")
    return address if re.fullmatch(r"https?://[^\s/]+(/\S*)?", address) else None


def open_placeholders(texts: dict[str, dict[str, str]], used: dict[str, tuple[str, ...]]) -> list[str]:
    """'section.key' of every used setting that still holds a placeholder or is missing."""
    return [
        f"{section}.{key}"
        for section, keys in used.items()
        for key in keys
        if PLACEHOLDER.search(value(texts, section, key))
    ]


def warn_if_unfilled(texts: dict[str, dict[str, str]], used: dict[str, tuple[str, ...]]) -> None:
    missing = open_placeholders(texts, used)
    if missing:
        st.warning(
            f"Diese Seite ist noch nicht vollständig: {len(missing)} Angabe(n) des Betreibers fehlen noch "
            f"({', '.join(missing)}). Der Betrieb trägt sie in {_widgets.md(path().name)} ein "
            "(Platzhalter „[Bitte eintragen: …]“).",
            icon=":material/warning:",
        )


def text(raw: str) -> None:
    """An operator text: each paragraph (blank line between) escaped as plain text."""
    for paragraph in re.split(r"\n\s*\n", raw.strip()):
        if paragraph.strip():
            st.markdown(_widgets.md(paragraph))


def field(label: str, raw: str) -> None:
    """'**Label:** value' with the value escaped."""
    st.markdown(f"**{label}:** {_widgets.md(raw)}")
