"""The consumer side: a private endpoint in the spoke, its private DNS name, the VNet link."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from forcelift.components.azure.partner_endpoint import PartnerEndpoint, PartnerEndpointArgs
from forcelift.components.azure.tags import REQUIRED_TAG_KEYS, DataClassification, Tags
from forcelift.stacks.mock_runtime import MockRun, run_mocked

SUBNET = (
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe"
)
VNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
PLS_ID = (
    "/subscriptions/h/resourceGroups/rg-share/providers/Microsoft.Network/privateLinkServices/pls"
)
ALIAS = "pls-nca-intel.7b1d2f3a-0000-4000-8000-000000000009.uksouth.azure.privatelinkservice"
TAGS = Tags("sharing", "platform-team", DataClassification.OFFICIAL_SENSITIVE, "CC-1", "sharing")


def _args(**changes: Any) -> PartnerEndpointArgs:
    values: dict[str, Any] = {
        "force": "northshire",
        "name": "rocu-intel",
        "tags": TAGS,
        "subnet_id": SUBNET,
        "service": PLS_ID,
        "dns_name": "rocu-intel.share.northshire.internal",
        "virtual_network_id": VNET,
    }
    values.update(changes)
    return PartnerEndpointArgs(**values)


@pytest.fixture(scope="module")
def run() -> MockRun:
    def program() -> None:
        auto = PartnerEndpoint("rocu-intel", _args())
        manual = PartnerEndpoint(
            "nca-intel",
            _args(
                name="nca-intel",
                service=ALIAS,
                dns_name="nca-intel.share.northshire.internal",
                manual_approval=True,
                request_message="ISA-2025-017",
            ),
        )
        pulumi.export("names", [auto.dns_name, manual.dns_name])

    return run_mocked(program, project="forcelift", stack="northshire-azure-sharing")


def _by_name(run: MockRun, cloud: Any, short_type: str) -> dict[str, Any]:
    return {r.name: r.inputs for r in cloud.of(run, short_type)}


def test_endpoints_sit_in_the_consumer_subnet(run: MockRun, cloud: Any) -> None:
    endpoints = _by_name(run, cloud, "network:PrivateEndpoint")
    auto, manual = endpoints["rocu-intel-pe"], endpoints["nca-intel-pe"]
    assert auto["subnet"]["id"] == manual["subnet"]["id"] == SUBNET
    (connection,) = auto["privateLinkServiceConnections"]
    assert connection["privateLinkServiceId"] == PLS_ID
    assert "manualPrivateLinkServiceConnections" not in auto
    (request,) = manual["manualPrivateLinkServiceConnections"]
    assert request["privateLinkServiceId"] == ALIAS
    assert request["requestMessage"] == "ISA-2025-017"
    assert "privateLinkServiceConnections" not in manual


def test_private_dns_name_resolves_in_the_consumer_vnet(run: MockRun, cloud: Any) -> None:
    zones = _by_name(run, cloud, "privatedns:PrivateZone")
    assert zones["rocu-intel-zone"]["privateZoneName"] == "rocu-intel.share.northshire.internal"
    assert all(z["location"] == "global" for z in zones.values())
    records = _by_name(run, cloud, "privatedns:PrivateRecordSet")
    record = records["rocu-intel-a"]
    assert (record["recordType"], record["relativeRecordSetName"]) == ("A", "@")
    assert record["privateZoneName"] == "rocu-intel.share.northshire.internal"
    links = _by_name(run, cloud, "privatedns:VirtualNetworkLink")
    link = links["rocu-intel-link"]
    assert link["virtualNetwork"] == {"id": VNET}
    assert link["registrationEnabled"] is False


def test_every_resource_is_owned_tagged_and_placed(run: MockRun, cloud: Any) -> None:
    components = {r.urn for r in run.resources if not r.custom}
    assert len(components) == 2 and run.duplicate_urns == []
    for resource in cloud.all(run):
        assert resource.parent in components
        if "tags" in resource.inputs:
            assert all(resource.inputs["tags"].get(k) for k in REQUIRED_TAG_KEYS)
        if "location" in resource.inputs:
            assert resource.inputs["location"] in ("uksouth", "global")
    assert len(cloud.all(run)) == 2 * 5  # group, endpoint, zone, A record, link


def test_a_bad_dns_name_is_refused() -> None:
    with pytest.raises(ValueError, match="not a DNS name"):
        _args(dns_name="Not A Name")
