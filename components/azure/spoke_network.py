"""A spoke virtual network for one wave or move group, peered to the hub.

Each subnet gets its own NSG that denies all inbound traffic except the flows the plan's
dependencies need, and a route table that sends everything else to the hub firewall, so a
compromised server can reach neither the internet nor other spokes unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pulumi
from pulumi_azure_native import network, resources

from forcelift.components.azure.common import (
    AzureRegion,
    FlowRule,
    Protocol,
    check_cidr,
    cidr_within,
    cidrs_overlap,
    resource_name,
)
from forcelift.components.azure.tags import Tags
from forcelift.migration.naming import make_name

FIRST_RULE_PRIORITY = 100
RULE_PRIORITY_STEP = 10
DENY_ALL_PRIORITY = 4096  # the lowest priority a user rule can have


class SubnetPurpose(StrEnum):
    WORKLOAD = "workload"
    PRIVATE_ENDPOINTS = "private-endpoints"
    APP_SERVICE = "app-service"
    POSTGRES = "postgres"
    SQL_MANAGED_INSTANCE = "sql-managed-instance"
    API_MANAGEMENT = "api-management"  # API Management alone (internal VNet mode, no delegation)


DELEGATIONS: dict[SubnetPurpose, str] = {
    SubnetPurpose.APP_SERVICE: "Microsoft.Web/serverFarms",
    SubnetPurpose.POSTGRES: "Microsoft.DBforPostgreSQL/flexibleServers",
    SubnetPurpose.SQL_MANAGED_INSTANCE: "Microsoft.Sql/managedInstances",
}


@dataclass(frozen=True)
class SpokeSubnet:
    name: str
    cidr: str
    purpose: SubnetPurpose = SubnetPurpose.WORKLOAD
    inbound: tuple[FlowRule, ...] = ()
    #: the subnet holds a Private Link service's NAT addresses (a SharedService): Azure refuses
    #: to create the service unless its network policies are disabled on the subnet
    private_link_service: bool = False


@dataclass(frozen=True)
class SpokeNetworkArgs:
    force: str
    name: str
    tags: Tags
    address_space: str
    subnets: tuple[SpokeSubnet, ...]
    hub_vnet_id: pulumi.Input[str] = field(compare=False)
    hub_vnet_name: pulumi.Input[str] = field(compare=False)
    hub_resource_group: pulumi.Input[str] = field(compare=False)
    firewall_private_ip: pulumi.Input[str] = field(compare=False)
    location: AzureRegion = AzureRegion.UKSOUTH
    use_hub_gateway: bool = False

    def __post_init__(self) -> None:
        check_cidr(self.address_space, f"spoke {self.name}")
        seen: list[str] = []
        names = [s.name for s in self.subnets]
        if len(set(names)) != len(names):
            raise ValueError(f"spoke {self.name}: subnet names repeat: {sorted(names)}")
        max_rules = (DENY_ALL_PRIORITY - FIRST_RULE_PRIORITY) // RULE_PRIORITY_STEP
        for subnet in self.subnets:
            check_cidr(subnet.cidr, f"subnet {subnet.name}")
            if not cidr_within(subnet.cidr, self.address_space):
                raise ValueError(
                    f"subnet {subnet.name} {subnet.cidr} is outside {self.address_space}"
                )
            if any(cidrs_overlap(subnet.cidr, other) for other in seen):
                raise ValueError(f"subnet {subnet.name} {subnet.cidr} overlaps another subnet")
            seen.append(subnet.cidr)
            if len(subnet.inbound) > max_rules:
                raise ValueError(f"subnet {subnet.name}: more than {max_rules} inbound flows")


def security_rules(flows: tuple[FlowRule, ...]) -> list[network.SecurityRuleArgs]:
    """Allow rules in the order given, then an explicit deny-all at the lowest priority."""
    rules = [
        network.SecurityRuleArgs(
            name=flow.name,
            priority=FIRST_RULE_PRIORITY + i * RULE_PRIORITY_STEP,
            direction=network.SecurityRuleDirection.INBOUND,
            access=network.SecurityRuleAccess.ALLOW,
            protocol=network.SecurityRuleProtocol(str(flow.protocol)),
            source_address_prefix=flow.source_cidr,
            source_port_range="*",
            destination_address_prefix=flow.destination_cidr,
            destination_port_ranges=flow.port_ranges(),
        )
        for i, flow in enumerate(flows)
    ]
    rules.append(
        network.SecurityRuleArgs(
            name="DenyAllInbound",
            priority=DENY_ALL_PRIORITY,
            direction=network.SecurityRuleDirection.INBOUND,
            access=network.SecurityRuleAccess.DENY,
            protocol=network.SecurityRuleProtocol(str(Protocol.ANY)),
            source_address_prefix="*",
            source_port_range="*",
            destination_address_prefix="*",
            destination_port_range="*",
        )
    )
    return rules


class SpokeNetwork(pulumi.ComponentResource):
    resource_group_name: pulumi.Output[str]
    vnet_id: pulumi.Output[str]
    vnet_name: pulumi.Output[str]
    subnet_ids: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: SpokeNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # The type token predates the class name; renaming it would replace deployed spokes.
        super().__init__("forcelift:azure:Spoke", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = args.tags.as_dict()
        location = str(args.location)

        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=make_name(
                "azure-resource-group", "rg", args.force, args.name, "network", location
            ),
            location=location,
            tags=tags,
            opts=child,
        )
        rg = group.name
        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            virtual_network_name=make_name("azure-vnet", "vnet", args.force, args.name, location),
            resource_group_name=rg,
            location=location,
            address_space=network.AddressSpaceArgs(address_prefixes=[args.address_space]),
            tags=tags,
            opts=child,
        )
        routes = network.RouteTable(
            f"{name}-rt",
            route_table_name=resource_name(80, "rt", args.force, args.name, location),
            resource_group_name=rg,
            location=location,
            disable_bgp_route_propagation=True,  # on-premise routes must not bypass the firewall
            routes=[
                network.RouteArgs(
                    name="default-via-firewall",
                    address_prefix="0.0.0.0/0",
                    next_hop_type=network.RouteNextHopType.VIRTUAL_APPLIANCE,
                    next_hop_ip_address=args.firewall_private_ip,
                )
            ],
            tags=tags,
            opts=child,
        )

        self.subnet_ids = {}
        previous: list[pulumi.Resource] = []
        for spec in args.subnets:
            nsg = network.NetworkSecurityGroup(
                f"{name}-nsg-{spec.name}",
                network_security_group_name=make_name(
                    "azure-nsg", "nsg", args.force, args.name, spec.name
                ),
                resource_group_name=rg,
                location=location,
                security_rules=security_rules(spec.inbound),
                tags=tags,
                opts=child,
            )
            delegation = DELEGATIONS.get(spec.purpose)
            subnet = network.Subnet(
                f"{name}-snet-{spec.name}",
                subnet_name=make_name("azure-subnet", "snet", spec.name),
                resource_group_name=rg,
                virtual_network_name=vnet.name,
                address_prefix=spec.cidr,
                default_outbound_access=False,
                network_security_group=network.NetworkSecurityGroupArgs(id=nsg.id),
                route_table=network.RouteTableArgs(id=routes.id),
                delegations=(
                    [network.DelegationArgs(name=spec.purpose.value, service_name=delegation)]
                    if delegation
                    else None
                ),
                private_endpoint_network_policies=(
                    network.VirtualNetworkPrivateEndpointNetworkPolicies.ENABLED
                    if spec.purpose is SubnetPurpose.PRIVATE_ENDPOINTS
                    else None
                ),
                private_link_service_network_policies=(
                    network.VirtualNetworkPrivateLinkServiceNetworkPolicies.DISABLED
                    if spec.private_link_service
                    else None
                ),
                # Subnets of one VNet one at a time: Azure rejects concurrent VNet changes.
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous),
            )
            previous = [subnet]
            self.subnet_ids[spec.name] = subnet.id

        # The hub side first: the spoke side may only use the hub gateway once it is offered.
        from_hub = network.VirtualNetworkPeering(
            f"{name}-from-hub",
            virtual_network_peering_name=resource_name(80, "peer", "hub-to", args.name),
            resource_group_name=args.hub_resource_group,
            virtual_network_name=args.hub_vnet_name,
            remote_virtual_network=network.SubResourceArgs(id=vnet.id),
            allow_virtual_network_access=True,
            allow_forwarded_traffic=True,
            allow_gateway_transit=args.use_hub_gateway,
            opts=pulumi.ResourceOptions(parent=self, depends_on=previous),
        )

        network.VirtualNetworkPeering(
            f"{name}-to-hub",
            virtual_network_peering_name=resource_name(80, "peer", args.name, "to-hub"),
            resource_group_name=rg,
            virtual_network_name=vnet.name,
            remote_virtual_network=network.SubResourceArgs(id=args.hub_vnet_id),
            allow_virtual_network_access=True,
            allow_forwarded_traffic=True,
            use_remote_gateways=args.use_hub_gateway,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*previous, from_hub]),
        )
        self.resource_group_name = rg
        self.vnet_id = vnet.id
        self.vnet_name = vnet.name
        self.register_outputs(
            {
                "resource_group_name": self.resource_group_name,
                "vnet_id": self.vnet_id,
                "vnet_name": self.vnet_name,
                "subnet_ids": self.subnet_ids,
            }
        )
