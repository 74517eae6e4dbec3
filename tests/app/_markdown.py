"""What a reader sees of an element's markdown body: pages escape user-supplied text with _widgets.md."""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def seen(text: str) -> str:
    """The markdown text with backslash escapes resolved (CommonMark shows an escaped character literally) and
    without the zero-width spaces that keep bare URLs from becoming links (invisible to the reader)."""
    return _ESCAPED.sub(r"\1", str(text)).replace("\u200b", "")
