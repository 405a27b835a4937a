"""Address plan: non-overlapping CIDRs for the hub, spokes and subnets.

Ranges come from one supernet (default 10.100.0.0/14) and never overlap the on-premise
ranges the inventory shows (each server address widened to its /16 by default: on-premise
networks are usually allocated in bigger blocks than the servers we happen to see, and an
overlap breaks routing over the hybrid link) nor the ranges a user reserves (PSN, partners).
Networks are allocated first-fit in request order (hub, then spokes in wave order), so adding a
spoke never renumbers the ones before it. See docs/address-plan.md.
"""

from __future__ import annotations

import contextlib
import ipaddress
import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Annotated, Literal

from pydantic import Field

from forcelift.migration.clouds import AWS_ZONES, Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import Server
from forcelift.migration.plan.datafiles import Frozen

Net = ipaddress.IPv4Network

DEFAULT_SUPERNET = "10.100.0.0/14"
RESERVED_PER_SUBNET = 5  # Azure and AWS both keep five addresses of every subnet
_MIN_SUBNET_PREFIX = {Cloud.AZURE: 29, Cloud.AWS: 28}
_AWS_LARGEST_VPC = 16
_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)


class ReservedRange(Frozen):
    """A range the plan must not use (PSN, partner networks, future sites)."""

    cidr: str
    name: str = ""


class AvoidedRange(Frozen):
    cidr: str
    reason: str


class SubnetRequest(Frozen):
    """A subnet by explicit prefix length or by the number of hosts it must hold."""

    name: str
    prefix_length: Annotated[int, Field(ge=8, le=29)] | None = None
    hosts: Annotated[int, Field(ge=1)] | None = None
    per_zone: bool = False  # AWS: one subnet per availability zone, hosts spread across them
    purpose: str = ""


class NetworkRequest(Frozen):
    name: str
    role: Literal["hub", "spoke"]
    subnets: tuple[SubnetRequest, ...]


class AddressOptions(Frozen):
    supernet: str = DEFAULT_SUPERNET
    reserved: tuple[ReservedRange, ...] = ()
    growth: Annotated[float, Field(ge=1.0, le=16.0)] = 2.0
    zones: tuple[str, ...] = AWS_ZONES["eu-west-2"]
    hub_management_hosts: Annotated[int, Field(ge=1)] = 50


class Subnet(Frozen):
    name: str
    cidr: str
    zone: str = ""
    purpose: str = ""


class Network(Frozen):
    name: str
    role: Literal["hub", "spoke"]
    cidr: str
    subnets: tuple[Subnet, ...]


class AddressPlan(Frozen):
    cloud: Cloud
    supernet: str
    networks: tuple[Network, ...]
    avoided: tuple[AvoidedRange, ...]
    free_addresses: int


# --- requests ------------------------------------------------------------------------------


def hub_request(cloud: Cloud, options: AddressOptions | None = None) -> NetworkRequest:
    """The hub's subnets: Azure's named service subnets, or AWS per-AZ subnets."""
    options = options or AddressOptions()
    mgmt = options.hub_management_hosts
    if cloud is Cloud.AZURE:
        subnets: tuple[SubnetRequest, ...] = (
            SubnetRequest(
                name="GatewaySubnet",
                prefix_length=27,
                purpose="VPN / ExpressRoute gateway to on-premise and PSN",
            ),
            SubnetRequest(
                name="AzureFirewallSubnet",
                prefix_length=26,
                purpose="Azure Firewall (Azure requires /26)",
            ),
            SubnetRequest(
                name="AzureBastionSubnet",
                prefix_length=26,
                purpose="Azure Bastion (Azure requires /26 or larger)",
            ),
            SubnetRequest(
                name="management", hosts=mgmt, purpose="management, identity and DNS servers"
            ),
        )
    else:
        subnets = (
            SubnetRequest(
                name="tgw-attachment",
                prefix_length=28,
                per_zone=True,
                purpose="Transit Gateway attachment (AWS recommends a /28)",
            ),
            SubnetRequest(
                name="firewall",
                prefix_length=28,
                per_zone=True,
                purpose="AWS Network Firewall endpoints",
            ),
            SubnetRequest(
                name="private",
                hosts=mgmt,
                per_zone=True,
                purpose="management, identity and DNS servers",
            ),
            SubnetRequest(
                name="endpoints",
                prefix_length=27,
                per_zone=True,
                purpose="interface VPC endpoints shared through the hub",
            ),
        )
    return NetworkRequest(name="hub", role="hub", subnets=subnets)


