"""Egress FQDNs for well-known SaaS destinations, so the hub firewall allows only what is used.

Matched against the classifier's target text. Only destinations published by the suppliers
are listed; anything else gets no firewall rule and a plan note asking for the supplier's list.
"""

from __future__ import annotations

import re

# (pattern over the target service text, FQDNs the supplier publishes for it)
KNOWN_EGRESS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"exchange online|microsoft 365|sharepoint online|onedrive|teams|office 365",
        (
            "*.office365.com",
            "*.office.com",
            "*.sharepoint.com",
            "login.microsoftonline.com",
            "*.outlook.com",
        ),
    ),
    (
        r"entra|intune|defender",
        ("login.microsoftonline.com", "*.manage.microsoft.com", "*.security.microsoft.com"),
    ),
    (r"power bi", ("*.powerbi.com", "*.analysis.windows.net")),
    (r"axon evidence|evidence\.com", ("*.evidence.com",)),
    (r"servicenow", ("*.service-now.com",)),
    (r"genesys cloud", ("*.mypurecloud.ie", "*.pure.cloud")),
)
_COMPILED = tuple((re.compile(p, re.I), f) for p, f in KNOWN_EGRESS)


def egress_fqdns(target: str) -> tuple[str, ...]:
    """The published FQDNs for the SaaS named in `target`, or () when not known."""
    found: list[str] = []
    for pattern, fqdns in _COMPILED:
        if pattern.search(target):
            found.extend(fqdns)
    return tuple(dict.fromkeys(found))
