"""The AWS landing zone stack: Organization + SecurityBaseline + HubNetwork (Transit Gateway,
SSM endpoints, Site-to-Site VPN when `forcelift:onPremGatewayAddress` is set, Verified Access
for staff: user trust, and device trust when staff access is planned) + a CollaborationShare
(RAM) of the TGW per planned share + API Gateway's CloudWatch role when a wave hosts an API."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pulumi

from forcelift.components.aws.api_logging import ApiGatewayLogging, ApiGatewayLoggingArgs
from forcelift.components.aws.hub_network import (
    HubNetwork,
    HubNetworkArgs,
    VpnSpec,
)
from forcelift.components.aws.organization import AccountSpec, Organization, OrganizationArgs
from forcelift.components.aws.ram_share import CollaborationShare, CollaborationShareArgs
from forcelift.components.aws.security_baseline import SecurityBaseline, SecurityBaselineArgs
from forcelift.stacks.aws_common import aws_tags, remote_access_spec, zone_subnets
from forcelift.stacks.context import StackContext
from forcelift.stacks.specs import (
    PENDING,
    args_errors,
    on_premise_ranges,
    platform_tag_values,
)

ON_PREMISE_ASN = 65000  # only used for the customer gateway; routing is static


@dataclass(frozen=True)
class LandingZoneSpec:
    organization: OrganizationArgs
    baseline: SecurityBaselineArgs
    hub: HubNetworkArgs
    shares: tuple[tuple[str, CollaborationShareArgs], ...] = ()  # RAM shares of the TGW
    api_logging: ApiGatewayLoggingArgs | None = None  # when a wave hosts an agency API


def landing_zone_spec(ctx: StackContext) -> LandingZoneSpec:
    lz = ctx.cloud.landing_zone
    tags = aws_tags(platform_tag_values(ctx, "landing-zone", "0", "OFFICIAL-SENSITIVE", "critical"))
    domain = ctx.value("accountEmailDomain")
    force = ctx.plan.force

    def account(key: str, label: str) -> AccountSpec:
        return AccountSpec(
            key=key,
            name=f"{force.name} {label}"[:50].strip(),
            email=f"aws-{ctx.slug}-{key}@{domain}",
        )

    with args_errors(ctx, "force"):
        organization = OrganizationArgs(
            tags=tags,
            log_archive_account=account("log-archive", "log archive"),
            audit_account=account("audit", "audit"),
            shared_network_account=account("shared-network", "shared network"),
            allowed_regions=(ctx.cloud.region,),
            root_id=ctx.config.organization_root_id,
        )
    ranges = on_premise_ranges(ctx)
    vpns: tuple[VpnSpec, ...] = ()
    if ctx.config.on_prem_gateway and ranges:
        with args_errors(ctx, ctx.path("landing_zone", "connectivity")):
            vpns = (
                VpnSpec(
                    name="on-premise",
                    customer_gateway_ip=ctx.config.on_prem_gateway,
                    bgp_asn=ON_PREMISE_ASN,
                    tunnel1_preshared_key=ctx.optional_secret("vpnTunnel1Key"),
                    tunnel2_preshared_key=ctx.optional_secret("vpnTunnel2Key"),
                    static_routes=tuple(ranges),
                ),
            )
    path = ctx.path("landing_zone", "hub")
    with args_errors(ctx, path):
        hub = HubNetworkArgs(
            tags=tags,
            cidr=lz.hub.cidr,
            subnets=zone_subnets(ctx, lz.hub.subnets, ("endpoints", "private"), path),
            routed_cidrs=tuple(sorted({lz.supernet, *ranges})),
            endpoint_client_cidrs=(lz.supernet,),
            log_retention_days=lz.log_retention_days,
            vpns=vpns,
            remote_access=remote_access_spec(ctx),
        )
    shares = []
    for index, share in enumerate(ctx.cloud.sharing.ram_shares):
        with args_errors(ctx, ctx.path("sharing", "ram_shares", index)):
            shares.append(
                (
                    share.name,
                    CollaborationShareArgs(
                        tags=tags,
                        resource_arn=PENDING,
                        principals=share.principals,
                        allow_external_principals=share.allow_external_principals,
                    ),
                )
            )
    return LandingZoneSpec(
        organization=organization,
        baseline=SecurityBaselineArgs(tags=tags, organization_trail=True),
        hub=hub,
        shares=tuple(shares),
        api_logging=ApiGatewayLoggingArgs(tags=tags)
        # the waves build an API only for a service some consumer account may reach
        if any(h.api and h.allowed_accounts for h in ctx.cloud.sharing.hosted)
        else None,
    )


def declare_landing_zone(ctx: StackContext, spec: LandingZoneSpec) -> None:
    Organization("organization", spec.organization)
    SecurityBaseline("baseline", spec.baseline)
    hub = HubNetwork("hub", spec.hub)
    pulumi.export("transitGatewayId", hub.transit_gateway_id)
    pulumi.export("tgwRouteTableIds", hub.tgw_route_table_ids)
    pulumi.export("endpointZoneIds", hub.endpoint_zone_ids)
    pulumi.export("hubVpcId", hub.vpc_id)
    for name, args in spec.shares:
        CollaborationShare(name, replace(args, resource_arn=hub.transit_gateway_arn))
    if spec.api_logging is not None:
        ApiGatewayLogging("api-gateway-logging", spec.api_logging)
    # What the sharing layer reads, exported only when the plan has it (older previews keep
    # their outputs): the hub's subnets for consumed services' endpoints, and the Verified
    # Access instance for the waves' staff endpoints.
    sharing = ctx.cloud.sharing
    if sharing.consumed:
        pulumi.export("hubSubnetIds", hub.subnet_ids)
    if sharing.staff_access and hub.verified_access_instance_id is not None:
        pulumi.export("verifiedAccessInstanceId", hub.verified_access_instance_id)
