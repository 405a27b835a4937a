"""A shared service: internal Standard LB + Private Link service seen only by the named partners."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from forcelift.components.azure.shared_service import SharedService, SharedServiceArgs
from forcelift.components.azure.tags import REQUIRED_TAG_KEYS, DataClassification, Tags
from forcelift.stacks.mock_runtime import MockRun, run_mocked

CPS = "0a1b2c3d-0000-4000-8000-000000000001"
NCA = "0a1b2c3d-0000-4000-8000-000000000002"
SUBNET = (
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app"
)
WORKSPACE = (
    "/subscriptions/s/resourceGroups/rg-mgmt/providers/Microsoft.OperationalInsights/workspaces/log"
)
TAGS = Tags("custody", "custody-team", DataClassification.OFFICIAL_SENSITIVE, "CC-1", "1")


def _args(**changes: Any) -> SharedServiceArgs:
    values: dict[str, Any] = {
        "force": "exampleshire",
        "name": "custody-records",
        "application": "custody",
        "tags": TAGS,
        "subnet_id": SUBNET,
        "allowed_subscriptions": (CPS, NCA),
        "port": 8443,
        "backend_ips": ("10.101.0.10",),
        "virtual_network_id": "/vnets/spoke",
        "log_analytics_workspace_id": WORKSPACE,
    }
    values.update(changes)
    return SharedServiceArgs(**values)


@pytest.fixture(scope="module")
def run() -> MockRun:
    def program() -> None:
        shared = SharedService("custody-records", _args())
        pulumi.export("alias", shared.alias)
        pulumi.export("backendPool", shared.backend_pool_id)

    return run_mocked(program, project="forcelift", stack="exampleshire-azure-wave-1")


def test_visibility_and_auto_approval_are_exactly_the_allowed_subscriptions(
    run: MockRun, cloud: Any
) -> None:
    pls = cloud.one(run, "network:PrivateLinkService").inputs
    assert pls["visibility"] == {"subscriptions": [CPS, NCA]}
    assert pls["autoApproval"] == {"subscriptions": [CPS, NCA]}
    assert pls["ipConfigurations"][0]["subnet"]["id"] == SUBNET
    (frontend,) = pls["loadBalancerFrontendIpConfigurations"]
    assert frontend["id"].endswith(
        "/loadBalancers/lbi-exampleshire-custody-records/frontendIPConfigurations/frontend"
    )


def test_the_load_balancer_is_internal_standard_on_the_service_port(
    run: MockRun, cloud: Any
) -> None:
    lb = cloud.one(run, "network:LoadBalancer").inputs
    assert lb["sku"] == {"name": "Standard", "tier": "Regional"}
    (frontend,) = lb["frontendIPConfigurations"]
    assert frontend["subnet"]["id"] == SUBNET and "publicIPAddress" not in frontend
    (rule,) = lb["loadBalancingRules"]
    assert (rule["frontendPort"], rule["backendPort"], rule["protocol"]) == (8443, 8443, "Tcp")
    assert rule["probe"]["id"].endswith("/probes/probe")
    assert lb["probes"][0]["port"] == 8443
    (pool,) = lb["backendAddressPools"]
    assert [a["ipAddress"] for a in pool["loadBalancerBackendAddresses"]] == ["10.101.0.10"]


def test_load_balancer_diagnostics_go_to_the_workspace(run: MockRun, cloud: Any) -> None:
    lb = cloud.one(run, "network:LoadBalancer")
    setting = cloud.one(run, "monitor:DiagnosticSetting")
    assert setting.inputs["workspaceId"] == WORKSPACE
    assert lb.urn in setting.dependencies


def test_every_resource_is_owned_tagged_and_in_the_uk(run: MockRun, cloud: Any) -> None:
    (component,) = [r for r in run.resources if not r.custom]
    assert component.type == "forcelift:azure:SharedService"
    assert run.duplicate_urns == []
    for resource in cloud.all(run):
        assert resource.parent == component.urn
        if "tags" in resource.inputs:
            assert all(resource.inputs["tags"].get(k) for k in REQUIRED_TAG_KEYS)
        if "location" in resource.inputs:
            assert resource.inputs["location"] == "uksouth"
    assert len(cloud.all(run)) == 4  # resource group, load balancer, PLS, diagnostics


@pytest.mark.parametrize(
    ("allowed", "message"),
    [
        ((), "no allowed subscriptions"),
        (("*",), "every subscription"),
        (("not-a-guid",), "not a subscription id"),
        ((CPS, CPS.upper()), "repeat"),
    ],
)
def test_an_open_or_malformed_allow_list_is_refused(allowed: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _args(allowed_subscriptions=allowed)


def test_backend_ips_need_the_virtual_network() -> None:
    with pytest.raises(ValueError, match="virtual_network_id"):
        _args(virtual_network_id=None)


def test_a_front_door_origin_is_seen_by_no_subscription() -> None:
    with pytest.raises(ValueError, match="allows no subscriptions"):
        _args(front_door_origin=True)

    def program() -> None:
        SharedService(
            "staff", _args(name="intranet-staff", allowed_subscriptions=(), front_door_origin=True)
        )

    run = run_mocked(program, project="forcelift", stack="exampleshire-azure-wave-1")
    (pls,) = run.of_type("azure-native:network:PrivateLinkService")
    assert "visibility" not in pls.inputs and "autoApproval" not in pls.inputs
