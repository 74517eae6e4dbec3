"""Which online-service addresses the dashboard shows as a link: https on a host the operator allows.

The catalogue import accepts any http/https address (importers.values.to_url); whether a person is sent there is the
operator's decision: DVN_DIENST_HOSTS names the allowed hosts, comma-separated ("niedersachsen.de" also allows
"service.niedersachsen.de"). Without the setting no address is linked; addresses are then shown as plain text.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

ENV = "DVN_DIENST_HOSTS"


def allowed_hosts(setting: str | None = None) -> tuple[str, ...]:
    raw = os.environ.get(ENV, "") if setting is None else setting
    return tuple(h.strip().lower().strip(".") for h in raw.split(",") if h.strip().strip("."))


def host_allowed(host: str, hosts: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in hosts)


def link(url: str | None, hosts: tuple[str, ...] | None = None) -> str | None:
    """The address as a link target, or None: only https, only an allowed host, no credentials."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname or "@" in parts.netloc:
        return None
    return url.strip() if host_allowed(parts.hostname, allowed_hosts() if hosts is None else hosts) else None
