"""An agency API: API Management internal, certificate or token checked, logged to the workspace."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from forcelift.components.azure.agency_api import (
    AgencyApiGateway,
    AgencyApiGatewayArgs,
    ApiAuth,
    ApimSku,
    OAuthSpec,
)
from forcelift.components.azure.tags import REQUIRED_TAG_KEYS, DataClassification, Tags
from forcelift.stacks.mock_runtime import MockRun, run_mocked

SUBNET = (
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/apim"
)
WORKSPACE = (
    "/subscriptions/s/resourceGroups/rg-mgmt/providers/Microsoft.OperationalInsights/workspaces/log"
)
TENANT = "7b1d2f3a-0000-4000-8000-00000000000a"
TAGS = Tags("custody", "custody-team", DataClassification.OFFICIAL_SENSITIVE, "CC-1", "1")


def _args(**changes: Any) -> AgencyApiGatewayArgs:
    values: dict[str, Any] = {
        "force": "exampleshire",
        "name": "custody-api",
        "application": "custody",
        "tags": TAGS,
        "subnet_id": SUBNET,
        "backend_url": "https://custody.internal.exampleshire.police.uk",
        "publisher_email": "platform@exampleshire.police.uk",
        "publisher_name": "Exampleshire Police",
        "client_thumbprints": ("ab12cd34",),
        "log_analytics_workspace_id": WORKSPACE,
    }
    values.update(changes)
    return AgencyApiGatewayArgs(**values)


@pytest.fixture(scope="module")
def run() -> MockRun:
    def program() -> None:
        certificate = AgencyApiGateway("custody-api", _args())
        oauth = AgencyApiGateway(
            "cases-api",
            _args(
                name="cases-api",
                auth=ApiAuth.OAUTH,
                client_thumbprints=(),
                oauth=OAuthSpec(tenant_id=TENANT, audience="api://cases"),
                sku=ApimSku.PREMIUM,
                capacity=2,
            ),
        )
        pulumi.export("gateways", [certificate.gateway_url, oauth.gateway_url])

    return run_mocked(program, project="forcelift", stack="exampleshire-azure-wave-1")


def _of(run: MockRun, cloud: Any, short_type: str, prefix: str) -> dict[str, Any]:
    (resource,) = [r for r in cloud.of(run, short_type) if r.name.startswith(prefix)]
    return dict(resource.inputs)


def test_api_management_is_internal_in_its_subnet(run: MockRun, cloud: Any) -> None:
    apim = _of(run, cloud, "apimanagement:ApiManagementService", "custody-api")
    assert apim["virtualNetworkType"] == "Internal"
    assert apim["virtualNetworkConfiguration"] == {"subnetResourceId": SUBNET}
    assert apim["sku"] == {"name": "Developer", "capacity": 1}
    assert (
        apim["customProperties"][
            "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11"
        ]
        == "False"
    )
    (hostname,) = apim["hostnameConfigurations"]
    assert hostname["negotiateClientCertificate"] is True
    premium = _of(run, cloud, "apimanagement:ApiManagementService", "cases-api")
    assert premium["sku"] == {"name": "Premium", "capacity": 2}
    assert premium["virtualNetworkType"] == "Internal"
    assert "hostnameConfigurations" not in premium


def test_the_api_is_https_only_to_the_private_backend(run: MockRun, cloud: Any) -> None:
    api = _of(run, cloud, "apimanagement:Api", "custody-api")
    assert api["protocols"] == ["https"]
    assert api["serviceUrl"] == "https://custody.internal.exampleshire.police.uk"
    assert api["path"] == "custody-api"


def test_client_certificates_are_validated(run: MockRun, cloud: Any) -> None:
    policy = _of(run, cloud, "apimanagement:ApiPolicy", "custody-api")
    assert policy["format"] == "rawxml" and policy["apiId"] == "custody-api"
    xml = policy["value"]
    assert '<validate-client-certificate validate-revocation="true" validate-trust="true"' in xml
    assert '<identity thumbprint="AB12CD34" />' in xml
    assert "validate-jwt" not in xml


def test_oauth_tokens_are_validated(run: MockRun, cloud: Any) -> None:
    xml = _of(run, cloud, "apimanagement:ApiPolicy", "cases-api")["value"]
    assert '<validate-jwt header-name="Authorization" failed-validation-httpcode="401"' in xml
    assert (
        f"https://login.microsoftonline.com/{TENANT}/v2.0/.well-known/openid-configuration" in xml
    )
    assert "<audience>api://cases</audience>" in xml
    assert "validate-client-certificate" not in xml


def test_calls_are_logged_to_the_workspace(run: MockRun, cloud: Any) -> None:
    logger = _of(run, cloud, "apimanagement:Logger", "custody-api")
    assert logger["loggerType"] == "azureMonitor"
    diagnostic = _of(run, cloud, "apimanagement:Diagnostic", "custody-api")
    assert diagnostic["diagnosticId"] == "azuremonitor"
    assert diagnostic["sampling"] == {"samplingType": "fixed", "percentage": 100}
    setting = _of(run, cloud, "monitor:DiagnosticSetting", "custody-api")
    assert setting["workspaceId"] == WORKSPACE
    assert setting["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]


def test_every_resource_is_owned_tagged_and_in_the_uk(run: MockRun, cloud: Any) -> None:
    components = {r.urn for r in run.resources if not r.custom}
    assert len(components) == 2 and run.duplicate_urns == []
    for resource in cloud.all(run):
        assert resource.parent in components
        if "tags" in resource.inputs:
            assert all(resource.inputs["tags"].get(k) for k in REQUIRED_TAG_KEYS)
        if "location" in resource.inputs:
            assert resource.inputs["location"] == "uksouth"
    names = [r.inputs["serviceName"] for r in cloud.of(run, "apimanagement:ApiManagementService")]
    assert all(len(n) <= 50 and n[0].isalpha() for n in names) and len(set(names)) == 2
    assert len(cloud.all(run)) == 2 * 7  # group, APIM, API, policy, logger, diagnostic, setting


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"auth": ApiAuth.OAUTH}, "OAuth needs"),
        ({"oauth": OAuthSpec(TENANT, "api://x")}, "given for client certificates"),
        ({"capacity": 2}, "Developer tier has one unit"),
        ({"publisher_email": "nobody"}, "e-mail"),
    ],
)
def test_inconsistent_args_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _args(**changes)
