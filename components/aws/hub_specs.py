"""Typed args of the AWS hub: VPN links, Verified Access trust providers and published
applications, and the hub's own args (checked on construction, before any resource)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum

import pulumi

from forcelift.components.aws.network_specs import (
    FlowLogDestination,
    SubnetSpec,
    check_cidr,
    check_private_ingress,
    unique_zones,
    within,
)
from forcelift.components.aws.tags import Tags

REFERENCE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")  # a Cedar identifier (policy reference name)


def secret_output(value: pulumi.Output[str] | None, what: str) -> pulumi.Output[str] | None:
    """Secrets must arrive as Outputs (config.require_secret), never as literals in code."""
    return None if value is None else required_secret_output(value, what)


def required_secret_output(value: pulumi.Output[str], what: str) -> pulumi.Output[str]:
    if not isinstance(value, pulumi.Output):
        raise TypeError(f"{what} must be a pulumi secret Output (config.require_secret)")
    return pulumi.Output.secret(value)


@dataclass(frozen=True)
class VpnSpec:
    """A Site-to-Site VPN to an on-premise or PSN for Policing (PSNP) edge device.

    Pre-shared keys come from stack secrets; when None, AWS generates them."""

    name: str
    customer_gateway_ip: str
    bgp_asn: int
    tunnel1_preshared_key: pulumi.Output[str] | None = None
    tunnel2_preshared_key: pulumi.Output[str] | None = None
    static_routes: tuple[str, ...] = ()  # when given, static routing instead of BGP

    def __post_init__(self) -> None:
        try:
            ipaddress.IPv4Address(self.customer_gateway_ip)
        except ValueError:
            raise ValueError(
                f"VPN {self.name!r}: {self.customer_gateway_ip!r} is not an IPv4 address"
            ) from None
        if not 1 <= self.bgp_asn <= 4294967294:
            raise ValueError(f"VPN {self.name!r}: BGP ASN {self.bgp_asn} is out of range")
        for cidr in self.static_routes:
            check_cidr(cidr, f"VPN {self.name!r} static route")
        secret_output(self.tunnel1_preshared_key, f"VPN {self.name!r} tunnel 1 key")
        secret_output(self.tunnel2_preshared_key, f"VPN {self.name!r} tunnel 2 key")


class TrustProviderKind(StrEnum):
    IAM_IDENTITY_CENTER = "iam-identity-center"
    OIDC = "oidc"


class DeviceTrust(StrEnum):
    """The device trust provider the landing zone attaches (Verified Access
    device_trust_provider_type), and so what "trusted device" means in the staff policy."""

    JAMF = "jamf"
    CROWDSTRIKE = "crowdstrike"
    JUMPCLOUD = "jumpcloud"


@dataclass(frozen=True)
class DeviceTrustSpec:
    """The device-management service staff devices are enrolled in, and its tenant (the
    tenant application id Verified Access reads device posture from)."""

    kind: DeviceTrust
    tenant_id: str
    policy_reference_name: str = "device"

    def __post_init__(self) -> None:
        if not self.tenant_id.strip():
            raise ValueError(f"the {self.kind.value} device trust provider needs its tenant id")
        if not REFERENCE.match(self.policy_reference_name):
            raise ValueError(
                f"policy reference name {self.policy_reference_name!r} is not a Cedar identifier"
            )


def staff_policy(
    identity: TrustProviderKind, identity_ref: str, device: DeviceTrust, device_ref: str
) -> str:
    """Cedar: a signed-in user (verified email) on a trusted device; nothing else."""
    if identity is TrustProviderKind.OIDC:  # Entra ID sends no email_verified claim
        user = f"context.{identity_ref} has email"
    else:
        user = f"context.{identity_ref}.user.email.verified == true"
    trusted = {
        DeviceTrust.JAMF: f'["LOW", "SECURE"].contains(context.{device_ref}.risk)',
        DeviceTrust.CROWDSTRIKE: f"context.{device_ref}.assessment.overall > 50",
        DeviceTrust.JUMPCLOUD: f"context.{device_ref}.device.is_managed == true",
    }[device]
    return (
        "permit(principal, action, resource)\n"
        f"when {{\n    {user}\n    && context has {device_ref}\n    && {trusted}\n}};"
    )


@dataclass(frozen=True)
class OidcSpec:
    """An OIDC identity provider (e.g. the force's Entra ID tenant)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    user_info_endpoint: str
    client_id: str
    client_secret: pulumi.Output[str]
    scope: str = "openid email profile"

    def __post_init__(self) -> None:
        required_secret_output(self.client_secret, "OIDC client secret")
        for url in (self.issuer, self.authorization_endpoint, self.token_endpoint):
            if not url.startswith("https://"):
                raise ValueError(f"OIDC endpoint {url!r} must use https://")


@dataclass(frozen=True)
class PublishedAppSpec:
    """An internal application published to staff through Verified Access."""

    name: str
    application_domain: str
    domain_certificate_arn: str
    endpoint_domain_prefix: str
    load_balancer_arn: pulumi.Input[str]
    subnet_ids: tuple[pulumi.Input[str], ...]
    security_group_ids: tuple[pulumi.Input[str], ...]
    port: int = 443


@dataclass(frozen=True)
class RemoteAccessSpec:
    trust_provider: TrustProviderKind = TrustProviderKind.IAM_IDENTITY_CENTER
    oidc: OidcSpec | None = None
    policy_reference_name: str = "idp"
    # A device trust provider attached next to the user one (staff access needs both: the
    # staff groups' policies read `context.<device reference>`).
    device: DeviceTrustSpec | None = None
    # Cedar policy for the group. The default admits any user the identity provider signed in
    # (with an email claim; a verified email for Identity Center), so every request is
    # authenticated even before per-application policies exist. Entra ID sends no
    # email_verified claim, hence "has email" for OIDC.
    group_policy: str | None = None
    applications: tuple[PublishedAppSpec, ...] = ()

    def __post_init__(self) -> None:
        if self.trust_provider is TrustProviderKind.OIDC and self.oidc is None:
            raise ValueError("an OIDC trust provider needs oidc settings")
        if not REFERENCE.match(self.policy_reference_name):
            raise ValueError(
                f"policy reference name {self.policy_reference_name!r} is not a Cedar identifier"
            )
        if self.device is not None and (
            self.device.policy_reference_name == self.policy_reference_name
        ):
            raise ValueError("the user and device trust providers need different reference names")

    def policy(self) -> str:
        if self.group_policy:
            return self.group_policy
        ref = self.policy_reference_name
        if self.device is not None:  # identity AND device, as the staff groups
            return staff_policy(
                self.trust_provider, ref, self.device.kind, self.device.policy_reference_name
            )
        if self.trust_provider is TrustProviderKind.OIDC:
            return f"permit(principal, action, resource)\nwhen {{ context.{ref} has email }};"
        return (
            f"permit(principal, action, resource)\n"
            f"when {{ context.{ref}.user.email.verified == true }};"
        )


@dataclass(frozen=True)
class HubNetworkArgs:
    tags: Tags
    cidr: str
    subnets: tuple[SubnetSpec, ...]
    routed_cidrs: tuple[str, ...] = ()  # spokes and on-premise, reached through the TGW
    endpoint_client_cidrs: tuple[str, ...] = ()  # may use the endpoints (the spokes' range)
    amazon_side_asn: int = 64512
    flow_logs: FlowLogDestination = FlowLogDestination.CLOUDWATCH
    flow_log_bucket_arn: str | None = None
    log_retention_days: int = 365
    vpns: tuple[VpnSpec, ...] = ()
    remote_access: RemoteAccessSpec | None = None
    share_with_principals: tuple[str, ...] = ()  # org / OU ARNs or account ids (RAM share)
    protect: bool = True

    def __post_init__(self) -> None:
        check_cidr(self.cidr, "hub VPC")
        unique_zones(self.subnets, "hub")
        for subnet in self.subnets:
            if not within(subnet.cidr, self.cidr):
                raise ValueError(f"hub subnet {subnet.cidr} is outside the hub VPC {self.cidr}")
        for cidr in self.routed_cidrs:
            check_cidr(cidr, "routed CIDR")
        for cidr in self.endpoint_client_cidrs:
            check_private_ingress(cidr, "endpoint client CIDR")
        names = [v.name for v in self.vpns]
        if len(names) != len(set(names)):
            raise ValueError("VPN names must be unique")
