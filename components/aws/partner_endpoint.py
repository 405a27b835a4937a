"""The consumer side of a private shared service: an interface endpoint in this force's VPC.

The endpoint connects to a host force's (or a partner agency's) VPC endpoint service; the host
must accept the connection. Only the service's port is open, and only from the consumers'
ranges (the VPC, or the force's estate when the endpoint sits in its hub). The
service gets a private name of this force (`<name>.share.<force>.internal`) in a private
hosted zone associated with the VPC, so applications never hard-code AWS endpoint names and
the provider's own DNS is not trusted (private_dns_enabled is off).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi_aws.ec2.outputs import VpcEndpointDnsEntry

from forcelift.components.aws.common import child
from forcelift.components.aws.network_specs import check_private_ingress
from forcelift.components.aws.tags import Tags
from forcelift.migration.naming import make_name

__all__ = ["PartnerInterfaceEndpoint", "PartnerInterfaceEndpointArgs"]

DNS_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*$")


def _regional_entry(entries: Sequence[VpcEndpointDnsEntry] | None) -> tuple[str, str]:
    """DNS name and zone of the endpoint's regional entry (the first one)."""
    if not entries:
        return "", ""
    return entries[0].dns_name or "", entries[0].hosted_zone_id or ""


@dataclass(frozen=True)
class PartnerInterfaceEndpointArgs:
    tags: Tags
    vpc_id: pulumi.Input[str]
    client_cidrs: tuple[str, ...]  # the consumers: this VPC, or the estate when in the hub
    subnet_ids: tuple[pulumi.Input[str], ...]
    service_name: pulumi.Input[str]  # com.amazonaws.vpce.<region>.vpce-svc-…
    dns_name: str  # "<name>.share.<force>.internal"
    port: int = 443
    provider: str = ""  # who provides it (for descriptions)
    # other VPCs that resolve the name (spokes, when the endpoint is in the hub)
    associated_vpc_ids: tuple[pulumi.Input[str], ...] = ()

    def __post_init__(self) -> None:
        if not self.client_cidrs:
            raise ValueError("an interface endpoint needs the consumers' ranges")
        for cidr in self.client_cidrs:
            check_private_ingress(cidr, "consumer range")
        if not DNS_NAME.match(self.dns_name):
            raise ValueError(f"private DNS name {self.dns_name!r} is not a lower-case DNS name")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"port {self.port} is out of range")
        if not self.subnet_ids:
            raise ValueError("an interface endpoint needs at least one subnet")


class PartnerInterfaceEndpoint(pulumi.ComponentResource):
    """Interface VPC endpoint + its security group + private hosted zone and alias record."""

    def __init__(
        self,
        name: str,
        args: PartnerInterfaceEndpointArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("forcelift:aws:PartnerInterfaceEndpoint", name, None, opts)
        what = f"{args.provider} shared service" if args.provider else "shared service"
        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            name=make_name("aws-security-group", name, "endpoint"),
            description=f"port {args.port} to the {what} from its consumers only",
            vpc_id=args.vpc_id,
            tags=args.tags.named(name, "endpoint"),
            opts=child(self),
        )
        for index, cidr in enumerate(sorted(args.client_cidrs)):
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-in-{index}",
                security_group_id=sg.id,
                description=f"port {args.port} from {cidr}",
                cidr_ipv4=cidr,
                ip_protocol="tcp",
                from_port=args.port,
                to_port=args.port,
                tags=args.tags.named(name, f"endpoint-in-{index}"),
                opts=child(self),
            )
        endpoint = aws.ec2.VpcEndpoint(
            f"{name}-endpoint",
            vpc_id=args.vpc_id,
            service_name=args.service_name,
            vpc_endpoint_type="Interface",
            subnet_ids=list(args.subnet_ids),
            security_group_ids=[sg.id],
            private_dns_enabled=False,
            tags=args.tags.named(name, "endpoint"),
            opts=child(self),
        )
        zone = aws.route53.Zone(
            f"{name}-zone",
            name=args.dns_name,
            comment=f"Private name of the {what} {name}",
            vpcs=[aws.route53.ZoneVpcArgs(vpc_id=args.vpc_id)],
            tags=args.tags.named(name, "zone"),
            opts=child(self, ignore_changes=["vpcs"]),
        )
        for index, vpc_id in enumerate(args.associated_vpc_ids):
            aws.route53.ZoneAssociation(
                f"{name}-zone-vpc-{index}",
                zone_id=zone.zone_id,
                vpc_id=vpc_id,
                opts=child(self),
            )
        entry = endpoint.dns_entries.apply(_regional_entry)
        aws.route53.Record(
            f"{name}-record",
            zone_id=zone.zone_id,
            name=args.dns_name,
            type="A",
            aliases=[
                aws.route53.RecordAliasArgs(
                    name=entry.apply(lambda e: e[0]),
                    zone_id=entry.apply(lambda e: e[1]),
                    evaluate_target_health=True,
                )
            ],
            opts=child(self),
        )
        self.endpoint_id = endpoint.id
        self.zone_id = zone.zone_id
        self.register_outputs(
            {"endpointId": endpoint.id, "dnsName": args.dns_name, "zoneId": zone.zone_id}
        )
