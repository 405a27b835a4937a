"""Plan-file entries for one workload: its VMs, platform services and the inbound flows it allows.

Turns the sizer's answers into the plan file's VmPlan / PaasPlan and works out, from the
dependencies, the only flows a deny-by-default spoke must open for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from forcelift.migration.classify.model import Decision
from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import (
    Dependency,
    Server,
)
from forcelift.migration.plan import sizing
from forcelift.migration.plan.assessed import assessment_plan
from forcelift.migration.plan.planfile import (
    DiskPlan,
    FlowPlan,
    PaasPlan,
    VmPlan,
)
from forcelift.migration.plan.unsized import ESTIMATED

_TAG_VALUE = re.compile(r"[^\w .:/=+\-@]")


def tag_value(text: str) -> str:
    """A tag value both clouds accept (AWS allows letters, digits, spaces and _.:/=+-@)."""
    return _TAG_VALUE.sub("", text).strip()[:256] or "unassigned"


def vm_plan(vm: sizing.VmSizing, server: Server | None, cloud: Cloud, estimated: bool) -> VmPlan:
    reason = vm.reason
    if estimated:
        reason = f"estimated ({_estimated_reason(server)}): {reason}"
    return VmPlan(
        server=vm.server,
        size=vm.size,
        vcpus=vm.vcpus,
        memory_gib=vm.memory_gib,
        os=vm.os,
        basis=vm.basis.value,
        sql_edition=vm.sql_edition,
        reason=reason,
        sized_by="estimated" if estimated else vm.source,
        forcelift_size=vm.forcelift_size,
        onprem_vcpus=None if server is None else server.cores,
        onprem_memory_gib=None
        if server is None or server.memory_mib is None
        else round(server.memory_mib / 1024, 2),
        assessment=None
        if server is None
        else assessment_plan(server, cloud, vm.forcelift_size or vm.size),
        disks=tuple(
            DiskPlan(
                name=d.name,
                size_gib=math.ceil(d.size_gib),
                type=d.disk_type,
                tier=d.tier,
                iops=d.iops,
            )
            for d in vm.disks
        ),
    )


def _estimated_reason(server: Server | None) -> str:
    if server is None:
        return ESTIMATED
    return f"{server.unsized_reason or 'no size in the export'}; {ESTIMATED}"


def paas_plan(p: sizing.PaasSizing) -> PaasPlan:
    return PaasPlan(
        kind=p.kind.value,
        service=p.service,
        tier=p.tier,
        instances=p.instances,
        vcpus=p.vcpus,
        memory_gib=p.memory_gib,
        storage_gib=p.storage_gib,
        replaces=p.replaces,
        os=p.os,
    )


def inbound_flows(
    app: str,
    incoming: Sequence[Dependency],
    decisions: Mapping[str, Decision],
    wave_of: Mapping[str, int],
    spoke_cidr: Mapping[int, str],
    onprem: Sequence[str],
    bastion_cidr: str | None,
    has_vms: bool,
) -> tuple[FlowPlan, ...]:
    """Only the flows the dependencies need: deny-by-default spokes open these and no more."""
    flows: dict[tuple[str, int], FlowPlan] = {}
    for dep in incoming:
        if dep.port is None:
            continue
        protocol: Literal["tcp", "udp"] = "udp" if dep.protocol.lower() == "udp" else "tcp"
        if decisions.get(dep.source) in ("IAAS", "PAAS") and dep.source in wave_of:
            sources = [spoke_cidr[wave_of[dep.source]]]
        elif decisions.get(dep.source) in ("RETAIN", "RETIRE"):
            sources = list(onprem)
        else:
            continue
        for cidr in sources:
            key = (cidr, dep.port)
            flows.setdefault(
                key,
                FlowPlan(
                    name=f"from-{re.sub(r'[^a-z0-9]+', '-', dep.source.lower()).strip('-')[:40]}"
                    f"-{dep.port}",
                    source_cidr=cidr,
                    port=dep.port,
                    protocol=protocol,
                    reason=f"{dep.source} -> {app} ({dep.protocol or protocol}/{dep.port})",
                ),
            )
    if has_vms and bastion_cidr:
        for port in (22, 3389):
            flows.setdefault(
                (bastion_cidr, port),
                FlowPlan(
                    name=f"bastion-{port}",
                    source_cidr=bastion_cidr,
                    port=port,
                    reason="administration through Azure Bastion only",
                ),
            )
    ordered = sorted(flows.values(), key=lambda f: (f.port, f.source_cidr, f.name))
    seen: dict[str, int] = {}
    unique = []
    for flow in ordered:  # rule names must be unique within a security group
        seen[flow.name] = seen.get(flow.name, 0) + 1
        if seen[flow.name] > 1:
            flow = flow.model_copy(update={"name": f"{flow.name}-{seen[flow.name]}"})
        unique.append(flow)
    return tuple(unique)
