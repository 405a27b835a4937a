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
from forcelift.migration.plan.planfile import CloudPlan, CloudWorkload, StackPlan


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


@dataclass(frozen=True)
class SharingFootprint:
    """What the sharing and staff access components declare (read off their mock-runtime
    previews like the workload parts above; tests/stacks/test_footprint.py checks them)."""

    hosted: int  # per hosted service, its first target: Azure SharedService (resource group,
    # internal LB, Private Link service, diagnostics); AWS SharedEndpointService (NLB, group and
    # rules, target group, TLS listener, endpoint service, its log bucket with key)
    hosted_per_target: int  # AWS: one target-group attachment per server (Azure: inline pool)
    api: int  # an agency API on top: Azure API Management (service, API, policy, logger,
    # diagnostic, diagnostics); AWS private REST API (+ logs key) and its execute-api endpoint
    staff_base: int  # per wave stack with staff access: Front Door profile, WAF policy and
    # security policy, diagnostics, resource group / Verified Access group and security group
    staff_per_app: int  # endpoint, custom domain, origin group, origin, route / ACM
    # certificate, Verified Access endpoint, ingress and egress rule
    staff_web_app: int  # Azure: App Service authentication of a fronted web app
    staff_servers: int  # Azure: the Private Link service Front Door reaches servers through
    per_consumed: int  # sharing stack, per consumed service: private endpoint, zone, record,
    # link (+ resource group) / interface endpoint, group and rule, zone and record
    per_consumed_spoke: int  # AWS: the zone is associated with every wave's spoke VPC


SHARING_FOOTPRINTS: Mapping[Cloud, SharingFootprint] = {
    Cloud.AZURE: SharingFootprint(
        hosted=5,
        hosted_per_target=0,
        api=8,
        staff_base=6,
        staff_per_app=5,
        staff_web_app=1,
        staff_servers=5,
        per_consumed=6,
        per_consumed_spoke=0,
    ),
    Cloud.AWS: SharingFootprint(
        hosted=19,
        hosted_per_target=1,
        api=19,
        staff_base=3,
        staff_per_app=4,
        staff_web_app=0,
        staff_servers=0,
        per_consumed=6,
        per_consumed_spoke=1,
    ),
}


def _web_app(workload: CloudWorkload) -> bool:
    return any(p.kind == "web_app" for p in workload.paas)


def wave_sharing_resources(cloud: Cloud, plan: CloudPlan, stack: str) -> int:
    """Resources the host side of sharing and staff access add to one wave stack: its hosted
    services (with their agency APIs) and the staff access to its applications."""
    return wave_sharing_by_stack(cloud, plan).get(stack, 0)


def wave_sharing_by_stack(cloud: Cloud, plan: CloudPlan) -> dict[str, int]:
    """wave stack -> what `wave_sharing_resources` counts, in one pass over the plan (a large
    estate has hundreds of stacks: one pass each would be quadratic)."""
    fp = SHARING_FOOTPRINTS[cloud]
    by_app = {w.application: w for w in plan.workloads}
    totals: dict[str, int] = {}
    for service in plan.sharing.hosted:
        workload = by_app.get(service.application)
        if workload is None:
            continue
        if cloud is Cloud.AWS and not service.allowed_accounts:
            continue  # nobody could be allowed: the stack notes it and builds nothing
        targets = len(workload.vms) or 1  # the servers, else the web app's load balancer
        size = fp.hosted + fp.hosted_per_target * (targets - 1) + (fp.api if service.api else 0)
        totals[service.stack] = totals.get(service.stack, 0) + size
    fronted: dict[str, int] = {}
    for access in plan.sharing.staff_access:
        workload = by_app.get(access.application)
        if workload is None or not (workload.vms or _web_app(workload)):
            continue
        size = fp.staff_per_app + (fp.staff_web_app if _web_app(workload) else fp.staff_servers)
        fronted[access.stack] = fronted.get(access.stack, 0) + size
    for stack, size in fronted.items():
        totals[stack] = totals.get(stack, 0) + fp.staff_base + size
    return totals


def sharing_stack_resources(cloud: Cloud, plan: CloudPlan, stack: str) -> int:
    """Resources of a `<force>-<cloud>-sharing` stack: one private endpoint (and its private
    DNS) per service it consumes."""
    fp = SHARING_FOOTPRINTS[cloud]
    spokes = sum(1 for w in plan.waves if w.stacks)
    consumed = sum(1 for c in plan.sharing.consumed if c.stack == stack)
    return consumed * (fp.per_consumed + fp.per_consumed_spoke * spokes)


def stack_resources(cloud: Cloud, plan: CloudPlan, stack: StackPlan) -> int | None:
    """A wave or sharing stack's estimate with sharing counted (None for a landing zone, whose
    estimate is fixed): what `estimated_resources` should say once the plan's sharing and
    staff access are known."""
    if stack.layer == "sharing":
        return sharing_stack_resources(cloud, plan, stack.name)
    if stack.layer != "wave":
        return None
    members = [w for w in plan.workloads if w.stack == stack.name]
    return (
        FOOTPRINTS[cloud].spoke  # every part, as the splitter counts it (cloud_plan.py)
        + sum(workload_resources(cloud, w) for w in members)
        + wave_sharing_resources(cloud, plan, stack.name)
    )


def with_sharing_estimates(plan: CloudPlan) -> CloudPlan:
    """The cloud plan with its wave and sharing stacks re-counted for sharing and staff
    access (call once CloudPlan.sharing is complete): `stack_resources` for every stack, in
    one pass over the workloads."""
    cloud = Cloud(plan.cloud)
    members: dict[str, int] = {}
    for workload in plan.workloads:
        members[workload.stack] = members.get(workload.stack, 0) + workload_resources(
            cloud, workload
        )
    sharing = wave_sharing_by_stack(cloud, plan)
    stacks = []
    for stack in plan.stacks:
        estimate = None
        if stack.layer == "sharing":
            estimate = sharing_stack_resources(cloud, plan, stack.name)
        elif stack.layer == "wave":
            estimate = (
                FOOTPRINTS[cloud].spoke + members.get(stack.name, 0) + sharing.get(stack.name, 0)
            )
        if estimate is not None and estimate != stack.estimated_resources:
            stack = stack.model_copy(update={"estimated_resources": estimate})
        stacks.append(stack)
    return plan.model_copy(update={"stacks": tuple(stacks)})
