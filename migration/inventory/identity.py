"""How servers are matched across sources: by short host name, case-insensitively."""

from __future__ import annotations


def server_key(name: str) -> str:
    """Servers match across sources by short host name, case-insensitively.

    A name told apart as a duplicate (`web01.corp.local@vc2`, `10.0.0.5@site-b`, see
    gaps.disambiguate) keeps its `@suffix` in the key, so it never matches the machine that
    kept the plain name, nor another renamed one.
    """
    lowered = name.strip().lower()
    head, at, suffix = lowered.partition("@")
    if not head.replace(".", "").isdigit():
        head = head.split(".", 1)[0]
    return head + at + suffix
