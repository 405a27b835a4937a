"""Staff access: Front Door Premium, WAF Prevention, private origins, https only, Entra sign-in."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from forcelift.components.azure.staff_access import (
    AppServiceAuth,
    StaffAccessFrontDoor,
    StaffAccessFrontDoorArgs,
    StaffApp,
)
from forcelift.components.azure.tags import REQUIRED_TAG_KEYS, DataClassification, Tags
from forcelift.stacks.mock_runtime import MockRun, run_mocked

WEB_APP = "/subscriptions/s/resourceGroups/rg-app/providers/Microsoft.Web/sites/app-records"
PLS = "/subscriptions/s/resourceGroups/rg-share/providers/Microsoft.Network/privateLinkServices/p"
WORKSPACE = (
    "/subscriptions/s/resourceGroups/rg-mgmt/providers/Microsoft.OperationalInsights/workspaces/log"
)
TENANT = "7b1d2f3a-0000-4000-8000-00000000000a"
CLIENT = "5c6d7e8f-0000-4000-8000-00000000000b"
TAGS = Tags("wave-1-staff-access", "platform-team", DataClassification.OFFICIAL_SENSITIVE, "p", "1")
GLOBAL = {
    "azure-native:cdn:Profile",
    "azure-native:cdn:AFDEndpoint",
    "azure-native:frontdoor:Policy",
}


def _apps() -> tuple[StaffApp, ...]:
    return (
        StaffApp(
            application="Records",
            name="records",
            hostname="records.exampleshire.staff.police.uk",
            origin_host="app-records.azurewebsites.net",
            private_link_id=WEB_APP,
            auth=AppServiceAuth(
                web_app_name="app-records",
                resource_group_name="rg-app",
                client_id=CLIENT,
                tenant_id=TENANT,
            ),
        ),
        StaffApp(
            application="Intranet",
            name="intranet",
            hostname="intranet.exampleshire.staff.police.uk",
            origin_host="10.101.0.20",
            private_link_id=PLS,
            group_id="",
            origin_host_header="intranet.exampleshire.staff.police.uk",
        ),
    )


@pytest.fixture(scope="module")
def run() -> MockRun:
    def program() -> None:
        front_door = StaffAccessFrontDoor(
            "wave-1-staff",
            StaffAccessFrontDoorArgs(
                force="exampleshire",
                name="wave-1",
                tags=TAGS,
                apps=_apps(),
                log_analytics_workspace_id=WORKSPACE,
            ),
        )
        pulumi.export("hosts", front_door.endpoint_host_names)

    return run_mocked(program, project="forcelift", stack="exampleshire-azure-wave-1")


def _named(run: MockRun, cloud: Any, short_type: str) -> dict[str, Any]:
    return {r.name: r.inputs for r in cloud.of(run, short_type)}


def test_one_premium_profile_for_the_wave(run: MockRun, cloud: Any) -> None:
    profile = cloud.one(run, "cdn:Profile").inputs
    assert profile["sku"] == {"name": "Premium_AzureFrontDoor"}
    assert len(cloud.of(run, "cdn:AFDEndpoint")) == 2


def test_waf_is_in_prevention_mode_with_managed_rules_on_every_domain(
    run: MockRun, cloud: Any
) -> None:
    waf = cloud.one(run, "frontdoor:Policy")
    assert waf.inputs["sku"] == {"name": "Premium_AzureFrontDoor"}
    settings = waf.inputs["policySettings"]
    assert (settings["mode"], settings["enabledState"]) == ("Prevention", "Enabled")
    rule_sets = [
        (r["ruleSetType"], r["ruleSetAction"])
        for r in waf.inputs["managedRules"]["managedRuleSets"]
    ]
    assert rule_sets == [
        ("Microsoft_DefaultRuleSet", "Block"),
        ("Microsoft_BotManagerRuleSet", "Block"),
    ]
    policy = cloud.one(run, "cdn:SecurityPolicy")
    assert waf.urn in policy.dependencies
    (association,) = policy.inputs["parameters"]["associations"]
    assert len(association["domains"]) == 4  # two endpoints, two custom domains
    assert association["patternsToMatch"] == ["/*"]


def test_routes_are_https_only_and_redirect_http(run: MockRun, cloud: Any) -> None:
    for route in cloud.of(run, "cdn:Route"):
        inputs = route.inputs
        assert inputs["forwardingProtocol"] == "HttpsOnly"
        assert inputs["httpsRedirect"] == "Enabled"
        assert inputs["linkToDefaultDomain"] == "Disabled"
        assert len(inputs["customDomains"]) == 1
    for domain in cloud.of(run, "cdn:AFDCustomDomain"):
        assert domain.inputs["tlsSettings"]["minimumTlsVersion"] == "TLS12"


def test_origins_are_reached_over_private_link_only(run: MockRun, cloud: Any) -> None:
    origins = _named(run, cloud, "cdn:AFDOrigin")
    web = origins["wave-1-staff-records-origin"]["sharedPrivateLinkResource"]
    assert web["privateLink"] == {"id": WEB_APP} and web["groupId"] == "sites"
    assert web["privateLinkLocation"] == "uksouth"
    server = origins["wave-1-staff-intranet-origin"]["sharedPrivateLinkResource"]
    assert server["privateLink"] == {"id": PLS} and "groupId" not in server
    intranet = origins["wave-1-staff-intranet-origin"]
    assert intranet["originHostHeader"] == "intranet.exampleshire.staff.police.uk"
    assert origins["wave-1-staff-records-origin"]["originHostHeader"] == (
        "app-records.azurewebsites.net"
    )
    assert all(o["enforceCertificateNameCheck"] is True for o in origins.values())


def test_web_apps_require_an_entra_id_sign_in(run: MockRun, cloud: Any) -> None:
    auth = cloud.one(run, "web:WebAppAuthSettingsV2").inputs
    assert auth["name"] == "app-records" and auth["resourceGroupName"] == "rg-app"
    assert auth["globalValidation"]["requireAuthentication"] is True
    assert auth["globalValidation"]["unauthenticatedClientAction"] == "RedirectToLoginPage"
    entra = auth["identityProviders"]["azureActiveDirectory"]
    assert entra["enabled"] is True
    assert entra["registration"]["clientId"] == CLIENT
    assert (
        entra["registration"]["openIdIssuer"] == f"https://login.microsoftonline.com/{TENANT}/v2.0"
    )
    assert auth["httpSettings"]["requireHttps"] is True


def test_profile_logs_go_to_the_workspace(run: MockRun, cloud: Any) -> None:
    setting = cloud.one(run, "monitor:DiagnosticSetting")
    assert setting.inputs["workspaceId"] == WORKSPACE
    assert cloud.one(run, "cdn:Profile").urn in setting.dependencies


def test_every_resource_is_owned_tagged_and_placed(run: MockRun, cloud: Any) -> None:
    (component,) = [r for r in run.resources if not r.custom]
    assert run.duplicate_urns == []
    for resource in cloud.all(run):
        assert resource.parent == component.urn
        if "tags" in resource.inputs:
            assert all(resource.inputs["tags"].get(k) for k in REQUIRED_TAG_KEYS)
        if "location" in resource.inputs:
            expected = "global" if resource.type in GLOBAL else "uksouth"
            assert resource.inputs["location"] == expected, resource.urn
    # group, profile, WAF, security policy, diagnostics + 5 per app + Easy Auth for the web app
    assert len(cloud.all(run)) == 5 + 2 * 5 + 1


def test_repeated_host_names_and_bad_hosts_are_refused() -> None:
    apps = _apps()
    with pytest.raises(ValueError, match="names repeat"):
        StaffAccessFrontDoorArgs(force="x", name="w", tags=TAGS, apps=(apps[0], apps[0]))
    with pytest.raises(ValueError, match="no applications"):
        StaffAccessFrontDoorArgs(force="x", name="w", tags=TAGS, apps=())
    with pytest.raises(ValueError, match="not a host name"):
        StaffApp("a", "a", "Not A Host", origin_host="h", private_link_id="p")