#: Azure: the subnet API Management (internal VNet mode) sits in alone, in a spoke whose wave
#: publishes an agency API; a /27 holds it with room to scale out (stacks/azure_sharing.py)
API_MANAGEMENT_SUBNET = "api-management"
API_MANAGEMENT_PREFIX = 27


def spoke_request(
    name: str, hosts: int, cloud: Cloud, *, agency_api: bool = False
) -> NetworkRequest:
    """A workload spoke for `hosts` servers (growth is applied when the plan is made); on Azure
    with an `api-management` subnet when the wave publishes an agency API."""
    hosts = max(1, hosts)
    if cloud is Cloud.AZURE:
        subnets: tuple[SubnetRequest, ...] = (
            SubnetRequest(name="workload", hosts=hosts, purpose="virtual machines"),
            SubnetRequest(
                name="private-endpoints",
                hosts=max(8, hosts // 4),
                purpose="private endpoints of platform services",
            ),
        )
        if agency_api:
            subnets += (
                SubnetRequest(
                    name=API_MANAGEMENT_SUBNET,
                    prefix_length=API_MANAGEMENT_PREFIX,
                    purpose="API Management (internal VNet mode) for agency APIs",
                ),
            )
    else:
        subnets = (
            SubnetRequest(
                name="tgw-attachment",
                prefix_length=28,
                per_zone=True,
                purpose="Transit Gateway attachment",
            ),
            SubnetRequest(
                name="private", hosts=hosts, per_zone=True, purpose="instances and databases"
            ),
            SubnetRequest(
                name="endpoints",
                hosts=max(8, hosts // 4),
                per_zone=True,
                purpose="interface VPC endpoints",
            ),
        )
    return NetworkRequest(name=name, role="spoke", subnets=subnets)


# --- ranges to avoid -----------------------------------------------------------------------


def _ipv4(text: str) -> int | None:
    """Dotted-quad IPv4 as an int (strict: four decimal octets), else None. Fast on big estates."""
    parts = text.strip().split(".")
    if len(parts) != 4:
        return None
    value = 0
    for part in parts:
        if not part.isdigit() or len(part) > 3 or (len(part) > 1 and part[0] == "0"):
            return None
        octet = int(part)
        if octet > 255:
            return None
        value = value << 8 | octet
    return value


def onprem_ranges(servers: Iterable[Server], prefix_length: int = 16) -> tuple[AvoidedRange, ...]:
    """On-premise prefixes seen in server addresses, widened to `prefix_length`.

    Addresses that do not parse as IPv4 (IPv6 included), loopback, link-local and unspecified
    addresses are ignored: they say nothing about routed on-premise networks.
    """
    mask = (0xFFFFFFFF << (32 - prefix_length)) & 0xFFFFFFFF
    counts: dict[int, int] = {}
    examples: dict[int, list[str]] = {}
    for server in servers:
        for text in server.ip_addresses:
            address = _ipv4(text)
            if address is None or address == 0 or address >> 24 == 127 or address >> 16 == 0xA9FE:
                continue  # unparsable / IPv6, unspecified, loopback, link-local
            network = address & mask
            counts[network] = counts.get(network, 0) + 1
            names = examples.setdefault(network, [])
            if len(names) < 3 and server.name not in names:
                names.append(server.name)
    return tuple(
        AvoidedRange(
            cidr=str(ipaddress.IPv4Network((network, prefix_length))),
            reason=f"on-premise: {counts[network]} server address(es), "
            f"e.g. {', '.join(examples[network])}",
        )
        for network in sorted(counts)
    )


def _parse(text: str, what: str) -> Net:
    try:
        network = ipaddress.ip_network(text.strip())
    except ValueError as exc:
        hint = "write it as an IPv4 CIDR such as 10.100.0.0/14"
        with contextlib.suppress(ValueError):
            hint = f"did you mean {ipaddress.ip_network(text.strip(), strict=False)}?"
        raise InputError(f"invalid {what} {text!r}: {exc}", hint=hint) from None
    if not isinstance(network, ipaddress.IPv4Network):
        raise InputError(f"{what} {text!r} is IPv6", hint="plan with an IPv4 CIDR")
    return network


def _reserved(options: AddressOptions) -> list[tuple[Net, str]]:
    parsed = [
        (_parse(r.cidr, f"reserved range {r.name or r.cidr}"), r.name or r.cidr)
        for r in options.reserved
    ]
    parsed.sort(key=lambda item: item[0])
    for (a, a_name), (b, b_name) in itertools.pairwise(parsed):
        if a.overlaps(b):
            raise InputError(
                f"reserved ranges {a} ({a_name}) and {b} ({b_name}) overlap",
                hint="merge them into one range or remove one of them",
            )
    return parsed


# --- allocation ----------------------------------------------------------------------------


def _prefix_for(hosts: float, cloud: Cloud) -> int:
    bits = max(0, math.ceil(math.log2(hosts + RESERVED_PER_SUBNET)))
    return min(32 - bits, _MIN_SUBNET_PREFIX[cloud])


def _subnet_sizes(
    request: NetworkRequest, cloud: Cloud, options: AddressOptions
) -> list[tuple[str, str, str, int]]:
    """(name, zone, purpose, prefix length) for every subnet of a network."""
    zones = options.zones if cloud is Cloud.AWS else ("",)
    out: list[tuple[str, str, str, int]] = []
    for sub in request.subnets:
        per_zone = sub.per_zone and cloud is Cloud.AWS
        targets = zones if per_zone else ("",)
        if sub.prefix_length is not None:
            prefix = sub.prefix_length
        else:
            hosts = (sub.hosts or 1) * options.growth / len(targets)
            prefix = _prefix_for(hosts, cloud)
        if cloud is Cloud.AWS and prefix < _AWS_LARGEST_VPC:
            raise InputError(
                f"subnet {sub.name!r} of {request.name!r} would need a /{prefix}: AWS subnets "
                f"are at most /{_AWS_LARGEST_VPC}",
                hint="split the workload over more spokes (fewer servers per wave)",
            )
        out.extend((sub.name, zone, sub.purpose, prefix) for zone in targets)
    return out


def _network_prefix(sizes: list[tuple[str, str, str, int]]) -> int:
    total = sum(2 ** (32 - prefix) for *_, prefix in sizes)
    return 32 - math.ceil(math.log2(total))


class _Free:
    """Free space as sorted aligned blocks; first fit, lowest address first."""

    def __init__(self, supernet: Net, avoid: Sequence[Net]) -> None:
        blocks = [supernet]
        for hole in sorted(ipaddress.collapse_addresses(avoid)):
            nxt: list[Net] = []
            for block in blocks:
                if block.subnet_of(hole):
                    continue
                if hole.subnet_of(block):
                    nxt.extend(block.address_exclude(hole))
                else:
                    nxt.append(block)
            blocks = nxt
        self.blocks = sorted(blocks)

    def take(self, prefix: int) -> Net | None:
        for i, block in enumerate(self.blocks):
            if block.prefixlen <= prefix:
                taken = next(block.subnets(new_prefix=prefix))
                rest = list(block.address_exclude(taken)) if block.prefixlen < prefix else []
                self.blocks[i : i + 1] = sorted(rest)
                return taken
        return None

    @property
    def addresses(self) -> int:
        return sum(b.num_addresses for b in self.blocks)


def plan_addresses(
    cloud: Cloud,
    spokes: Sequence[NetworkRequest],
    *,
    avoid: Sequence[AvoidedRange] = (),
    options: AddressOptions | None = None,
    hub: NetworkRequest | None = None,
) -> AddressPlan:
    """Allocate the hub and `spokes` inside the supernet, clear of avoided and reserved ranges.

    Raises InputError (with a hint) for an invalid or too-small supernet, overlapping reserved
    ranges, or when the space runs out.
    """
    options = options or AddressOptions()
    supernet = _parse(options.supernet, "supernet")
    if not any(supernet.subnet_of(p) for p in _PRIVATE):  # type: ignore[arg-type]
        raise InputError(
            f"supernet {supernet} is not private address space",
            hint="use RFC 1918 space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)",
        )
    requests = [hub or hub_request(cloud, options), *spokes]
    names = [r.name for r in requests]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InputError(
            f"network names used twice: {', '.join(duplicates)}", hint="name each spoke once"
        )
    layouts = [(r, _subnet_sizes(r, cloud, options)) for r in requests]
    prefixes = [_network_prefix(sizes) for _, sizes in layouts]
    if cloud is Cloud.AWS:
        for (request, _), prefix in zip(layouts, prefixes, strict=True):
            if prefix < _AWS_LARGEST_VPC:
                raise InputError(
                    f"VPC {request.name!r} would need a /{prefix}: AWS VPCs are at most /16",
                    hint="split the workload over more spokes (fewer servers per wave)",
                )
    needed = sum(2 ** (32 - p) for p in prefixes)
    if needed > supernet.num_addresses:
        smallest = 32 - math.ceil(math.log2(needed))
        raise InputError(
            f"supernet {supernet} is too small: the hub and {len(spokes)} spoke(s) need "
            f"{needed:,} addresses, it has {supernet.num_addresses:,}",
            hint=f"use a /{smallest} or larger (e.g. {supernet.network_address}/{smallest} if "
            "that range is free), fewer servers per spoke, or a lower growth factor",
        )
    reserved = _reserved(options)
    avoided = [(_parse(a.cidr, "on-premise range"), a.reason) for a in avoid]
    avoided += [(net, f"reserved: {name}") for net, name in reserved]
    inside = [net for net, _ in avoided if net.overlaps(supernet)]
    free = _Free(supernet, inside)
    networks = []
    for (request, sizes), prefix in zip(layouts, prefixes, strict=True):
        block = free.take(prefix)
        if block is None:
            raise InputError(
                f"address space ran out at network {request.name!r} (needs a /{prefix}): "
                f"{supernet} has {free.addresses:,} free addresses left after avoiding "
                f"{len(inside)} on-premise/reserved range(s) inside it",
                hint="choose a supernet clear of on-premise ranges, a larger supernet, a "
                "longer on-premise prefix length (e.g. 24) if your sites use smaller blocks, "
                "or fewer spokes",
            )
        networks.append(_carve(request, block, sizes))
    return AddressPlan(
        cloud=cloud,
        supernet=str(supernet),
        networks=tuple(networks),
        avoided=tuple(
            AvoidedRange(cidr=str(net), reason=reason)
            for net, reason in sorted(avoided, key=lambda a: (a[0], a[1]))
        ),
        free_addresses=free.addresses,
    )


def _carve(request: NetworkRequest, block: Net, sizes: list[tuple[str, str, str, int]]) -> Network:
    """Subnets packed largest first (power-of-two sizes then align exactly), listed by address."""
    order = sorted(range(len(sizes)), key=lambda i: (sizes[i][3], i))
    cursor = int(block.network_address)
    placed: list[tuple[Net, int]] = []
    for i in order:
        prefix = sizes[i][3]
        net = ipaddress.IPv4Network((cursor, prefix))
        placed.append((net, i))
        cursor += net.num_addresses
    subnets = tuple(
        Subnet(name=sizes[i][0], cidr=str(net), zone=sizes[i][1], purpose=sizes[i][2])
        for net, i in sorted(placed)
    )
    return Network(name=request.name, role=request.role, cidr=str(block), subnets=subnets)
