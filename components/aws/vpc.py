"""The private VPC the hub and every spoke start from, and how each joins the Transit Gateway.

One shape for both: DNS on, the default security group emptied (CIS 5.4), one route table,
one private subnet per zone (no public IPs), an attachment without the TGW's default tables,
flow logs, and an S3 gateway endpoint (gateway endpoints are not reachable through the TGW). `label`
names the network in its `Name` tags ("hub" for the hub; nothing for a spoke).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pulumi
import pulumi_aws as aws

from forcelift.components.aws.common import child
from forcelift.components.aws.flow_logs import FlowLogs, FlowLogsArgs
from forcelift.components.aws.network_specs import FlowLogDestination, SubnetSpec
from forcelift.components.aws.tags import Tags


@dataclass(frozen=True)
class PrivateVpc:
    vpc: aws.ec2.Vpc
    route_table: aws.ec2.RouteTable
    subnets: dict[str, aws.ec2.Subnet]  # by availability zone

    @property
    def subnet_ids(self) -> list[pulumi.Output[str]]:
        """Subnet ids in zone order (what attachments and endpoints take)."""
        return [self.subnets[z].id for z in sorted(self.subnets)]


def private_vpc(
    parent: pulumi.Resource,
    name: str,
    cidr: str,
    subnets: Sequence[SubnetSpec],
    tags: Tags,
    *label: str,
) -> PrivateVpc:
    """VPC, closed default security group, route table, per-zone subnets and associations."""
    vpc = aws.ec2.Vpc(
        f"{name}-vpc",
        cidr_block=cidr,
        enable_dns_hostnames=True,
        enable_dns_support=True,
        tags=tags.named(name, *label),
        opts=child(parent),
    )
    # The default security group allows all traffic between members: empty it (CIS 5.4).
    aws.ec2.DefaultSecurityGroup(
        f"{name}-default-sg",
        vpc_id=vpc.id,
        ingress=[],
        egress=[],
        tags=tags.named(name, "default", "closed"),
        opts=child(parent),
    )
    route_table = aws.ec2.RouteTable(
        f"{name}-routes", vpc_id=vpc.id, tags=tags.named(name, *label), opts=child(parent)
    )
    by_zone: dict[str, aws.ec2.Subnet] = {}
    for spec in subnets:
        subnet = aws.ec2.Subnet(
            f"{name}-subnet-{spec.availability_zone}",
            vpc_id=vpc.id,
            cidr_block=spec.cidr,
            availability_zone=spec.availability_zone,
            map_public_ip_on_launch=False,
            tags=tags.named(name, *label, spec.availability_zone),
            opts=child(parent),
        )
        aws.ec2.RouteTableAssociation(
            f"{name}-subnet-{spec.availability_zone}-routes",
            subnet_id=subnet.id,
            route_table_id=route_table.id,
            opts=child(parent),
        )
        by_zone[spec.availability_zone] = subnet
    return PrivateVpc(vpc=vpc, route_table=route_table, subnets=by_zone)


def vpc_attachment(
    parent: pulumi.Resource,
    name: str,
    transit_gateway_id: pulumi.Input[str],
    network: PrivateVpc,
    tags: Tags,
    *label: str,
) -> aws.ec2transitgateway.VpcAttachment:
    """The VPC's TGW attachment; route tables are associated explicitly by the caller."""
    return aws.ec2transitgateway.VpcAttachment(
        f"{name}-tgw-attachment",
        transit_gateway_id=transit_gateway_id,
        vpc_id=network.vpc.id,
        subnet_ids=network.subnet_ids,
        dns_support="enable",
        transit_gateway_default_route_table_association=False,
        transit_gateway_default_route_table_propagation=False,
        tags=tags.named(name, *label, "attachment"),
        opts=child(parent),
    )


def s3_gateway_endpoint(
    parent: pulumi.Resource,
    name: str,
    network: PrivateVpc,
    region: pulumi.Output[str],
    tags: Tags,
) -> aws.ec2.VpcEndpoint:
    """S3 through the VPC's route table: each VPC needs its own (not reachable via the TGW)."""
    return aws.ec2.VpcEndpoint(
        f"{name}-endpoint-s3",
        vpc_id=network.vpc.id,
        service_name=pulumi.Output.concat("com.amazonaws.", region, ".s3"),
        vpc_endpoint_type="Gateway",
        route_table_ids=[network.route_table.id],
        tags=tags.named(name, "s3"),
        opts=child(parent),
    )


class FlowLogSettings(Protocol):
    """What the hub's and the spoke's args say about their flow logs."""

    @property
    def tags(self) -> Tags: ...
    @property
    def flow_logs(self) -> FlowLogDestination: ...
    @property
    def flow_log_bucket_arn(self) -> str | None: ...
    @property
    def log_retention_days(self) -> int: ...
    @property
    def protect(self) -> bool: ...


def vpc_flow_logs(
    parent: pulumi.Resource,
    name: str,
    network: PrivateVpc,
    settings: FlowLogSettings,
    kms_key_arn: pulumi.Input[str] | None,
) -> FlowLogs:
    """The VPC's flow logs (NCSC principle 10: audit information), encrypted with the key."""
    return FlowLogs(
        f"{name}-flow-logs",
        FlowLogsArgs(
            tags=settings.tags,
            vpc_id=network.vpc.id,
            destination=settings.flow_logs,
            bucket_arn=settings.flow_log_bucket_arn,
            kms_key_arn=kms_key_arn,
            retention_days=settings.log_retention_days,
            protect=settings.protect,
        ),
        opts=child(parent),
    )
