"""The hub: subnets, firewall egress allow-list, Bastion, VPN to the PSN, private DNS."""

from __future__ import annotations

from typing import Any

import pytest

from forcelift.components.azure.common import EgressDestination
from forcelift.components.azure.hub_network import (
    DEFAULT_PRIVATE_DNS_ZONES,
    HubNetworkArgs,
    OnPremiseSite,
)
from forcelift.stacks.mock_runtime import MockRun


def test_hub_subnets_have_the_names_azure_requires(landing_zone_run: MockRun, cloud: Any) -> None:
    subnets = {
        s.inputs["subnetName"]: s.inputs["addressPrefix"]
        for s in cloud.of(landing_zone_run, "network:Subnet")
    }
    assert subnets == {
        "AzureFirewallSubnet": "10.100.0.0/26",
        "AzureBastionSubnet": "10.100.0.64/26",
        "GatewaySubnet": "10.100.0.128/27",
        "management": "10.100.1.0/24",
    }


def test_subnets_are_created_one_at_a_time(landing_zone_run: MockRun, cloud: Any) -> None:
    subnets = cloud.of(landing_zone_run, "network:Subnet")
    urns = {s.urn for s in subnets}
    waiting = [s for s in subnets if urns & set(s.dependencies)]
    assert len(waiting) == len(subnets) - 1


def test_resource_groups_per_concern(landing_zone_run: MockRun, cloud: Any) -> None:
    names = sorted(
        g.inputs["resourceGroupName"] for g in cloud.of(landing_zone_run, "resources:ResourceGroup")
    )
    assert names == [
        "rg-exampleshire-connectivity-uksouth",
        "rg-exampleshire-management-uksouth",
        "rg-exampleshire-security-uksouth",
    ]


def test_firewall_allows_only_the_saas_fqdns_over_https(
    landing_zone_run: MockRun, cloud: Any
) -> None:
    group = cloud.one(landing_zone_run, "network:FirewallPolicyRuleCollectionGroup")
    (collection,) = group.inputs["ruleCollections"]
    assert collection["action"] == {"type": "Allow"}
    rules = {r["name"]: r for r in collection["rules"]}
    assert rules["microsoft-365"]["targetFqdns"] == [
        "login.microsoftonline.com",
        "outlook.office365.com",
    ]
    assert rules["niche-rms-cloud"]["targetFqdns"] == ["api.niche.example"]
    for rule in rules.values():
        assert rule["protocols"] == [{"protocolType": "Https", "port": 443.0}]
        assert rule["sourceAddresses"] == ["10.100.0.0/16"]
        assert "*" not in rule["targetFqdns"]
    policy = cloud.one(landing_zone_run, "network:FirewallPolicy")
    assert policy.inputs["threatIntelMode"] == "Deny"
    firewall = cloud.one(landing_zone_run, "network:AzureFirewall")
    assert policy.urn in firewall.dependencies and group.urn in firewall.dependencies
    # Nothing else is allowed: Azure Firewall denies whatever no rule allows.
    assert len(cloud.of(landing_zone_run, "network:FirewallPolicyRuleCollectionGroup")) == 1


def test_firewall_private_ip_is_exported_for_spokes(landing_zone_run: MockRun) -> None:
    assert landing_zone_run.outputs["firewall_private_ip"] == "10.100.0.4"


def test_bastion_and_firewall_use_the_hub_subnets(landing_zone_run: MockRun, cloud: Any) -> None:
    subnet_urns = {
        s.inputs["subnetName"]: s.urn for s in cloud.of(landing_zone_run, "network:Subnet")
    }
    firewall = cloud.one(landing_zone_run, "network:AzureFirewall")
    bastion = cloud.one(landing_zone_run, "network:BastionHost")
    assert subnet_urns["AzureFirewallSubnet"] in firewall.dependencies
    assert subnet_urns["AzureBastionSubnet"] in bastion.dependencies
    assert bastion.inputs["enableShareableLink"] is False


def test_vpn_to_the_psn_uses_the_secret_key_and_strong_crypto(
    landing_zone_run: MockRun, cloud: Any
) -> None:
    raw = next(r for r in landing_zone_run.resources if r.type.endswith("GatewayConnection"))
    assert cloud.is_secret(raw.inputs["sharedKey"])
    assert raw.inputs["sharedKey"]["value"] == "psn-key-from-config"
    connection = cloud.one(landing_zone_run, "network:VirtualNetworkGatewayConnection")
    assert connection.inputs["connectionProtocol"] == "IKEv2"
    (ipsec,) = connection.inputs["ipsecPolicies"]
    assert ipsec["ikeEncryption"] == "GCMAES256" and ipsec["dhGroup"] == "ECP384"
    local = cloud.one(landing_zone_run, "network:LocalNetworkGateway")
    assert local.inputs["localNetworkAddressSpace"]["addressPrefixes"] == ["172.16.0.0/16"]
    gateway = cloud.one(landing_zone_run, "network:VirtualNetworkGateway")
    assert gateway.inputs["vpnType"] == "RouteBased"


def test_private_dns_zones_are_linked_to_the_hub(landing_zone_run: MockRun, cloud: Any) -> None:
    zones = cloud.of(landing_zone_run, "privatedns:PrivateZone")
    assert sorted(z.inputs["privateZoneName"] for z in zones) == sorted(DEFAULT_PRIVATE_DNS_ZONES)
    vnet = cloud.one(landing_zone_run, "network:VirtualNetwork")
    links = cloud.of(landing_zone_run, "privatedns:VirtualNetworkLink")
    assert len(links) == len(zones)
    for link in links:
        assert vnet.urn in link.dependencies
        assert link.inputs["registrationEnabled"] is False


def test_hub_args_reject_subnets_outside_the_hub() -> None:
    with pytest.raises(ValueError, match="outside the hub"):
        HubNetworkArgs(
            force="x",
            tags=None,  # type: ignore[arg-type]
            address_space="10.0.0.0/24",
            firewall_subnet="10.0.1.0/26",
            bastion_subnet="10.0.0.64/26",
            gateway_subnet="10.0.0.128/27",
            management_subnet="10.0.0.192/26",
            egress_source_cidrs=("10.0.0.0/8",),
        )


def test_a_literal_shared_key_is_refused() -> None:
    key: Any = "not-a-secret"
    with pytest.raises(TypeError, match="require_secret"):
        OnPremiseSite("hq", "203.0.113.1", ("192.168.0.0/16",), shared_key=key)


def test_egress_needs_fqdns() -> None:
    with pytest.raises(ValueError, match="no FQDNs"):
        EgressDestination("empty", ())
