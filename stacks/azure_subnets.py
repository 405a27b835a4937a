"""The Azure spoke's subnets: which ones a workload sits in, a subnet the plan lacks, and each
subnet's inbound NSG rules from the plan's flows."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from forcelift.components.azure.common import FlowRule, Protocol
from forcelift.components.azure.spoke_network import (
    DENY_ALL_PRIORITY,
    FIRST_RULE_PRIORITY,
    RULE_PRIORITY_STEP,
    SubnetPurpose,
)
from forcelift.migration.plan.planfile import CloudWorkload, PaasPlan
from forcelift.stacks.context import StackContext

MI_SUBNET = "sql-managed-instance"
MI_PREFIX = 27  # the smallest subnet SQL Managed Instance accepts
MAX_NSG_RULES = (DENY_ALL_PRIORITY - FIRST_RULE_PRIORITY) // RULE_PRIORITY_STEP


def subnet_purpose(name: str) -> SubnetPurpose:
    try:
        return SubnetPurpose(name)
    except ValueError:
        return SubnetPurpose.WORKLOAD


def is_managed_instance(part: PaasPlan) -> bool:
    return part.kind == "sql_server" and "managed instance" in part.service.lower()


def purposes_of(workload: CloudWorkload) -> set[SubnetPurpose]:
    """Which spoke subnets a workload's parts sit in (where its inbound flows must reach)."""
    found = {SubnetPurpose.WORKLOAD} if workload.vms else set()
    for part in workload.paas:
        if is_managed_instance(part):
            found.add(SubnetPurpose.SQL_MANAGED_INSTANCE)
        elif part.kind == "postgresql":
            found.add(SubnetPurpose.POSTGRES)
        elif part.kind in ("web_app", "sql_server", "object_storage", "file_storage"):
            found.add(SubnetPurpose.PRIVATE_ENDPOINTS)
    return found


def carve_subnet(ctx: StackContext, wave_index: int, prefix: int, name: str = MI_SUBNET) -> str:
    """The first free /prefix of the spoke (for a subnet older plans do not have yet)."""
    spoke = ctx.cloud.waves[wave_index].spoke
    used = [ipaddress.IPv4Network(s.cidr) for s in spoke.subnets]
    network = ipaddress.IPv4Network(spoke.cidr)
    if network.prefixlen <= prefix:
        for candidate in network.subnets(new_prefix=prefix):
            if not any(candidate.overlaps(u) for u in used):
                return str(candidate)
    raise ctx.error(
        ctx.path("waves", wave_index, "spoke"),
        f"no free /{prefix} in {spoke.cidr} for a {name} subnet",
        hint="re-plan with a larger spoke (the plan should allocate this subnet)",
    )


def private_link_subnets(
    ctx: StackContext, index: int, subnets: Mapping[SubnetPurpose, str]
) -> set[str]:
    """The spoke subnets that hold Private Link service NAT addresses in any stack of the wave
    (the first stack declares the spoke for all of them): the hosted services' subnet, and the
    workload subnet when Front Door reaches servers. Where a service may sit, never fewer."""
    stacks = set(ctx.cloud.waves[index].stacks)
    out = set()
    host = subnets.get(SubnetPurpose.WORKLOAD) or subnets.get(SubnetPurpose.PRIVATE_ENDPOINTS)
    if host is not None and any(h.stack in stacks for h in ctx.cloud.sharing.hosted):
        out.add(host)
    servers = {w.application for w in ctx.cloud.workloads if w.stack in stacks and w.vms}
    workload = subnets.get(SubnetPurpose.WORKLOAD)
    if workload is not None and any(
        s.method == "front-door-private-origin" and s.stack in stacks and s.application in servers
        for s in ctx.cloud.sharing.staff_access
    ):
        out.add(workload)
    return out


def _rule_name(source: str, protocol: str) -> str:
    return f"allow-{protocol}-from-{source.replace('/', '-')}"


def subnet_flows(
    ctx: StackContext, subnet_cidr: str, flows: list[tuple[str, str, int, str]], path: str
) -> tuple[FlowRule, ...]:
    """Inbound rules of one subnet: one per (source, protocol) with all its ports, so even a
    busy subnet stays far below the NSG's rule limit; the flow's own name when it is alone."""
    grouped: dict[tuple[str, str], tuple[set[int], set[str]]] = {}
    for source, protocol, port, name in flows:
        ports, names = grouped.setdefault((source, protocol), (set(), set()))
        ports.add(port)
        names.add(name)
    if len(grouped) > MAX_NSG_RULES:
        raise ctx.error(
            path, f"{len(grouped)} inbound sources for one subnet; an NSG holds {MAX_NSG_RULES}"
        )
    rules, used = [], set()
    for (source, protocol), (ports, names) in sorted(grouped.items()):
        name = next(iter(names)) if len(names) == 1 else _rule_name(source, protocol)
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        rules.append(
            FlowRule(
                name=name,
                source_cidr=source,
                destination_cidr=subnet_cidr,
                ports=tuple(sorted(ports)),
                protocol=Protocol.UDP if protocol == "udp" else Protocol.TCP,
            )
        )
    return tuple(rules)
