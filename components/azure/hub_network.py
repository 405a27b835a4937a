"""The connectivity hub every spoke peers with: firewall, Bastion, VPN gateway, private DNS.

All traffic leaving a spoke goes through Azure Firewall, which allows only HTTPS to the SaaS
destinations the plan names (everything else falls through to the firewall's implicit deny).
Staff reach servers through Bastion, never public IPs; on-premise sites and the PSN connect
over an IPsec VPN whose shared key comes from a Pulumi secret.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum

import pulumi
from pulumi_azure_native import network, privatedns, resources

from forcelift.components.azure.common import (
    AzureRegion,
    DiagnosticTarget,
    EgressDestination,
    as_secret,
    check_cidr,
    cidr_within,
    cidrs_overlap,
    require_output,
    resource_name,
    zones_for,
)
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name

DEFAULT_PRIVATE_DNS_ZONES: tuple[str, ...] = (
    "privatelink.azurewebsites.net",
    "privatelink.blob.core.windows.net",
    "privatelink.database.windows.net",
    "privatelink.postgres.database.azure.com",
    "privatelink.vaultcore.azure.net",
)


class FirewallTier(StrEnum):
    STANDARD = "Standard"
    PREMIUM = "Premium"


@dataclass(frozen=True)
class OnPremiseSite:
    """An on-premise data centre or the PSN, reached over a site-to-site IPsec VPN."""

    name: str
    gateway_address: str
    address_spaces: tuple[str, ...]
    shared_key: pulumi.Output[str] = field(compare=False)

    def __post_init__(self) -> None:
        require_output(self.shared_key, f"site {self.name}: shared_key")
        ipaddress.ip_address(self.gateway_address)
        for cidr in self.address_spaces:
            check_cidr(cidr, f"site {self.name} address space")


@dataclass(frozen=True)
class HubNetworkArgs:
    force: str
    tags: Tags
    address_space: str
    firewall_subnet: str
    bastion_subnet: str
    gateway_subnet: str
    management_subnet: str
    egress_source_cidrs: tuple[str, ...]
    location: AzureRegion = AzureRegion.UKSOUTH
    egress_allow_list: tuple[EgressDestination, ...] = ()
    on_premise_sites: tuple[OnPremiseSite, ...] = ()
    private_dns_zones: tuple[str, ...] = DEFAULT_PRIVATE_DNS_ZONES
    firewall_tier: FirewallTier = FirewallTier.STANDARD
    vpn_gateway_sku: str = "VpnGw2AZ"

    def __post_init__(self) -> None:
        check_cidr(self.address_space, "hub address space")
        seen: list[str] = []
        for what, cidr in (
            ("firewall_subnet", self.firewall_subnet),
            ("bastion_subnet", self.bastion_subnet),
            ("gateway_subnet", self.gateway_subnet),
            ("management_subnet", self.management_subnet),
        ):
            check_cidr(cidr, what)
            if not cidr_within(cidr, self.address_space):
                raise ValueError(f"{what} {cidr} is outside the hub {self.address_space}")
            if any(cidrs_overlap(cidr, other) for other in seen):
                raise ValueError(f"{what} {cidr} overlaps another hub subnet")
            seen.append(cidr)
        for cidr in self.egress_source_cidrs:
            check_cidr(cidr, "egress source")

    @property
    def firewall_private_ip(self) -> str:
        """Azure gives the firewall the first usable address of AzureFirewallSubnet (.4)."""
        return str(ipaddress.IPv4Network(self.firewall_subnet)[4])


class HubNetwork(pulumi.ComponentResource):
    resource_group_names: dict[str, pulumi.Output[str]]
    vnet_id: pulumi.Output[str]
    vnet_name: pulumi.Output[str]
    subnet_ids: dict[str, pulumi.Output[str]]
    firewall_id: pulumi.Output[str]
    firewall_private_ip: str
    bastion_id: pulumi.Output[str]
    private_dns_zone_ids: dict[str, pulumi.Output[str]]
    diagnostic_targets: tuple[DiagnosticTarget, ...]

    def __init__(
        self, name: str, args: HubNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:azure:HubNetwork", name, None, opts)
        # Declared in this order (the preview graph and its goldens follow it): resource
        # groups, VNet and subnets, firewall, Bastion, VPN gateway, private DNS zones.
        groups = self._resource_groups(name, args)
        rg = groups["connectivity"].name
        vnet, subnets = self._vnet(name, args, rg)
        firewall, firewall_pip = self._firewall(name, args, rg, subnets["AzureFirewallSubnet"])
        bastion, bastion_pip = self._bastion(name, args, rg, subnets["AzureBastionSubnet"])
        self.gateway_id: pulumi.Output[str] | None = None
        if args.on_premise_sites:
            self.gateway_id = self._vpn(name, args, rg, subnets["GatewaySubnet"])
        zone_ids = self._dns_zones(name, args, rg, vnet)

        self.resource_group_names = {concern: g.name for concern, g in groups.items()}
        self.vnet_id = vnet.id
        self.vnet_name = vnet.name
        self.subnet_ids = {key: s.id for key, s in subnets.items()}
        self.firewall_id = firewall.id
        self.firewall_private_ip = args.firewall_private_ip
        self.bastion_id = bastion.id
        self.private_dns_zone_ids = zone_ids
        self.diagnostic_targets = (
            DiagnosticTarget("firewall", firewall.id),
            DiagnosticTarget("hub-vnet", vnet.id),
            DiagnosticTarget("bastion", bastion.id),
            DiagnosticTarget("firewall-pip", firewall_pip.id),
            DiagnosticTarget("bastion-pip", bastion_pip.id),
        )
        self.register_outputs(
            {
                "resource_group_names": self.resource_group_names,
                "vnet_id": self.vnet_id,
                "vnet_name": self.vnet_name,
                "subnet_ids": self.subnet_ids,
                "firewall_id": self.firewall_id,
                "firewall_private_ip": self.firewall_private_ip,
                "bastion_id": self.bastion_id,
                "gateway_id": self.gateway_id,
                "private_dns_zone_ids": self.private_dns_zone_ids,
            }
        )

    def _resource_groups(
        self, name: str, args: HubNetworkArgs
    ) -> dict[str, resources.ResourceGroup]:
        """One resource group per concern; the hub's own resources go in `connectivity`."""
        location = str(args.location)
        return {
            concern: resources.ResourceGroup(
                f"{name}-rg-{concern}",
                resource_group_name=make_name(
                    "azure-resource-group", "rg", args.force, concern, location
                ),
                location=location,
                tags=args.tags.as_dict(),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for concern in ("connectivity", "management", "security")
        }

    def _vnet(
        self, name: str, args: HubNetworkArgs, rg: pulumi.Output[str]
    ) -> tuple[network.VirtualNetwork, dict[str, network.Subnet]]:
        """The hub VNet and its four subnets."""
        location = str(args.location)
        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            virtual_network_name=make_name("azure-vnet", "vnet", args.force, "hub", location),
            resource_group_name=rg,
            location=location,
            address_space=network.AddressSpaceArgs(address_prefixes=[args.address_space]),
            tags=args.tags.as_dict(),
            opts=pulumi.ResourceOptions(parent=self),
        )
        # Azure requires these exact subnet names. Subnets of one VNet are created one after
        # another: Azure rejects concurrent changes to the same VNet.
        subnets: dict[str, network.Subnet] = {}
        previous: list[pulumi.Resource] = []
        for subnet_name, cidr in (
            ("AzureFirewallSubnet", args.firewall_subnet),
            ("AzureBastionSubnet", args.bastion_subnet),
            ("GatewaySubnet", args.gateway_subnet),
            ("management", args.management_subnet),
        ):
            subnet = network.Subnet(
                f"{name}-{subnet_name.lower()}",
                subnet_name=subnet_name,
                resource_group_name=rg,
                virtual_network_name=vnet.name,
                address_prefix=cidr,
                default_outbound_access=False if subnet_name == "management" else None,
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous),
            )
            subnets[subnet_name] = subnet
            previous = [subnet]
        return vnet, subnets

    def _public_ip(
        self, name: str, args: HubNetworkArgs, rg: pulumi.Output[str], role: str
    ) -> network.PublicIPAddress:
        """A zone-redundant static Standard IP (firewall, Bastion, VPN gateway)."""
        location = str(args.location)
        return network.PublicIPAddress(
            f"{name}-pip-{role}",
            public_ip_address_name=resource_name(80, "pip", args.force, "hub", role),
            resource_group_name=rg,
            location=location,
            sku=network.PublicIPAddressSkuArgs(name=network.PublicIPAddressSkuName.STANDARD),
            public_ip_allocation_method=network.IPAllocationMethod.STATIC,
            zones=zones_for(args.location),
            tags=args.tags.as_dict(),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _firewall(
        self, name: str, args: HubNetworkArgs, rg: pulumi.Output[str], subnet: network.Subnet
    ) -> tuple[network.AzureFirewall, network.PublicIPAddress]:
        """The firewall policy (threat intel deny, the SaaS allow-list) and the firewall."""
        tags = args.tags.as_dict()
        location = str(args.location)
        tier = network.FirewallPolicySkuTier(str(args.firewall_tier))
        policy = network.FirewallPolicy(
            f"{name}-fw-policy",
            firewall_policy_name=resource_name(80, "afwp", args.force, "hub"),
            resource_group_name=rg,
            location=location,
            sku=network.FirewallPolicySkuArgs(tier=tier),
            threat_intel_mode=network.AzureFirewallThreatIntelMode.DENY,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        egress_rules: list[pulumi.Resource] = []
        if args.egress_allow_list:
            egress_rules.append(self._egress_rules(name, args, rg, policy))
        firewall_pip = self._public_ip(name, args, rg, "firewall")
        firewall = network.AzureFirewall(
            f"{name}-firewall",
            azure_firewall_name=resource_name(56, "afw", args.force, "hub", location),
            resource_group_name=rg,
            location=location,
            sku=network.AzureFirewallSkuArgs(
                name=network.AzureFirewallSkuName.AZF_W_V_NET,
                tier=network.AzureFirewallSkuTier(str(args.firewall_tier)),
            ),
            firewall_policy=network.SubResourceArgs(id=policy.id),
            threat_intel_mode=network.AzureFirewallThreatIntelMode.DENY,
            ip_configurations=[
                network.AzureFirewallIPConfigurationArgs(
                    name="ipconfig",
                    subnet=network.SubResourceArgs(id=subnet.id),
                    public_ip_address=network.SubResourceArgs(id=firewall_pip.id),
                )
            ],
            zones=zones_for(args.location),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=egress_rules),
        )
        return firewall, firewall_pip

    def _egress_rules(
        self,
        name: str,
        args: HubNetworkArgs,
        rg: pulumi.Output[str],
        policy: network.FirewallPolicy,
    ) -> network.FirewallPolicyRuleCollectionGroup:
        """HTTPS to each SaaS destination by FQDN; everything else meets the implicit deny."""
        return network.FirewallPolicyRuleCollectionGroup(
            f"{name}-fw-egress",
            rule_collection_group_name="saas-egress",
            firewall_policy_name=policy.name,
            resource_group_name=rg,
            priority=200,
            rule_collections=[
                network.FirewallPolicyFilterRuleCollectionArgs(
                    rule_collection_type="FirewallPolicyFilterRuleCollection",
                    name="allow-saas-https",
                    priority=200,
                    action=network.FirewallPolicyFilterRuleCollectionActionArgs(
                        type=network.FirewallPolicyFilterRuleCollectionActionType.ALLOW
                    ),
                    rules=[
                        network.ApplicationRuleArgs(
                            rule_type="ApplicationRule",
                            name=destination.name,
                            source_addresses=list(args.egress_source_cidrs),
                            target_fqdns=sorted(destination.fqdns),
                            protocols=[
                                network.FirewallPolicyRuleApplicationProtocolArgs(
                                    protocol_type=(
                                        network.FirewallPolicyRuleApplicationProtocolType.HTTPS
                                    ),
                                    port=destination.port,
                                )
                            ],
                        )
                        for destination in sorted(args.egress_allow_list, key=lambda d: d.name)
                    ],
                )
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _bastion(
        self, name: str, args: HubNetworkArgs, rg: pulumi.Output[str], subnet: network.Subnet
    ) -> tuple[network.BastionHost, network.PublicIPAddress]:
        """Bastion (Standard, tunnelling on, no shareable links): how staff reach servers."""
        location = str(args.location)
        bastion_pip = self._public_ip(name, args, rg, "bastion")
        bastion = network.BastionHost(
            f"{name}-bastion",
            bastion_host_name=resource_name(80, "bas", args.force, "hub", location),
            resource_group_name=rg,
            location=location,
            sku=network.SkuArgs(name=network.BastionHostSkuName.STANDARD),
            enable_shareable_link=False,
            enable_tunneling=True,
            ip_configurations=[
                network.BastionHostIPConfigurationArgs(
                    name="ipconfig",
                    subnet=network.SubResourceArgs(id=subnet.id),
                    public_ip_address=network.SubResourceArgs(id=bastion_pip.id),
                )
            ],
            tags=args.tags.as_dict(),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return bastion, bastion_pip

    def _dns_zones(
        self,
        name: str,
        args: HubNetworkArgs,
        rg: pulumi.Output[str],
        vnet: network.VirtualNetwork,
    ) -> dict[str, pulumi.Output[str]]:
        """The private DNS zones of private endpoints, each linked to the hub VNet."""
        tags = args.tags.as_dict()
        zone_ids: dict[str, pulumi.Output[str]] = {}
        for zone_name in sorted(args.private_dns_zones):
            zone = privatedns.PrivateZone(
                f"{name}-dns-{zone_name}",
                private_zone_name=zone_name,
                resource_group_name=rg,
                location="global",
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
            privatedns.VirtualNetworkLink(
                f"{name}-dns-link-{zone_name}",
                virtual_network_link_name=resource_name(80, "link", args.force, "hub"),
                private_zone_name=zone.name,
                resource_group_name=rg,
                location="global",
                virtual_network=privatedns.SubResourceArgs(id=vnet.id),
                registration_enabled=False,
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
            zone_ids[zone_name] = zone.id
        return zone_ids

    def _vpn(
        self,
        name: str,
        args: HubNetworkArgs,
        rg: pulumi.Output[str],
        gateway_subnet: network.Subnet,
    ) -> pulumi.Output[str]:
        """One route-based VPN gateway; a local gateway and IPsec connection per site."""
        tags = args.tags.as_dict()
        location = str(args.location)
        gateway_pip = self._public_ip(name, args, rg, "vpn-gateway")
        gateway = network.VirtualNetworkGateway(
            f"{name}-vpn-gateway",
            virtual_network_gateway_name=resource_name(80, "vgw", args.force, "hub", location),
            resource_group_name=rg,
            location=location,
            gateway_type=network.VirtualNetworkGatewayType.VPN,
            vpn_type=network.VpnType.ROUTE_BASED,
            vpn_gateway_generation=network.VpnGatewayGeneration.GENERATION2,
            sku=network.VirtualNetworkGatewaySkuArgs(
                name=args.vpn_gateway_sku, tier=args.vpn_gateway_sku
            ),
            active_active=False,
            enable_bgp=False,
            ip_configurations=[
                network.VirtualNetworkGatewayIPConfigurationArgs(
                    name="ipconfig",
                    subnet=network.SubResourceArgs(id=gateway_subnet.id),
                    public_ip_address=network.SubResourceArgs(id=gateway_pip.id),
                    private_ip_allocation_method=network.IPAllocationMethod.DYNAMIC,
                )
            ],
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        for site in sorted(args.on_premise_sites, key=lambda s: s.name):
            local = network.LocalNetworkGateway(
                f"{name}-lgw-{site.name}",
                local_network_gateway_name=resource_name(80, "lgw", args.force, site.name),
                resource_group_name=rg,
                location=location,
                gateway_ip_address=site.gateway_address,
                local_network_address_space=network.AddressSpaceArgs(
                    address_prefixes=list(site.address_spaces)
                ),
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
            network.VirtualNetworkGatewayConnection(
                f"{name}-vpn-{site.name}",
                virtual_network_gateway_connection_name=resource_name(
                    80, "cn", args.force, "hub", site.name
                ),
                resource_group_name=rg,
                location=location,
                connection_type=network.VirtualNetworkGatewayConnectionType.IPSEC,
                connection_protocol=network.VirtualNetworkGatewayConnectionProtocol.IK_EV2,
                virtual_network_gateway1=network.VirtualNetworkGatewayArgs(id=gateway.id),
                local_network_gateway2=network.LocalNetworkGatewayArgs(id=local.id),
                shared_key=as_secret(site.shared_key),
                # NCSC "PRIME"-style suite: IKEv2, AES-GCM-256, SHA-384, ECP384, PFS.
                ipsec_policies=[
                    network.IpsecPolicyArgs(
                        ike_encryption=network.IkeEncryption.GCMAES256,
                        ike_integrity=network.IkeIntegrity.SHA384,
                        dh_group=network.DhGroup.ECP384,
                        ipsec_encryption=network.IpsecEncryption.GCMAES256,
                        ipsec_integrity=network.IpsecIntegrity.GCMAES256,
                        pfs_group=network.PfsGroup.ECP384,
                        sa_life_time_seconds=27000,
                        sa_data_size_kilobytes=102400000,
                    )
                ],
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
        return gateway.id
