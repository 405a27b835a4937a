"""How many resources a workload adds to its stack: what keeps stacks under their bound.

The counts are what the stack components declare for each part of a workload, read from the
offline previews of the sample and of a 100,000-server synthetic estate; a test compares them
with real previews (tests/stacks/test_footprint.py), so a component that grows fails it
instead of silently overfilling stacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forcelift.migration.clouds import Cloud
from forcelift.migration.plan.planfile import CloudWorkload


@dataclass(frozen=True)
class Footprint:
    iaas_base: int  # the IaaS component and what it always creates (resource group, key)
    per_vm: int  # VM/instance and its NIC (the OS disk is part of the VM)
    per_data_disk: int  # managed disk / EBS volume (+ attachment on AWS)
    backup_base: int  # vault and policy (Azure); vault, plan, role, selection (AWS)
    backup_per_vm: int  # protected item (Azure); AWS selects by tag
    paas_base: int  # the PaaS component, its resource group or key
    paas: Mapping[str, int]  # per platform service kind
    web_to_database: int  # security-group rules between a web app and its database
    saas: int  # the SaaS component (egress rules ride on the hub)
    spoke: int  # the wave's spoke at its largest (first part of a wave only)
    # A VM workload's own security group in its stack (AWS): group, SSM and S3 egress, plus
    # one ingress rule per inbound flow. Azure puts flows in the subnets' NSGs (inline rules).
    group_base: int
    group_per_flow: int


FOOTPRINTS: Mapping[Cloud, Footprint] = {
    Cloud.AZURE: Footprint(
        iaas_base=2,
        per_vm=2,
        per_data_disk=1,
        backup_base=2,
        backup_per_vm=1,
        paas_base=2,
        paas={
            "web_app": 5,  # plan, app, private endpoint + DNS group, diagnostics
            "sql_managed_instance": 1,
            "sql_server": 5,  # server, database, private endpoint + DNS group, diagnostics
            "postgresql": 4,  # server, two configurations, diagnostics
            "object_storage": 3,  # account, private endpoint + DNS group
            "file_storage": 3,
            "mysql": 0,  # no MySQL component yet: the program notes it
            "oracle": 0,
        },
        web_to_database=0,
        saas=1,
        spoke=16,  # VNet, peerings, route table, resource group, 5 subnets with their NSGs
        group_base=0,
        group_per_flow=0,
    ),
    Cloud.AWS: Footprint(
        iaas_base=7,
        per_vm=1,
        per_data_disk=2,
        backup_base=6,
        backup_per_vm=0,
        paas_base=3,
        paas={
            "web_app": 15,  # Beanstalk or Fargate with its roles, groups and rules
            "sql_server": 4,  # RDS instance, parameter and subnet groups, security group
            "postgresql": 4,
            "mysql": 4,
            "oracle": 4,
            "object_storage": 6,
            "file_storage": 6,
        },
        web_to_database=3,
        saas=1,
        spoke=25,  # VPC, subnets, routes, TGW attachment, endpoints, flow logs and key
        group_base=3,
        group_per_flow=1,
    ),
}


def _paas_kind(kind: str, service: str) -> str:
    if kind == "sql_server" and "managed instance" in service.lower():
        return "sql_managed_instance"
    return kind


def workload_resources(cloud: Cloud, workload: CloudWorkload) -> int:
    """Resources the workload's components declare (estimate; exact for IaaS)."""
    fp = FOOTPRINTS[cloud]
    total = 0
    if workload.vms:
        vms = len(workload.vms)
        data_disks = sum(max(0, len(vm.disks) - 1) for vm in workload.vms)
        total += fp.iaas_base + fp.per_vm * vms + fp.per_data_disk * data_disks
        if workload.backup:
            total += fp.backup_base + fp.backup_per_vm * vms
        total += fp.group_base + fp.group_per_flow * len(workload.inbound)
    if workload.paas:
        kinds = {_paas_kind(p.kind, p.service) for p in workload.paas}
        total += fp.paas_base + sum(fp.paas.get(k, 4) for k in kinds)
        if "web_app" in kinds and kinds & {"sql_server", "postgresql", "mysql", "oracle"}:
            total += fp.web_to_database
    if workload.saas is not None:
        total += fp.saas
    return total
