"""pages._widgets.md: user-supplied text shown literally inside Streamlit markdown."""

import re

import pytest

from pages._widgets import md
from tests.app._markdown import seen


@pytest.mark.parametrize(
    "raw",
    [
        "[Bitte neu anmelden](http://evil.example/)",
        "![x](http://evil.example/x.png)",
        "<img src=http://evil.example/x>",
        "**fett** _kursiv_ `code` ~~durch~~ $x^2$ :red[rot] :material/home: # 1. - + | &amp; {a}",
        "javascript:alert(1)",
        "www.evil.example",
        "a\\b",
    ],
)
def test_every_markdown_character_is_escaped_and_reads_unchanged(raw):
    out = md(raw)
    assert seen(out) == raw
    assert not re.search(r"(?<!\\)[!-/:-@\[-`{-~]", re.sub(r"\\[!-/:-@\[-`{-~]", "", out))


def test_line_breaks_cannot_start_a_block_and_long_values_are_cut():
    assert md("a\n# b\r\n\tc") == "a \\# b c"
    assert md("x" * 70, limit=60) == "x" * 60 + "…"
    assert md(None) == "" and md(1.5) == "1\\.5"


@pytest.mark.parametrize("raw", ["http://evil.example/x", "HTTPS://evil.example", "www.evil.example", "a@evil.example"])
def test_bare_urls_and_addresses_cannot_become_links(raw):
    # GFM autolinks these even with every punctuation character escaped; a zero-width space breaks the pattern.
    out = md(raw)
    assert "\u200b" in out
    assert out.replace("\u200b", "").replace("\\", "") == raw
