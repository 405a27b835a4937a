"""A workload VPC per wave or move group, attached to the hub's Transit Gateway.

Private subnets only: the only way out is the Transit Gateway (to the hub's endpoints and
on-premise); security groups carry exactly the flows the plan's dependencies need and never
allow ingress from anywhere (NCSC principles 3, 5 and 11).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from forcelift.components.aws.common import account_facts, child
from forcelift.components.aws.network_specs import (
    FlowLogDestination,
    FlowRule,
    Protocol,
    SecurityGroupSpec,
    SubnetSpec,
    check_cidr,
    unique_zones,
    within,
)
from forcelift.components.aws.tags import Tags
from forcelift.components.aws.vpc import (
    private_vpc,
    s3_gateway_endpoint,
    vpc_attachment,
    vpc_flow_logs,
)
from forcelift.migration.naming import make_name


def check_groups(endpoints_cidr: str | None, groups: tuple[SecurityGroupSpec, ...]) -> None:
    """What a spoke and a split wave's later part both check of their security groups."""
    if endpoints_cidr is not None:
        check_cidr(endpoints_cidr, "endpoints CIDR")
    names = [g.name for g in groups]
    if len(names) != len(set(names)):
        raise ValueError("security group names must be unique")


@dataclass(frozen=True)
class SpokeNetworkArgs:
    tags: Tags
    cidr: str
    subnets: tuple[SubnetSpec, ...]
    transit_gateway_id: pulumi.Input[str]  # from the landing zone's StackReference outputs
    # The hub's "spokes" table to associate with and the tables to propagate into; leave
    # empty when the network account manages attachments centrally.
    association_route_table_id: pulumi.Input[str] | None = None
    propagation_route_table_ids: tuple[pulumi.Input[str], ...] = ()
    endpoint_zone_ids: tuple[pulumi.Input[str], ...] = ()  # the hub's endpoint DNS zones
    security_groups: tuple[SecurityGroupSpec, ...] = ()
    flow_logs: FlowLogDestination = FlowLogDestination.CLOUDWATCH
    flow_log_bucket_arn: str | None = None
    log_kms_key_arn: pulumi.Input[str] | None = None  # None: the spoke gets its own key
    log_retention_days: int = 365
    s3_gateway_endpoint: bool = True
    # The hub range holding the SSM endpoints: when set, every security group may reach it on
    # 443 (and S3 through the gateway endpoint), so servers stay manageable by Session Manager.
    endpoints_cidr: str | None = None
    protect: bool = True

    def __post_init__(self) -> None:
        check_cidr(self.cidr, "spoke VPC")
        unique_zones(self.subnets, "spoke")
        for subnet in self.subnets:
            if not within(subnet.cidr, self.cidr):
                raise ValueError(f"spoke subnet {subnet.cidr} is outside the VPC {self.cidr}")
        check_groups(self.endpoints_cidr, self.security_groups)


