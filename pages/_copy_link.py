"""A "Link kopieren" button: copies the page's current address (with its filters, ?ars=…) to the clipboard.

Streamlit has no clipboard widget; a tiny component (an iframe of the app's own origin, which Streamlit allows
`clipboard-write`) reads the parent page's address and writes it. It carries no data of ours, so nothing needs
escaping. Where the clipboard is refused (no secure context, a browser setting), the address is shown selected in
a text field to copy by hand. A real <button> (keyboard, screen reader) with a live status text. The script is
static/copy_link.js, served from the app's origin.
"""

from __future__ import annotations

import streamlit.components.v1 as components

STYLE = (
    "body{margin:0;font-family:'Source Sans',sans-serif;font-size:16px;color:#111}"
    "button{font:inherit;color:#111;background:#fff;border:1px solid #8a8a8a;border-radius:8px;padding:4px 12px;"
    "cursor:pointer}button:hover{border-color:#005A9C;color:#005A9C}"
    "button:focus-visible{outline:3px solid #005A9C;outline-offset:2px}"
    "#status{margin-left:10px}input{width:60%;margin-left:10px;font:inherit}"
)
HTML = (
    f"<style>{STYLE}</style>"
    '<button id="copy" type="button">Link kopieren</button>'
    '<span id="status" role="status" aria-live="polite"></span>'
    '<input id="field" type="text" readonly hidden aria-label="Link zu dieser Ansicht">'
    # Served by the app itself (server.enableStaticServing): no inline script, so a strict CSP needs no exception.
    '<script src="/app/static/copy_link.js"></script>'
)


def copy_link_button() -> None:
    """Render the button (about 40 px high)."""
    components.html(HTML, height=42)
