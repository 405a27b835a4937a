"""Plain, validated descriptions of subnets and traffic flows (no Pulumi).

The stack program maps the plan's address plan and dependency flows to these; validation
here means a component never declares an internet-open ingress rule or a malformed CIDR.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum

OPEN_CIDRS = frozenset({"0.0.0.0/0", "::/0"})


def check_cidr(cidr: str, what: str) -> str:
    """The CIDR, or ValueError naming `what` when it is not a valid network."""
    try:
        ipaddress.ip_network(cidr, strict=True)
    except ValueError as exc:
        raise ValueError(f"{what}: {cidr!r} is not a valid CIDR ({exc})") from None
    return cidr


def check_private_ingress(cidr: str, what: str) -> str:
    """A CIDR allowed as an ingress source: valid and never the whole internet."""
    check_cidr(cidr, what)
    if ipaddress.ip_network(cidr).prefixlen == 0 or cidr in OPEN_CIDRS:
        raise ValueError(f"{what}: ingress from {cidr} (anywhere) is never allowed")
    return cidr


class Protocol(StrEnum):
    TCP = "tcp"
    UDP = "udp"
    ICMP = "icmp"
    ALL = "-1"


class FlowLogDestination(StrEnum):
    CLOUDWATCH = "cloud-watch-logs"
    S3 = "s3"


@dataclass(frozen=True)
class SubnetSpec:
    """One subnet in one availability zone."""

    availability_zone: str
    cidr: str

    def __post_init__(self) -> None:
        check_cidr(self.cidr, f"subnet in {self.availability_zone}")


@dataclass(frozen=True)
class FlowRule:
    """One allowed flow: `cidr` is the source for ingress and the destination for egress."""

    name: str
    cidr: str
    from_port: int
    to_port: int | None = None
    protocol: Protocol = Protocol.TCP

    def __post_init__(self) -> None:
        check_cidr(self.cidr, f"flow {self.name!r}")
        if self.protocol in (Protocol.TCP, Protocol.UDP) and not (
            0 <= self.from_port <= self.last_port <= 65535
        ):
            raise ValueError(f"flow {self.name!r}: bad port range {self.from_port}-{self.to_port}")

    @property
    def last_port(self) -> int:
        return self.from_port if self.to_port is None else self.to_port


@dataclass(frozen=True)
class SecurityGroupSpec:
    """A security group with exactly these flows; nothing else is allowed in or out."""

    name: str
    description: str
    ingress: tuple[FlowRule, ...] = ()
    egress: tuple[FlowRule, ...] = ()

    def __post_init__(self) -> None:
        for rule in self.ingress:
            check_private_ingress(rule.cidr, f"security group {self.name!r}, flow {rule.name!r}")
        names = [r.name for r in (*self.ingress, *self.egress)]
        if len(names) != len(set(names)):
            raise ValueError(f"security group {self.name!r}: flow names must be unique")


def unique_zones(subnets: tuple[SubnetSpec, ...], what: str) -> None:
    """One subnet per availability zone (the components attach and route per zone)."""
    zones = [s.availability_zone for s in subnets]
    if not subnets:
        raise ValueError(f"{what}: at least one subnet is required")
    if len(zones) != len(set(zones)):
        raise ValueError(f"{what}: one subnet per availability zone ({zones})")


def within(inner: str, outer: str) -> bool:
    """Whether network `inner` lies inside network `outer` (same IP version)."""
    a, b = ipaddress.ip_network(inner), ipaddress.ip_network(outer)
    return a.version == b.version and a.network_address in b and a.broadcast_address in b