class SpokeNetwork(pulumi.ComponentResource):
    """VPC, private subnets per zone, default route to the TGW, flow logs, security groups."""

    def __init__(
        self, name: str, args: SpokeNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:SpokeNetwork", name, None, opts)
        tags = args.tags.as_dict()
        network = private_vpc(self, name, args.cidr, args.subnets, args.tags)
        attachment = vpc_attachment(self, name, args.transit_gateway_id, network, args.tags)
        if args.association_route_table_id is not None:
            aws.ec2transitgateway.RouteTableAssociation(
                f"{name}-tgw-association",
                transit_gateway_attachment_id=attachment.id,
                transit_gateway_route_table_id=args.association_route_table_id,
                opts=child(self),
            )
        for index, table_id in enumerate(args.propagation_route_table_ids):
            aws.ec2transitgateway.RouteTablePropagation(
                f"{name}-tgw-propagation-{index}",
                transit_gateway_attachment_id=attachment.id,
                transit_gateway_route_table_id=table_id,
                opts=child(self),
            )
        aws.ec2.Route(
            f"{name}-default-route",
            route_table_id=network.route_table.id,
            destination_cidr_block="0.0.0.0/0",
            transit_gateway_id=args.transit_gateway_id,
            opts=child(self, depends_on=[attachment]),
        )

        vpc_flow_logs(self, name, network, args, args.log_kms_key_arn)
        s3_prefix_list: pulumi.Output[str] | None = None
        if args.s3_gateway_endpoint:
            # Gateway endpoints are not reachable through the TGW: each VPC needs its own.
            region = account_facts(self).apply(lambda f: f.region)
            s3_endpoint = s3_gateway_endpoint(self, name, network, region, args.tags)
            s3_prefix_list = s3_endpoint.prefix_list_id
        for index, zone_id in enumerate(args.endpoint_zone_ids):
            aws.route53.ZoneAssociation(
                f"{name}-endpoint-zone-{index}",
                zone_id=zone_id,
                vpc_id=network.vpc.id,
                opts=child(self),
            )

        groups = {
            spec.name: declare_security_group(
                self, name, spec, network.vpc.id, args.tags, args.endpoints_cidr, s3_prefix_list
            )
            for spec in args.security_groups
        }
        self.vpc_id = network.vpc.id
        self.s3_prefix_list_id = s3_prefix_list
        self.subnet_ids = {zone: s.id for zone, s in sorted(network.subnets.items())}
        self.route_table_id = network.route_table.id
        self.attachment_id = attachment.id
        self.security_group_ids = groups
        self.register_outputs(
            {
                "vpc_id": network.vpc.id,
                "subnet_ids": self.subnet_ids,
                "route_table_id": network.route_table.id,
                "tgw_attachment_id": attachment.id,
                "security_group_ids": groups,
                "tags": tags,
            }
        )


def declare_security_group(
    parent: pulumi.Resource,
    name: str,
    spec: SecurityGroupSpec,
    vpc_id: pulumi.Input[str],
    tags: Tags,
    endpoints_cidr: str | None,
    s3_prefix_list: pulumi.Input[str] | None,
) -> pulumi.Output[str]:
    """One workload's security group in the spoke VPC: the plan's inbound flows, and HTTPS out
    to the hub's SSM endpoints (and S3 through the gateway endpoint) when `endpoints_cidr` is
    set. Shared by the spoke and by the groups of a split wave's later parts."""
    label = f"{name}-sg-{spec.name}"
    group = aws.ec2.SecurityGroup(
        label,
        name=make_name("aws-security-group", name, spec.name),
        description=spec.description,
        vpc_id=vpc_id,
        tags=tags.named(name, spec.name),
        opts=child(parent),
    )
    directions: tuple[tuple[str, tuple[FlowRule, ...], Callable[..., pulumi.CustomResource]], ...]
    directions = (
        ("in", spec.ingress, aws.vpc.SecurityGroupIngressRule),
        ("out", spec.egress, aws.vpc.SecurityGroupEgressRule),
    )
    for direction, rules, rule_type in directions:
        for rule in rules:
            protocol, from_port, to_port = _ports(rule)
            rule_type(
                f"{label}-{direction}-{rule.name}",
                security_group_id=group.id,
                description=rule.name,
                cidr_ipv4=rule.cidr,
                ip_protocol=protocol,
                from_port=from_port,
                to_port=to_port,
                tags=tags.named(spec.name, direction, rule.name),
                opts=child(parent),
            )
    https_out: list[tuple[str, str, str | None, pulumi.Input[str] | None]] = []
    if endpoints_cidr is not None:
        https_out.append(
            ("ssm-endpoints", "HTTPS to the hub's SSM endpoints", endpoints_cidr, None)
        )
        if s3_prefix_list is not None:
            https_out.append(
                ("s3", "HTTPS to S3 through the gateway endpoint", None, s3_prefix_list)
            )
    for target, description, cidr, prefix_list in https_out:
        aws.vpc.SecurityGroupEgressRule(
            f"{label}-out-{target}",
            security_group_id=group.id,
            description=description,
            cidr_ipv4=cidr,
            prefix_list_id=prefix_list,
            ip_protocol="tcp",
            from_port=443,
            to_port=443,
            tags=tags.named(spec.name, "out", target),
            opts=child(parent),
        )
    return group.id


@dataclass(frozen=True)
class WorkloadSecurityGroupsArgs:
    tags: Tags
    vpc_id: pulumi.Input[str]  # the spoke VPC (a stack reference to the wave's first part)
    security_groups: tuple[SecurityGroupSpec, ...]
    endpoints_cidr: str | None = None
    s3_prefix_list_id: pulumi.Input[str] | None = None

    def __post_init__(self) -> None:
        check_groups(self.endpoints_cidr, self.security_groups)


class WorkloadSecurityGroups(pulumi.ComponentResource):
    """Security groups for the workloads of a later part of a split wave, in the VPC the first
    part owns. Each stack holds its own workloads' groups, so the first part does not grow
    with the size of its wave."""

    def __init__(
        self,
        name: str,
        spoke_name: str,
        args: WorkloadSecurityGroupsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("forcelift:aws:WorkloadSecurityGroups", name, None, opts)
        self.security_group_ids = {
            spec.name: declare_security_group(
                self,
                spoke_name,
                spec,
                args.vpc_id,
                args.tags,
                args.endpoints_cidr,
                args.s3_prefix_list_id,
            )
            for spec in args.security_groups
        }
        self.register_outputs({"security_group_ids": self.security_group_ids})


def _ports(rule: FlowRule) -> tuple[str, int | None, int | None]:
    """ip_protocol and port range as the VPC rule resources take them (-1 has no ports)."""
    if rule.protocol is Protocol.ALL:
        return "-1", None, None
    if rule.protocol is Protocol.ICMP:
        return "icmp", -1, -1
    return rule.protocol.value, rule.from_port, rule.last_port
