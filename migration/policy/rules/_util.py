"""Small helpers for reading wire-form resource inputs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

OPEN_SOURCES = frozenset({"*", "0.0.0.0/0", "::/0", "internet", "any"})
MANAGEMENT_PORTS = frozenset({22, 3389, 5985, 5986})
DATABASE_PORTS = frozenset({1433, 1434, 1521, 3306, 5432, 27017, 6379})
SENSITIVE_PORTS = MANAGEMENT_PORTS | DATABASE_PORTS


def dig(data: Mapping[str, Any] | None, path: str, default: Any = None) -> Any:
    """`dig(inputs, "properties.enablePurgeProtection")` without KeyErrors."""
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return default
        current = current[part]
    return current


def ports_in(spec: Any) -> set[int] | None:
    """Ports covered by '22', '1000-2000', '*' (None means every port)."""
    if spec is None:
        return set()
    if isinstance(spec, int | float):
        return {int(spec)}
    text = str(spec).strip()
    if text in ("*", "", "0-65535"):
        return None
    if "-" in text:
        low, high = text.split("-", 1)
        lo, hi = int(low), int(high)
        if hi - lo > 2000:
            return {p for p in SENSITIVE_PORTS if lo <= p <= hi} | {lo, hi}
        return set(range(lo, hi + 1))
    return {int(text)}


def sensitive_ports(specs: Iterable[Any]) -> set[int]:
    """Which management/database ports a list of port specs opens."""
    opened: set[int] = set()
    for spec in specs:
        ports = ports_in(spec)
        if ports is None:
            return set(SENSITIVE_PORTS)
        opened |= ports & SENSITIVE_PORTS
    return opened


_ALL_PROTOCOLS = frozenset({"-1", "all"})
_ICMP_PROTOCOLS = frozenset({"icmp", "icmpv6", "1", "58"})


def port_range(low: Any, high: Any, protocol: Any = None) -> set[int]:
    """Sensitive ports an AWS ingress entry opens.

    Protocol -1 (all traffic) opens every port whatever from/to say; for ICMP, from/to are
    the ICMP type and code, so no port is opened. Otherwise (TCP, UDP, or no protocol given)
    the from/to range counts, with 0/0 and -1 read as all ports.
    """
    proto = str(protocol).strip().lower() if protocol is not None else ""
    if proto in _ALL_PROTOCOLS:
        return set(SENSITIVE_PORTS)
    if proto in _ICMP_PROTOCOLS:
        return set()
    try:
        lo, hi = int(low or 0), int(high or 0)
    except (TypeError, ValueError):
        return set(SENSITIVE_PORTS)
    if lo <= 0 and hi in (0, -1, 65535):
        return set(SENSITIVE_PORTS)
    return {p for p in SENSITIVE_PORTS if lo <= p <= hi}
