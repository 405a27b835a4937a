"""An AWS wave stack: the SpokeNetwork (first stack of a split wave only; it also holds one
security group per VM workload of that stack; later parts add theirs with
WorkloadSecurityGroups in its VPC) + IaasWorkload / PaasWorkload / SaasWorkload per workload,
then the stack's hosted services and staff access (aws_sharing.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pulumi

from forcelift.components.aws.hub_network import SSM_ENDPOINT_SERVICES
from forcelift.components.aws.iaas_workload import IaasWorkload
from forcelift.components.aws.network_specs import FlowRule, Protocol, SecurityGroupSpec
from forcelift.components.aws.paas_workload import PaasWorkload
from forcelift.components.aws.saas_workload import SaasWorkload
from forcelift.components.aws.spoke_network import (
    SpokeNetwork,
    SpokeNetworkArgs,
    WorkloadSecurityGroups,
    WorkloadSecurityGroupsArgs,
)
from forcelift.migration.naming import make_name
from forcelift.migration.plan.planfile import CloudWorkload
from forcelift.stacks.aws_common import aws_tags, zone_subnets
from forcelift.stacks.aws_sharing import (
    HostBuilt,
    HostSharingSpec,
    declare_host_sharing,
    host_sharing_spec,
)
from forcelift.stacks.aws_workloads import WorkloadSpec, workload_spec
from forcelift.stacks.context import StackContext, component_name, entry
from forcelift.stacks.specs import (
    PENDING,
    args_errors,
    first_part_reference,
    landing_zone_reference,
    wave_index,
    wave_tag_values,
)


@dataclass(frozen=True)
class WaveSpec:
    spoke_name: str
    zones: tuple[str, ...]
    security_groups: tuple[str, ...]  # names, one per VM workload of this stack
    spoke: SpokeNetworkArgs | None  # None: a later part of a split wave
    # A later part's own security groups, in the first part's VPC (None for the first part)
    later_groups: WorkloadSecurityGroupsArgs | None
    workloads: tuple[WorkloadSpec, ...]
    sharing: HostSharingSpec = field(default_factory=HostSharingSpec)  # hosted, staff access


def security_group(ctx: StackContext, index: int, workload: CloudWorkload) -> SecurityGroupSpec:
    """The servers' group: exactly the plan's inbound flows (HTTPS to the hub's endpoints is
    added by the spoke)."""
    path = ctx.path("workloads", index, "inbound")
    with args_errors(ctx, path):
        return SecurityGroupSpec(
            name=component_name(workload.application),
            description=make_name("aws-security-group", "servers of", workload.tags["application"]),
            ingress=tuple(
                FlowRule(
                    name=flow.name,
                    cidr=flow.source_cidr,
                    from_port=flow.port,
                    protocol=Protocol.UDP if flow.protocol == "udp" else Protocol.TCP,
                )
                for flow in workload.inbound
            ),
        )


def wave_spec(ctx: StackContext) -> WaveSpec:
    index = wave_index(ctx)
    plan_spoke = ctx.cloud.waves[index].spoke
    path = ctx.path("waves", index, "spoke", "subnets")
    subnets = zone_subnets(ctx, plan_spoke.subnets, ("private",), path)
    zones = tuple(s.availability_zone for s in subnets)
    everyone = ctx.wave_workloads()
    tags = aws_tags(wave_tag_values(ctx, [w for _, w in everyone]))
    # Each stack holds the groups of its own VM workloads (a split wave's later parts too).
    groups = tuple(security_group(ctx, i, w) for i, w in ctx.stack_workloads() if w.vms)
    spoke = None
    later_groups = None
    if ctx.first_part() is None:
        with args_errors(ctx, ctx.path("waves", index, "spoke")):
            spoke = SpokeNetworkArgs(
                tags=tags,
                cidr=plan_spoke.cidr,
                subnets=subnets,
                transit_gateway_id=PENDING,
                association_route_table_id=PENDING,
                propagation_route_table_ids=(PENDING,),
                endpoint_zone_ids=tuple(PENDING for _ in SSM_ENDPOINT_SERVICES),
                security_groups=groups,
                log_retention_days=ctx.cloud.landing_zone.log_retention_days,
                endpoints_cidr=ctx.cloud.landing_zone.hub.cidr,
            )
    else:
        with args_errors(ctx, ctx.path("waves", index, "spoke")):
            later_groups = WorkloadSecurityGroupsArgs(
                tags=tags,
                vpc_id=PENDING,
                security_groups=groups,
                endpoints_cidr=ctx.cloud.landing_zone.hub.cidr,
                s3_prefix_list_id=PENDING,
            )
    workloads = tuple(workload_spec(ctx, i, w, zones) for i, w in ctx.stack_workloads())
    return WaveSpec(
        spoke_name=plan_spoke.name,
        zones=zones,
        security_groups=tuple(g.name for g in groups),
        spoke=spoke,
        later_groups=later_groups,
        workloads=workloads,
        sharing=host_sharing_spec(ctx, zones),
    )


def declare_wave(ctx: StackContext, spec: WaveSpec) -> None:
    lz = landing_zone_reference(ctx)
    tables = lz.get_output("tgwRouteTableIds")
    zone_ids = lz.get_output("endpointZoneIds")
    vpc_id: pulumi.Input[str]
    subnet_ids: Mapping[str, pulumi.Input[str]]
    group_ids: Mapping[str, pulumi.Input[str]]
    if spec.spoke is not None:
        spoke = SpokeNetwork(
            spec.spoke_name,
            replace(
                spec.spoke,
                transit_gateway_id=lz.get_output("transitGatewayId"),
                association_route_table_id=entry(tables, "spokes"),
                propagation_route_table_ids=(entry(tables, "shared"),),
                endpoint_zone_ids=tuple(entry(zone_ids, s) for s in SSM_ENDPOINT_SERVICES),
            ),
        )
        vpc_id, subnet_ids, group_ids = spoke.vpc_id, spoke.subnet_ids, spoke.security_group_ids
        pulumi.export("spokeVpcId", spoke.vpc_id)
        pulumi.export("spokeSubnetIds", spoke.subnet_ids)
        pulumi.export("spokeSecurityGroupIds", spoke.security_group_ids)
        if spoke.s3_prefix_list_id is not None:
            pulumi.export("spokeS3PrefixListId", spoke.s3_prefix_list_id)
    else:
        owner = first_part_reference(ctx)
        vpc_id = owner.get_output("spokeVpcId")
        subnets = owner.get_output("spokeSubnetIds")
        subnet_ids = {z: entry(subnets, z) for z in spec.zones}
        assert spec.later_groups is not None
        own = WorkloadSecurityGroups(
            f"{spec.spoke_name}-{ctx.stack.part or 2}-groups",
            spec.spoke_name,
            replace(
                spec.later_groups,
                vpc_id=vpc_id,
                s3_prefix_list_id=owner.get_output("spokeS3PrefixListId"),
            ),
        )
        group_ids = own.security_group_ids
    ordered_subnets = tuple(subnet_ids[z] for z in spec.zones)
    iaas: dict[str, IaasWorkload] = {}
    web: dict[str, PaasWorkload] = {}
    for item in spec.workloads:
        if item.iaas is not None:
            iaas[item.name] = IaasWorkload(
                f"{item.name}-iaas",
                replace(
                    item.iaas,
                    subnet_ids={z: subnet_ids[z] for z in spec.zones},
                    security_group_ids=(group_ids[item.name],),
                ),
            )
        for n, args in enumerate(item.paas, start=1):
            paas = PaasWorkload(
                f"{item.name}-paas" if n == 1 else f"{item.name}-paas-{n}",
                replace(args, vpc_id=vpc_id, subnet_ids=ordered_subnets),
            )
            if paas.alb_arn is not None:
                web.setdefault(item.name, paas)
        if item.saas is not None:
            SaasWorkload(f"{item.name}-saas", item.saas)
    pulumi.export("workloads", {item.application: dict(item.record) for item in spec.workloads})
    declare_host_sharing(
        ctx, spec.sharing, HostBuilt(vpc_id, ordered_subnets, group_ids, iaas, web)
    )
