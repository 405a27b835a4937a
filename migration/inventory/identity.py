"""How servers are matched across sources: by short host name, case-insensitively."""

from __future__ import annotations


def server_key(name: str) -> str:
    """Servers match across sources by short host name, case-insensitively."""
    lowered = name.strip().lower()
    if lowered.replace(".", "").isdigit():
        return lowered
    return lowered.split(".", 1)[0]
