"""Zero-trust access for staff to moving web applications: AWS Verified Access endpoints.

Each application gets an endpoint on the landing zone's Verified Access instance, under a group
whose Cedar policy admits a request only when the user signed in at the force's identity
provider AND the device is trusted (managed, low risk): identity and device are checked on every
request, without a network VPN (NCSC principles 9, 10 and 11; zero-trust architecture). The
instance, its trust providers and its access logs belong to the landing zone (HubNetwork); this
component adds the group, one TLS certificate and endpoint per application and the security
group the endpoints use, which may reach only the application's port.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import pulumi
import pulumi_aws as aws

from forcelift.components.aws.common import child
from forcelift.components.aws.hub_specs import (
    REFERENCE,
    DeviceTrust,
    TrustProviderKind,
    staff_policy,
)
from forcelift.components.aws.network_specs import check_private_ingress
from forcelift.components.aws.tags import Tags
from forcelift.migration.naming import make_name, shorten

__all__ = [
    "DeviceTrust",
    "EndpointKind",
    "StaffAccessEndpoint",
    "StaffAccessEndpointArgs",
    "StaffAppSpec",
    "staff_policy",
]

HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


class EndpointKind(StrEnum):
    NETWORK_INTERFACE = "network-interface"  # an EC2 server's primary ENI (IaaS)
    LOAD_BALANCER = "load-balancer"  # the workload's internal ALB


@dataclass(frozen=True)
class StaffAppSpec:
    """One application published to staff."""

    name: str  # short, used in resource names and the endpoint domain prefix
    hostname: str  # the staff URL host ("rms.exampleshire.staff.police.uk")
    endpoint_type: EndpointKind
    port: int = 443
    network_interface_id: pulumi.Input[str] | None = None  # NETWORK_INTERFACE
    load_balancer_arn: pulumi.Input[str] | None = None  # LOAD_BALANCER
    subnet_ids: tuple[pulumi.Input[str], ...] = ()  # LOAD_BALANCER: the ALB's subnets
    target_security_group_id: pulumi.Input[str] | None = None  # opened to the endpoint only

    def __post_init__(self) -> None:
        if not HOSTNAME.match(self.hostname):
            raise ValueError(f"staff hostname {self.hostname!r} is not a lower-case DNS name")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"port {self.port} is out of range")
        if self.endpoint_type is EndpointKind.NETWORK_INTERFACE and (
            self.network_interface_id is None
        ):
            raise ValueError(f"{self.name}: a network-interface endpoint needs the server's ENI")
        if self.endpoint_type is EndpointKind.LOAD_BALANCER and (
            self.load_balancer_arn is None or not self.subnet_ids
        ):
            raise ValueError(f"{self.name}: a load-balancer endpoint needs the ALB and subnets")


@dataclass(frozen=True)
class StaffAccessEndpointArgs:
    tags: Tags
    instance_id: pulumi.Input[str]  # the landing zone's Verified Access instance
    vpc_id: pulumi.Input[str]
    vpc_cidr: str  # where the applications are (the endpoints' egress)
    applications: tuple[StaffAppSpec, ...]
    identity: TrustProviderKind = TrustProviderKind.IAM_IDENTITY_CENTER
    identity_reference: str = "idp"  # the user trust provider's policy reference name
    device: DeviceTrust = DeviceTrust.JAMF
    device_reference: str = "device"  # the device trust provider's policy reference name

    def __post_init__(self) -> None:
        if not self.applications:
            raise ValueError("staff access needs at least one application")
        names = [a.name for a in self.applications]
        if len(names) != len(set(names)):
            raise ValueError("staff applications must have unique names")
        hosts = [a.hostname for a in self.applications]
        if len(hosts) != len(set(hosts)):
            raise ValueError("staff hostnames must be unique")
        for ref in (self.identity_reference, self.device_reference):
            if not REFERENCE.match(ref):
                raise ValueError(f"policy reference name {ref!r} is not a Cedar identifier")
        check_private_ingress(self.vpc_cidr, "staff access VPC")

    def policy(self) -> str:
        return staff_policy(
            self.identity, self.identity_reference, self.device, self.device_reference
        )


class StaffAccessEndpoint(pulumi.ComponentResource):
    """Verified Access group (identity + device policy), per application an ACM certificate,
    an endpoint and its security-group rules."""

    def __init__(
        self, name: str, args: StaffAccessEndpointArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:StaffAccessEndpoint", name, None, opts)
        tags = args.tags.as_dict()
        group = aws.verifiedaccess.Group(
            f"{name}-group",
            verifiedaccess_instance_id=args.instance_id,
            description=f"{name}: staff applications (identity and device trust)",
            policy_document=args.policy(),
            tags=tags,
            opts=child(self),
        )
        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            name=make_name("aws-security-group", name, "verified-access"),
            description="Verified Access endpoints: only to the applications' ports",
            vpc_id=args.vpc_id,
            tags=args.tags.named(name, "verified-access"),
            opts=child(self),
        )
        domains: dict[str, pulumi.Output[str]] = {}
        for app in args.applications:
            self._rules(name, app, sg, args)
            certificate = aws.acm.Certificate(
                f"{name}-{app.name}-cert",
                domain_name=app.hostname,
                validation_method="DNS",
                key_algorithm="RSA_2048",
                tags=tags,
                opts=child(self),
            )
            endpoint = aws.verifiedaccess.Endpoint(
                f"{name}-{app.name}",
                description=f"{app.name} for staff",
                verified_access_group_id=group.id,
                attachment_type="vpc",
                endpoint_type=app.endpoint_type.value,
                application_domain=app.hostname,
                domain_certificate_arn=certificate.arn,
                endpoint_domain_prefix=shorten(app.name, 19),
                security_group_ids=[sg.id],
                network_interface_options=self._eni(app),
                load_balancer_options=self._alb(app),
                tags=tags,
                opts=child(self),
            )
            domains[app.name] = endpoint.endpoint_domain
        self.group_id = group.id
        self.endpoint_domains = domains
        self.register_outputs({"groupId": group.id, "endpointDomains": domains})

    def _rules(
        self, name: str, app: StaffAppSpec, sg: aws.ec2.SecurityGroup, args: StaffAccessEndpointArgs
    ) -> None:
        """The endpoint may reach the application's port in its VPC, and the application
        accepts that port from the endpoint only."""
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-{app.name}-out",
            security_group_id=sg.id,
            description=f"{app.name} port {app.port}",
            cidr_ipv4=args.vpc_cidr,
            ip_protocol="tcp",
            from_port=app.port,
            to_port=app.port,
            tags=args.tags.named(name, app.name, "out"),
            opts=child(self),
        )
        if app.target_security_group_id is not None:
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-{app.name}-in",
                security_group_id=app.target_security_group_id,
                description=f"port {app.port} from Verified Access",
                referenced_security_group_id=sg.id,
                ip_protocol="tcp",
                from_port=app.port,
                to_port=app.port,
                tags=args.tags.named(name, app.name, "in"),
                opts=child(self),
            )

    @staticmethod
    def _eni(app: StaffAppSpec) -> aws.verifiedaccess.EndpointNetworkInterfaceOptionsArgs | None:
        if app.endpoint_type is not EndpointKind.NETWORK_INTERFACE:
            return None
        return aws.verifiedaccess.EndpointNetworkInterfaceOptionsArgs(
            network_interface_id=app.network_interface_id, port=app.port, protocol="https"
        )

    @staticmethod
    def _alb(app: StaffAppSpec) -> aws.verifiedaccess.EndpointLoadBalancerOptionsArgs | None:
        if app.endpoint_type is not EndpointKind.LOAD_BALANCER:
            return None
        return aws.verifiedaccess.EndpointLoadBalancerOptionsArgs(
            load_balancer_arn=app.load_balancer_arn,
            port=app.port,
            protocol="https",
            subnet_ids=list(app.subnet_ids),
        )
