"""The Azure landing zone stack: ManagementGroups + HubNetwork + Management.

The hub's firewall egress allow-list comes from `landing_zone.saas_egress`; a VPN site is
added when `forcelift:onPremGatewayAddress` is set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pulumi

from forcelift.components.azure.common import DiagnosticTarget, EgressDestination
from forcelift.components.azure.hub_network import (
    HubNetwork,
    HubNetworkArgs,
    OnPremiseSite,
)
from forcelift.components.azure.management import Management, ManagementArgs
from forcelift.components.azure.management_groups import ManagementGroups, ManagementGroupsArgs
from forcelift.stacks.azure_common import azure_tags, region_of
from forcelift.stacks.context import StackContext, component_name
from forcelift.stacks.specs import PENDING, args_errors, on_premise_ranges, platform_tag_values

VAULT_ZONE = "privatelink.vaultcore.azure.net"
HUB_SUBNETS = ("AzureFirewallSubnet", "AzureBastionSubnet", "GatewaySubnet", "management")


@dataclass(frozen=True)
class LandingZoneSpec:
    groups: ManagementGroupsArgs
    hub: HubNetworkArgs
    management: ManagementArgs


def landing_zone_spec(ctx: StackContext) -> LandingZoneSpec:
    lz = ctx.cloud.landing_zone
    region = region_of(ctx)
    subnets = {s.name: s.cidr for s in lz.hub.subnets}
    missing = [name for name in HUB_SUBNETS if name not in subnets]
    if missing:
        raise ctx.error(
            ctx.path("landing_zone", "hub", "subnets"), f"hub subnets missing: {missing}"
        )
    tags = azure_tags(
        platform_tag_values(ctx, "landing-zone", "0", "OFFICIAL-SENSITIVE", "critical")
    )
    egress: dict[str, EgressDestination] = {}
    for index, rule in enumerate(lz.saas_egress):
        with args_errors(ctx, ctx.path("landing_zone", "saas_egress", index)):
            name = component_name(rule.application)
            egress.setdefault(name, EgressDestination(name=name, fqdns=tuple(rule.fqdns)))
    sites: tuple[OnPremiseSite, ...] = ()
    gateway = ctx.config.on_prem_gateway
    ranges = on_premise_ranges(ctx)
    if gateway and ranges:
        with args_errors(ctx, ctx.path("landing_zone", "connectivity")):
            sites = (
                OnPremiseSite(
                    name="on-premise",
                    gateway_address=gateway,
                    address_spaces=tuple(ranges),
                    shared_key=ctx.secret("vpnSharedKey"),
                ),
            )
    with args_errors(ctx, ctx.path("landing_zone", "hub")):
        hub = HubNetworkArgs(
            force=ctx.slug,
            tags=tags,
            address_space=lz.hub.cidr,
            firewall_subnet=subnets["AzureFirewallSubnet"],
            bastion_subnet=subnets["AzureBastionSubnet"],
            gateway_subnet=subnets["GatewaySubnet"],
            management_subnet=subnets["management"],
            egress_source_cidrs=(lz.supernet,),
            location=region,
            egress_allow_list=tuple(egress[k] for k in sorted(egress)),
            on_premise_sites=sites,
        )
    with args_errors(ctx, ctx.path("landing_zone", "log_retention_days")):
        management = ManagementArgs(
            force=ctx.slug,
            tags=tags,
            management_resource_group=PENDING,
            security_resource_group=PENDING,
            location=region,
            log_retention_days=lz.log_retention_days,
            unique_seed=ctx.slug,
        )
    groups = ManagementGroupsArgs(force=ctx.slug, display_name=ctx.plan.force.name, location=region)
    return LandingZoneSpec(groups=groups, hub=hub, management=management)


def declare_landing_zone(ctx: StackContext, spec: LandingZoneSpec) -> None:
    groups = ManagementGroups("management-groups", spec.groups)
    hub = HubNetwork("hub", spec.hub)
    management = Management(
        "management",
        replace(
            spec.management,
            management_resource_group=hub.resource_group_names["management"],
            security_resource_group=hub.resource_group_names["security"],
            diagnostic_targets=(
                *hub.diagnostic_targets,
                *((DiagnosticTarget("vpn-gateway", hub.gateway_id),) if hub.gateway_id else ()),
            ),
            private_endpoint_subnet_id=hub.subnet_ids["management"],
            key_vault_dns_zone_id=hub.private_dns_zone_ids.get(VAULT_ZONE),
        ),
    )
    pulumi.export("hubVnetId", hub.vnet_id)
    pulumi.export("hubVnetName", hub.vnet_name)
    pulumi.export("hubResourceGroup", hub.resource_group_names["connectivity"])
    pulumi.export("firewallPrivateIp", hub.firewall_private_ip)
    pulumi.export("privateDnsZoneIds", hub.private_dns_zone_ids)
    pulumi.export("logAnalyticsWorkspaceId", management.workspace_id)
    pulumi.export("keyVaultName", management.key_vault_name)
    pulumi.export("managementGroupIds", groups.group_ids)
