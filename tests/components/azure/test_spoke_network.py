"""A wave spoke: NSGs deny by default, routes go to the firewall, peered both ways."""

from __future__ import annotations

from typing import Any

import pytest

from forcelift.components.azure.common import FlowRule
from forcelift.components.azure.spoke_network import SpokeNetworkArgs, SpokeSubnet
from forcelift.stacks.mock_runtime import MockRun


def test_each_subnet_has_its_own_nsg_and_the_route_table(spoke_run: MockRun, cloud: Any) -> None:
    nsgs = {n.urn: n for n in cloud.of(spoke_run, "network:NetworkSecurityGroup")}
    route_table = cloud.one(spoke_run, "network:RouteTable")
    subnets = cloud.of(spoke_run, "network:Subnet")
    assert len(subnets) == len(nsgs) == 3
    used = set()
    for subnet in subnets:
        (nsg,) = [urn for urn in subnet.dependencies if urn in nsgs]
        used.add(nsg)
        assert route_table.urn in subnet.dependencies
        assert subnet.inputs["defaultOutboundAccess"] is False
    assert used == set(nsgs)


def test_only_the_given_flows_are_allowed(spoke_run: MockRun, cloud: Any) -> None:
    nsg = next(
        n for n in cloud.of(spoke_run, "network:NetworkSecurityGroup") if n.name.endswith("-app")
    )
    rules = [
        (
            r["name"],
            r["priority"],
            r["access"],
            r["sourceAddressPrefix"],
            r.get("destinationPortRanges"),
        )
        for r in nsg.inputs["securityRules"]
    ]
    assert rules == [
        ("bastion-rdp", 100.0, "Allow", "10.100.0.64/26", ["3389"]),
        ("web-from-hq", 110.0, "Allow", "172.16.0.0/16", ["443", "80"]),
        ("DenyAllInbound", 4096.0, "Deny", "*", None),
    ]
    others = [n for n in cloud.of(spoke_run, "network:NetworkSecurityGroup") if n.urn != nsg.urn]
    assert all([r["name"] for r in n.inputs["securityRules"]] == ["DenyAllInbound"] for n in others)


def test_default_route_goes_to_the_hub_firewall(spoke_run: MockRun, cloud: Any) -> None:
    table = cloud.one(spoke_run, "network:RouteTable")
    assert table.inputs["routes"] == [
        {
            "name": "default-via-firewall",
            "addressPrefix": "0.0.0.0/0",
            "nextHopType": "VirtualAppliance",
            "nextHopIpAddress": "10.100.0.4",  # from the landing zone's stack outputs
        }
    ]
    assert table.inputs["disableBgpRoutePropagation"] is True


def test_delegations_and_private_endpoint_policies(spoke_run: MockRun, cloud: Any) -> None:
    subnets = {s.inputs["subnetName"]: s.inputs for s in cloud.of(spoke_run, "network:Subnet")}
    assert subnets["snet-web-integration"]["delegations"] == [
        {"name": "app-service", "serviceName": "Microsoft.Web/serverFarms"}
    ]
    assert subnets["snet-endpoints"]["privateEndpointNetworkPolicies"] == "Enabled"
    assert "delegations" not in subnets["snet-app"]


def test_peered_both_ways_with_the_hub_from_stack_outputs(spoke_run: MockRun, cloud: Any) -> None:
    peerings = {p.name: p for p in cloud.of(spoke_run, "network:VirtualNetworkPeering")}
    to_hub, from_hub = peerings["wave1-to-hub"], peerings["wave1-from-hub"]
    assert to_hub.inputs["remoteVirtualNetwork"]["id"].endswith("vnet-exampleshire-hub-uksouth")
    assert from_hub.inputs["virtualNetworkName"] == "vnet-exampleshire-hub-uksouth"
    assert from_hub.inputs["resourceGroupName"] == "rg-exampleshire-connectivity-uksouth"
    vnet = cloud.one(spoke_run, "network:VirtualNetwork")
    assert vnet.urn in from_hub.dependencies
    assert from_hub.urn in to_hub.dependencies
    for peering in (to_hub, from_hub):
        assert peering.inputs["allowForwardedTraffic"] is True


def _spoke(*subnets: SpokeSubnet) -> SpokeNetworkArgs:
    return SpokeNetworkArgs(
        force="x",
        name="w",
        tags=None,  # type: ignore[arg-type]
        address_space="10.1.0.0/24",
        subnets=subnets,
        hub_vnet_id="id",
        hub_vnet_name="hub",
        hub_resource_group="rg",
        firewall_private_ip="10.0.0.4",
    )


def test_spoke_args_reject_bad_address_plans() -> None:
    with pytest.raises(ValueError, match="outside"):
        _spoke(SpokeSubnet("a", "10.2.0.0/26"))
    with pytest.raises(ValueError, match="overlaps"):
        _spoke(SpokeSubnet("a", "10.1.0.0/26"), SpokeSubnet("b", "10.1.0.32/27"))
    with pytest.raises(ValueError, match="not an IPv4 CIDR"):
        _spoke(SpokeSubnet("a", "10.1.0.1/26"))


def test_flow_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="not an IPv4 CIDR"):
        FlowRule("x", "10.0.0.0/33", "10.1.0.0/24", (443,))
    with pytest.raises(ValueError, match="not a port"):
        FlowRule("x", "10.0.0.0/24", "10.1.0.0/24", (70000,))
    assert FlowRule("x", "10.0.0.0/24", "10.1.0.0/24", ("1024-2048", 22)).port_ranges() == [
        "1024-2048",
        "22",
    ]


def test_the_spoke_registers_under_its_old_type_token(spoke_run: MockRun) -> None:
    """The class is SpokeNetwork (as on AWS); the URN keeps forcelift:azure:Spoke."""
    tokens = {r.type for r in spoke_run.resources if not r.custom}
    assert tokens == {"forcelift:azure:Spoke"}


def test_private_link_service_policies_are_disabled_only_where_a_service_sits(
    spoke_run: MockRun, cloud: Any
) -> None:
    policies = {
        s.inputs["subnetName"]: s.inputs.get("privateLinkServiceNetworkPolicies")
        for s in cloud.of(spoke_run, "network:Subnet")
    }
    assert policies["snet-app"] == "Disabled"
    assert [n for n, p in policies.items() if p == "Disabled"] == ["snet-app"]


def test_nsg_sources_take_the_platform_service_tags_destinations_do_not() -> None:
    rule = FlowRule("apim-management", "ApiManagement", "10.101.0.0/27", (3443,))
    assert rule.source_cidr == "ApiManagement"
    FlowRule("apim-probe", "AzureLoadBalancer", "10.101.0.0/27", (6390,))
    with pytest.raises(ValueError, match="destination"):
        FlowRule("x", "10.0.0.0/24", "ApiManagement", (443,))
    with pytest.raises(ValueError, match="source"):
        FlowRule("x", "apimanagement", "10.1.0.0/24", (443,))  # tags are spelt exactly
    with pytest.raises(ValueError, match="not an IPv4 CIDR"):
        SpokeNetworkArgs(
            force="f",
            name="wave-1",
            tags=None,  # type: ignore[arg-type]
            address_space="VirtualNetwork",
            subnets=(),
            hub_vnet_id="h",
            hub_vnet_name="h",
            hub_resource_group="g",
            firewall_private_ip="10.0.0.4",
        )
