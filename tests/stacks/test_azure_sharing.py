"""Azure sharing wired into the stacks: a wave that hosts a service (and an agency API) and
fronts a web app for staff; a sharing stack that reaches a host force's service and a partner's.

The plan is Smallshire's (tests/plan/data) cut to two workloads of wave 3, with its sharing
section written here from the plan models, so each case is small and explicit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.sharing import SharingFlow
from forcelift.migration.plan.planfile import Plan, StackPlan
from forcelift.migration.plan.sharing_plan import (
    CloudSharing,
    ConsumedService,
    HostedService,
    StaffAccess,
)
from forcelift.stacks import mock_runtime
from forcelift.stacks.azure_sharing import server_nics
from forcelift.stacks.config import ENGINEER_VALUES
from forcelift.stacks.mock_runtime import MockRun
from forcelift.stacks.program import main
from forcelift.stacks.project_reader import read_project, run_config

ROOT = Path(__file__).resolve().parents[2]
SMALLSHIRE = ROOT / "tests" / "plan" / "data" / "smallshire.yaml"
WAVE = "smallshire-azure-wave-3"
SHARING = "smallshire-azure-sharing"
LZ = "smallshire-azure-landing-zone"
HOST_WAVE = "northshire-azure-wave-1"
CPS = "0a1b2c3d-0000-4000-8000-000000000001"
NCA = "0a1b2c3d-0000-4000-8000-000000000002"
HUB_VNET = "/subscriptions/s/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub"
WORKSPACE = (
    "/subscriptions/s/resourceGroups/rg-mgmt/providers/Microsoft.OperationalInsights/workspaces/log"
)
ROCU_PLS = (
    "/subscriptions/n/resourceGroups/rg-share/providers/Microsoft.Network/privateLinkServices/rocu"
)
NCA_ALIAS = "pls-nca.7b1d2f3a-0000-4000-8000-000000000009.uksouth.azure.privatelinkservice"
LZ_OUTPUTS = {
    "hubVnetId": HUB_VNET,
    "hubVnetName": "hub",
    "hubResourceGroup": "rg-hub",
    "firewallPrivateIp": "10.100.0.4",
    "privateDnsZoneIds": {},
    "logAnalyticsWorkspaceId": WORKSPACE,
}
SHARING_SECTION = CloudSharing(
    hosted=(
        HostedService(
            name="custody-records",
            application="Custody",
            stack=WAVE,
            port=8443,
            agreements=("DSA-CPS-2026-04",),
            consumers=("Crown Prosecution Service", "National Crime Agency"),
            allowed_subscriptions=(CPS, NCA),
        ),
        HostedService(
            name="rms-api",
            application="Niche RMS",
            stack=WAVE,
            api=True,
            api_auth="oauth",
            agreements=("ISA-NCA-2026-01",),
            consumers=("National Crime Agency",),
            allowed_subscriptions=(NCA,),
        ),
    ),
    consumed=(
        ConsumedService(
            name="rocu-intel",
            provider="northshire",
            stack=SHARING,
            source_stack=HOST_WAVE,
            source_name="rocu-intel",
            dns_name="rocu-intel.share.smallshire.internal",
            agreements=("ISA-ROCU-2026-01",),
        ),
        ConsumedService(
            name="nca-intel",
            provider="National Crime Agency",
            stack=SHARING,
            endpoint=NCA_ALIAS,
            dns_name="nca-intel.share.smallshire.internal",
            agreements=("ISA-NCA-2026-01",),
        ),
    ),
    staff_access=(
        StaffAccess(
            application="Niche RMS",
            stack=WAVE,
            method="front-door-private-origin",
            hostname="niche-rms.smallshire.staff.police.uk",
            identity="Entra ID (App Service authentication)",
            reason="a web app",
        ),
        StaffAccess(
            application="Custody",
            stack=WAVE,
            method="front-door-private-origin",
            hostname="custody.smallshire.staff.police.uk",
            identity="Entra ID (application OIDC)",
            reason="servers",
        ),
    ),
)


def _plan() -> Plan:
    from forcelift.migration.classify.engine import classify
    from forcelift.migration.inventory.load import load_inventory
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions

    inventory = load_inventory([str(SMALLSHIRE)]).inventory
    # an agency API flow, so the plan allocates wave 3's api-management subnet
    inventory = inventory.model_copy(
        update={
            "sharing": (
                SharingFlow(application="Niche RMS", partner="National Crime Agency", api=True),
            )
        }
    )
    plan = build_plan(
        PlanRequest(
            inventory,
            classify(inventory, as_of=dt.date(2026, 11, 25)),
            PlanOptions(clouds=("azure",)),
            ("smallshire.yaml",),
        )
    )
    keep = {"Custody", "Niche RMS"}
    cloud = plan.clouds[0]
    stacks = [
        s.model_copy(update={"applications": tuple(a for a in s.applications if a in keep)})
        for s in cloud.stacks
    ]
    stacks.append(StackPlan(name=SHARING, layer="sharing", estimated_resources=10))
    cloud = cloud.model_copy(
        update={
            "workloads": tuple(w for w in cloud.workloads if w.application in keep),
            "stacks": tuple(stacks),
            "sharing": SHARING_SECTION,
        }
    )
    return plan.model_copy(update={"clouds": (cloud,)})


def _run(directory: Path, stack: str) -> MockRun:
    project = read_project(directory)
    return mock_runtime.run_mocked(
        main,
        project="forcelift",
        stack=stack,
        config=run_config(project, project.stack(stack)),
        stack_outputs={
            f"organization/forcelift/{LZ}": LZ_OUTPUTS,
            f"organization/forcelift/{HOST_WAVE}": {
                "sharedServices": {"rocu-intel": {"id": ROCU_PLS, "alias": "a", "port": 443}}
            },
        },
    )


@pytest.fixture(scope="module")
def plan() -> Plan:
    return _plan()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, helpers: Any, plan: Plan) -> Path:
    return helpers.write_project(tmp_path_factory.mktemp("smallshire"), plan)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def wave(project: Path) -> MockRun:
    return _run(project, WAVE)


@pytest.fixture(scope="module")
def sharing(project: Path) -> MockRun:
    return _run(project, SHARING)


def _inputs(run: MockRun, short_type: str) -> list[dict[str, Any]]:
    return [dict(r.inputs) for r in run.of_type(f"azure-native:{short_type}")]


def _component(run: MockRun, type_token: str) -> list[str]:
    return sorted(r.name for r in run.of_type(f"forcelift:azure:{type_token}"))


def test_the_wave_shares_each_hosted_service_with_its_allowed_subscriptions_only(
    wave: MockRun,
) -> None:
    assert _component(wave, "SharedService") == [
        "custody-records-share",
        "custody-staff-origin",
        "rms-api-share",
    ]
    services = {p["serviceName"]: p for p in _inputs(wave, "network:PrivateLinkService")}
    custody = services["pls-smallshire-custody-records"]
    assert custody["visibility"]["subscriptions"] == [CPS, NCA]
    assert custody["autoApproval"]["subscriptions"] == [CPS, NCA]
    api = services["pls-smallshire-rms-api"]
    assert api["visibility"]["subscriptions"] == api["autoApproval"]["subscriptions"] == [NCA]
    rules = {
        b["loadBalancerName"]: b["loadBalancingRules"][0]
        for b in _inputs(wave, "network:LoadBalancer")
    }
    assert rules["lbi-smallshire-custody-records"]["frontendPort"] == 8443
    assert rules["lbi-smallshire-rms-api"]["frontendPort"] == 443  # the API gateway's port
    exported = wave.outputs["sharedServices"]
    assert sorted(exported) == ["custody-records", "rms-api"]
    assert exported["custody-records"]["port"] == 8443


def test_the_agency_api_is_internal_with_oauth_and_its_own_subnet(wave: MockRun) -> None:
    assert _component(wave, "AgencyApiGateway") == ["rms-api-api"]
    (apim,) = _inputs(wave, "apimanagement:ApiManagementService")
    assert apim["virtualNetworkType"] == "Internal"
    subnets = {s["subnetName"]: s for s in _inputs(wave, "network:Subnet")}
    assert "snet-api-management" in subnets
    (policy,) = _inputs(wave, "apimanagement:ApiPolicy")
    assert "<validate-jwt" in policy["value"]
    assert "<audience>api://smallshire-rms-api</audience>" in policy["value"]
    settings = [d["workspaceId"] for d in _inputs(wave, "monitor:DiagnosticSetting")]
    assert settings.count(WORKSPACE) >= 4  # web app, SQL, two load balancers, APIM, Front Door


def test_the_plan_allocates_the_api_subnet_and_its_nsg_admits_the_apim_platform(
    wave: MockRun, plan: Plan
) -> None:
    spoke = plan.clouds[0].waves[2].spoke
    (api,) = [s for s in spoke.subnets if s.name == "api-management"]
    assert api.cidr.endswith("/27")
    nsgs = {n["networkSecurityGroupName"]: n for n in _inputs(wave, "network:NetworkSecurityGroup")}
    (nsg,) = [n for name, n in nsgs.items() if name.endswith("-api-management")]
    rules = {
        (r["sourceAddressPrefix"], tuple(r.get("destinationPortRanges") or ()))
        for r in nsg["securityRules"]
        if r["access"] == "Allow"
    }
    assert rules == {
        ("ApiManagement", ("3443",)),
        ("AzureLoadBalancer", ("6390",)),
        ("VirtualNetwork", ("443",)),
    }
    assert {r["destinationAddressPrefix"] for r in nsg["securityRules"][:-1]} == {api.cidr}


def test_private_link_policies_are_off_where_the_services_take_nat_addresses(
    wave: MockRun,
) -> None:
    policies = {
        s["subnetName"]: s.get("privateLinkServiceNetworkPolicies")
        for s in _inputs(wave, "network:Subnet")
    }
    # the hosted services and Front Door's server origin sit in the workload subnet
    assert [n for n, p in sorted(policies.items()) if p == "Disabled"] == ["snet-workload"]


def test_backend_lookups_name_the_nics_the_wave_declares(wave: MockRun, plan: Plan) -> None:
    from forcelift.components.azure.iaas_workload import (
        DiskSpec,
        IaasWorkloadArgs,
        OsImage,
        ServerSpec,
    )
    from forcelift.components.azure.tags import DataClassification, Tags

    custody = next(w for w in plan.clouds[0].workloads if w.application == "Custody")
    args = IaasWorkloadArgs(
        force="smallshire",
        application="Custody",
        tags=Tags("Custody", "o", DataClassification.OFFICIAL, "cc", "3"),
        subnet_id="s",
        servers=tuple(
            ServerSpec(
                name=vm.server,
                image=OsImage.WINDOWS_SERVER_2022 if vm.os == "windows" else OsImage.UBUNTU_22_04,
                size=vm.size,
                os_disk=DiskSpec(64),
            )
            for vm in custody.vms
        ),
        admin_password=object(),  # type: ignore[arg-type]
    )
    declared = {
        (n["networkInterfaceName"], n["resourceGroupName"])
        for n in _inputs(wave, "network:NetworkInterface")
    }
    assert set(server_nics(args)) <= declared and server_nics(args)
    (pool,) = next(
        b["backendAddressPools"]
        for b in _inputs(wave, "network:LoadBalancer")
        if b["loadBalancerName"] == "lbi-smallshire-custody-records"
    )
    assert len(pool["loadBalancerBackendAddresses"]) == len(custody.vms)


def test_staff_access_fronts_the_web_app_and_the_servers_privately(wave: MockRun) -> None:
    assert _component(wave, "StaffAccessFrontDoor") == ["wave-3-staff-access"]
    origins = {o["originName"]: o for o in _inputs(wave, "cdn:AFDOrigin")}
    web = origins["niche-rms"]["sharedPrivateLinkResource"]
    assert web["groupId"] == "sites" and "/web/" in web["privateLink"]["id"]
    servers = origins["custody"]
    assert "groupId" not in servers["sharedPrivateLinkResource"]
    assert servers["sharedPrivateLinkResource"]["privateLink"]["id"].endswith(
        "/custody-staff-origin-pls"
    )
    assert servers["originHostHeader"] == "custody.smallshire.staff.police.uk"
    services = {p["serviceName"]: p for p in _inputs(wave, "network:PrivateLinkService")}
    origin = services["pls-smallshire-custody-staff"]
    assert "visibility" not in origin and "autoApproval" not in origin  # Front Door's alone
    (waf,) = _inputs(wave, "frontdoor:Policy")
    assert waf["policySettings"]["mode"] == "Prevention"
    for route in _inputs(wave, "cdn:Route"):
        assert route["forwardingProtocol"] == "HttpsOnly" and route["httpsRedirect"] == "Enabled"
    (auth,) = _inputs(wave, "web:WebAppAuthSettingsV2")  # the web app only
    (app,) = _inputs(wave, "web:WebApp")
    assert auth["name"] == app["name"]
    assert auth["globalValidation"]["requireAuthentication"] is True
    # the engineer value staffEntraClientId (the preview's stand-in here) signs staff in
    client = ENGINEER_VALUES["staffEntraClientId"][0]
    registration = auth["identityProviders"]["azureActiveDirectory"]["registration"]
    assert registration["clientId"] == client
    record = wave.outputs["staffAccess"]
    assert record["Niche RMS"] == {
        "hostname": "niche-rms.smallshire.staff.police.uk",
        "method": "front-door-private-origin",
        "built": True,
    }
    assert record["Custody"]["built"] is True and "OIDC" in record["Custody"]["note"]


def test_the_agency_api_publisher_is_the_engineer_value(wave: MockRun) -> None:
    (apim,) = _inputs(wave, "apimanagement:ApiManagementService")
    assert apim["publisherEmail"] == ENGINEER_VALUES["apiPublisherEmail"][0]


@pytest.mark.parametrize("key", ["staffEntraClientId", "apiPublisherEmail"])
def test_a_missing_engineer_value_is_an_error(project: Path, key: str) -> None:
    """The wave fronts a web app and hosts an agency API: both values are asked for, so
    neither may fall back to a made-up default."""
    stack = read_project(project).stack(WAVE)
    config = run_config(read_project(project), stack)
    config[f"forcelift:{key}"] = " "
    with pytest.raises(InputError) as caught:
        mock_runtime.run_mocked(main, project="forcelift", stack=WAVE, config=config)
    assert f"missing stack config forcelift:{key}" in str(caught.value)


def test_the_sharing_stack_reaches_the_host_and_the_partner_privately(sharing: MockRun) -> None:
    assert _component(sharing, "PartnerEndpoint") == ["consume-nca-intel", "consume-rocu-intel"]
    endpoints = {e["privateEndpointName"]: e for e in _inputs(sharing, "network:PrivateEndpoint")}
    rocu = endpoints["pe-smallshire-rocu-intel"]
    assert rocu["privateLinkServiceConnections"][0]["privateLinkServiceId"] == ROCU_PLS
    assert rocu["subnet"]["id"] == f"{HUB_VNET}/subnets/management"
    nca = endpoints["pe-smallshire-nca-intel"]
    (request,) = nca["manualPrivateLinkServiceConnections"]
    assert request["privateLinkServiceId"] == NCA_ALIAS
    assert "ISA-NCA-2026-01" in request["requestMessage"]
    zones = sorted(z["privateZoneName"] for z in _inputs(sharing, "privatedns:PrivateZone"))
    assert zones == ["nca-intel.share.smallshire.internal", "rocu-intel.share.smallshire.internal"]
    links = _inputs(sharing, "privatedns:VirtualNetworkLink")
    assert all(link["virtualNetwork"] == {"id": HUB_VNET} for link in links)
    assert sorted(sharing.outputs["consumedServices"]) == ["nca-intel", "rocu-intel"]
    assert sharing.duplicate_urns == []
