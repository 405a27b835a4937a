"""Shared vocabulary of the Azure components: regions, flows, egress, names (tags: tags.py).

Everything here is plain Python (no Pulumi SDK import) so the stack program can build args
cheaply and validate them before any resource is declared.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from forcelift.migration.clouds.azure import FACTS as AZURE_FACTS
from forcelift.migration.naming import make_name

if TYPE_CHECKING:
    import pulumi


class AzureRegion(StrEnum):
    """UK regions only: data stays in the UK (DESIGN.md, Stacks)."""

    UKSOUTH = "uksouth"
    UKWEST = "ukwest"


ALLOWED_LOCATIONS: tuple[AzureRegion, ...] = tuple(AzureRegion(r) for r in AZURE_FACTS.regions)


class Protocol(StrEnum):
    TCP = "Tcp"
    UDP = "Udp"
    ICMP = "Icmp"
    ANY = "*"


@dataclass(frozen=True)
class FlowRule:
    """One allowed flow into a subnet; anything not listed is denied."""

    name: str
    source_cidr: str
    destination_cidr: str
    ports: tuple[int | str, ...]
    protocol: Protocol = Protocol.TCP

    def __post_init__(self) -> None:
        check_prefix(self.source_cidr, f"flow {self.name} source", SOURCE_TAGS)
        check_prefix(self.destination_cidr, f"flow {self.name} destination", DESTINATION_TAGS)
        if not self.ports:
            raise ValueError(f"flow {self.name}: at least one port (or '*') is needed")
        for port in self.ports:
            if not _valid_port(port):
                raise ValueError(f"flow {self.name}: {port!r} is not a port, range or '*'")

    def port_ranges(self) -> list[str]:
        return [str(p) for p in self.ports]


@dataclass(frozen=True)
class EgressDestination:
    """A SaaS service servers may reach through the hub firewall (HTTPS by FQDN)."""

    name: str
    fqdns: tuple[str, ...]
    port: int = 443

    def __post_init__(self) -> None:
        if not self.fqdns:
            raise ValueError(f"egress {self.name}: no FQDNs")


@dataclass(frozen=True)
class DiagnosticTarget:
    """A resource whose logs and metrics go to the Log Analytics workspace."""

    name: str
    resource_id: pulumi.Input[str] = field(compare=False)


def _valid_port(port: int | str) -> bool:
    if port == "*":
        return True
    bounds = str(port).split("-")
    if len(bounds) > 2 or not all(b.isdigit() and 1 <= int(b) <= 65535 for b in bounds):
        return False
    return int(bounds[0]) <= int(bounds[-1])


#: Service tags an NSG rule may take as its source: Azure's own platform traffic that no CIDR
#: names (API Management's control plane on 3443 and the load balancer's probe are required
#: for API Management in internal VNet mode).
SOURCE_TAGS = frozenset({"*", "VirtualNetwork", "AzureLoadBalancer", "ApiManagement", "Internet"})
DESTINATION_TAGS = frozenset({"*", "VirtualNetwork"})


def check_prefix(prefix: str, what: str, tags: frozenset[str]) -> None:
    """An NSG address prefix: one of `tags` (service tags, exact spelling) or an IPv4 CIDR."""
    if prefix not in tags:
        check_cidr(prefix, what)


def check_cidr(cidr: str, what: str) -> None:
    """An IPv4 CIDR block (address spaces, subnets): service tags are no address space."""
    try:
        ipaddress.IPv4Network(cidr, strict=True)
    except ValueError as exc:
        raise ValueError(f"{what}: {cidr!r} is not an IPv4 CIDR block ({exc})") from None


def cidr_within(inner: str, outer: str) -> bool:
    return ipaddress.IPv4Network(inner).subnet_of(ipaddress.IPv4Network(outer))


def cidrs_overlap(a: str, b: str) -> bool:
    return ipaddress.IPv4Network(a).overlaps(ipaddress.IPv4Network(b))


def require_output(value: object, what: str) -> None:
    """Secrets come from secret config (Config.require_secret), never from literals in code."""
    if isinstance(value, str):
        raise TypeError(
            f"{what} must be a secret Output (pulumi.Config().require_secret(...)), not a literal"
        )


def as_secret(value: pulumi.Output[str]) -> pulumi.Output[str]:
    """The same value, marked secret even if the caller's Output was not."""
    import pulumi

    return value.apply(lambda plain: pulumi.Output.secret(plain))


def zones_for(location: AzureRegion) -> list[str] | None:
    """Availability zones where the region has them (UK West has none)."""
    return list(AZURE_FACTS.zones.get(location.value, ())) or None


def resource_name(max_len: int, *parts: str) -> str:
    """A deterministic name for kinds with no rule in `naming.RULES` (NICs, firewalls, ...).

    Uses the network alphabet (letters, digits, `.`, `_`, `-`), which every such kind accepts,
    and shortens with a stable hash when the kind's limit is below 80.
    """
    name = make_name("azure-nsg", *parts)
    if len(name) <= max_len:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:5]
    return f"{name[: max_len - 6].rstrip('-._')}-{digest}"
